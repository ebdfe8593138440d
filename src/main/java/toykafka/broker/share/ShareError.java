package toykafka.broker.share;

/**
 * The errors a share partition refuses with, under Kafka's names and codes. INVALID_RECORD_STATE is Kafka's answer to
 * acknowledging a record that is not acquired by the one acknowledging; NON_EMPTY_GROUP refuses moving the start
 * offset while records are held.
 */
public enum ShareError {
    INVALID_REQUEST((short) 42),
    NON_EMPTY_GROUP((short) 68),
    INVALID_RECORD_STATE((short) 121);

    private final short code;

    ShareError(short code) {
        this.code = code;
    }

    /** The number Kafka's protocol sends for this error. */
    public short code() {
        return code;
    }
}
