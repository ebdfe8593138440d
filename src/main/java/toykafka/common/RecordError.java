package toykafka.common;

/**
 * One record of a batch that a topic refused, by its place in the batch, and why: Kafka's {@code RecordError},
 * which Produce v8 answers as {@code record_errors} so that a producer can drop the bad records and send the
 * rest again.
 */
public record RecordError(int index, String message) {
}
