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

    /** The value as Kafka's configuration spells it. */
    public String configValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
