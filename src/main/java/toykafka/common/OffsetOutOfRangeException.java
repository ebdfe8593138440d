package toykafka.common;

/**
 * A read asked for an offset the log does not hold. The message names the valid range, and the
 * fields carry it for code that wants to recover (for example by resetting to the earliest offset).
 * Kafka's consumer throws an exception of the same name.
 */
public class OffsetOutOfRangeException extends ApiException {

    private final long requested;
    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(String message, long requested, long logStartOffset, long logEndOffset) {
        super(Errors.OFFSET_OUT_OF_RANGE, message);
        this.requested = requested;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    /** Builds the exception for a request that fell outside {@code [logStartOffset, logEndOffset)}. */
    public static OffsetOutOfRangeException of(long requested, long logStartOffset, long logEndOffset) {
        return new OffsetOutOfRangeException(describe(requested, logStartOffset, logEndOffset),
                requested, logStartOffset, logEndOffset);
    }

    /**
     * Builds the exception a consumer throws when its position is out of range and auto.offset.reset=none
     * leaves it no offset to move to: only a seek to a valid offset gets it reading again.
     */
    public static OffsetOutOfRangeException withNoResetPolicy(long position, long logStartOffset, long logEndOffset) {
        return new OffsetOutOfRangeException(describe(position, logStartOffset, logEndOffset)
                + " (auto.offset.reset=none: seek to a valid offset)", position, logStartOffset, logEndOffset);
    }

    /**
     * Builds the exception for a read (Kafka's Fetch) that may start anywhere from {@code logStartOffset} up to
     * and including {@code logEndOffset}, where it waits for the next record: the message names that range.
     */
    public static OffsetOutOfRangeException forRead(long requested, long logStartOffset, long logEndOffset) {
        String range = logStartOffset == logEndOffset
                ? "the log holds no records, so a read starts at offset " + logEndOffset + ", the end offset, and"
                        + " waits for the first record"
                : "a read starts at an offset from " + logStartOffset + " (the log start offset) to " + logEndOffset
                        + " (the end offset, where it waits for the next record)";
        return new OffsetOutOfRangeException("offset " + requested + " is out of range: " + range, requested,
                logStartOffset, logEndOffset);
    }

    static String describe(long requested, long start, long end) {
        String what = (requested < 0 ? "index " : "offset ") + requested + " is out of range: ";
        if (start == end) {
            return what + "the log holds no events (the next append gets offset " + end + ")";
        }
        String valid = "valid offsets are " + start + ".." + (end - 1);
        if (requested < 0) {
            return what + "valid indexes are -" + (end - start) + "..-1 and " + valid;
        }
        if (requested < start) {
            return what + "it is older than the log start offset " + start + "; " + valid;
        }
        return what + valid;
    }

    public long requested() {
        return requested;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
