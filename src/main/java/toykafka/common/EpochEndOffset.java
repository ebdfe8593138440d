package toykafka.common;

/**
 * A leader epoch and the offset where it ends (Kafka's {@code EpochEndOffset}): what a fetch is told when the
 * epoch of the last batch it fetched ends before the offset it asks for, so the log it holds diverges from the
 * leader's from {@code endOffset} on.
 */
public record EpochEndOffset(int epoch, long endOffset) {
}
