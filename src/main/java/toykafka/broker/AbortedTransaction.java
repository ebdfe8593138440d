package toykafka.broker;

/**
 * A transaction aborted in a partition, as a {@code read_committed} fetch lists it: the consumer drops the
 * producer's transactional records from {@code firstOffset} up to its ABORT marker.
 */
public record AbortedTransaction(long producerId, long firstOffset) {
}
