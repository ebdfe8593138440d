package toykafka.common;

/**
 * The offsets a read may start from: the log start offset up to the end offset, which is where a reader
 * waits for the next record. Kafka answers any other with OFFSET_OUT_OF_RANGE. A position, a seek and a
 * committed offset (the next offset to read) must each lie in this range.
 */
public final class OffsetRange {

    private OffsetRange() {
    }

    /** Whether a read may start at {@code offset} in a log holding {@code logStartOffset} to {@code endOffset}. */
    public static boolean holds(long offset, long logStartOffset, long endOffset) {
        return offset >= logStartOffset && offset <= endOffset;
    }

    /** Whether a read may start at {@code offset} in {@code log} now. */
    public static boolean holds(long offset, EventLog<?> log) {
        return holds(offset, log.earliest(), log.endOffset());
    }

    /** The offset, if a read may start there in {@code log}; refuses it otherwise, naming the range. */
    public static long check(long offset, EventLog<?> log) {
        long start = log.earliest();
        long end = log.endOffset();
        if (!holds(offset, start, end)) {
            throw OffsetOutOfRangeException.of(offset, start, end);
        }
        return offset;
    }

    /**
     * The offset, if a read may start there in {@code log}; refuses it otherwise with {@code refused} (what
     * could not be done, and why the range applies) followed by the range.
     */
    public static long check(long offset, EventLog<?> log, String refused) {
        return check(offset, log.earliest(), log.endOffset(), refused);
    }

    /** As {@link #check(long, EventLog, String)}, for a log that holds {@code start} to {@code end}. */
    public static long check(long offset, long start, long end, String refused) {
        if (!holds(offset, start, end)) {
            throw new OffsetOutOfRangeException(refused + ", from the log start offset " + start + " to the end offset "
                    + end, offset, start, end);
        }
        return offset;
    }
}
