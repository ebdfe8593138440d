package toykafka.common;

/**
 * Where a consumer goes when it has no valid position: at the start, or when its position is no
 * longer in the log. Named after Kafka's {@code auto.offset.reset} values, all but the by_duration of Kafka 4.0.
 */
public enum OffsetReset {
    /** Go to the oldest event the log still holds. */
    EARLIEST,
    /** Go to the end, and read only what is appended from now on. */
    LATEST,
    /** Do not guess: fail, and let the application decide. */
    NONE;

    /**
     * Where a consumer goes from {@code position}, which is out of the log's range: to its start or its end.
     *
     * @throws OffsetOutOfRangeException under {@link #NONE}, naming the position and the range: the
     *                                    application seeks to a valid offset itself
     */
    public long applyTo(long position, long logStartOffset, long logEndOffset) {
        return switch (this) {
            case EARLIEST -> logStartOffset;
            case LATEST -> logEndOffset;
            case NONE -> throw OffsetOutOfRangeException.withNoResetPolicy(position, logStartOffset, logEndOffset);
        };
    }

    /** The value as Kafka's configuration spells it. */
    public String configValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
