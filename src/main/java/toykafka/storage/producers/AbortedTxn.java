package toykafka.storage.producers;

/**
 * One transaction aborted in a partition, as a segment's {@code .txnindex} holds it (Kafka's {@code AbortedTxn}).
 *
 * @param producerId       whose transaction it was
 * @param firstOffset      its first record here (the marker's own offset if it wrote none)
 * @param lastOffset       the offset of its ABORT marker, which decides the segment whose index holds it
 * @param lastStableOffset the partition's last stable offset once it was aborted: no later entry starts below
 *                         it, so a search for the transactions in a range stops at the first entry whose last
 *                         stable offset passes the range
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}
