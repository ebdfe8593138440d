package toykafka.common;

/**
 * Bytes in a segment are not a good record: a CRC that does not match, a length no record can have, an
 * offset out of sequence. The log refuses to hand them out as data and says where they are, so someone
 * can look ({@code toykafka dump}) and decide. Kafka's clients throw an exception of the same name.
 */
public class CorruptRecordException extends ApiException {

    private final String segment;
    private final long position;
    private final String reason;

    /** Bytes that came from a client, not from a segment, are not a good batch. */
    public CorruptRecordException(String reason) {
        super(Errors.CORRUPT_MESSAGE, reason);
        this.segment = null;
        this.position = -1;
        this.reason = reason;
    }

    public CorruptRecordException(String segment, long position, String reason) {
        super(Errors.CORRUPT_MESSAGE, segment + " at byte " + position + ": " + reason);
        this.segment = segment;
        this.position = position;
        this.reason = reason;
    }

    /** The segment file's name, such as {@code 00000000000000000000.log}; null for bytes from a client. */
    public String segment() {
        return segment;
    }

    /** Where in the segment file the bad frame starts. */
    public long position() {
        return position;
    }

    public String reason() {
        return reason;
    }
}
