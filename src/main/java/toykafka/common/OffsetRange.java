package toykafka.common;

/**
 * The offsets a read may start from: the log start offset up to the end offset, which is where a reader
 * waits for the next record. Kafka answers any other with OFFSET_OUT_OF_RANGE.
 */
public final class OffsetRange {

    private OffsetRange() {
    }

    /** Whether a read may start at {@code offset} in a log holding {@code logStartOffset} to {@code endOffset}. */
    public static boolean holds(long offset, long logStartOffset, long endOffset) {
        return offset >= logStartOffset && offset <= endOffset;
    }

    /** The offset, if a read may start there in {@code log}; refuses it otherwise, naming the range. */
    public static long check(long offset, RecordLog log) {
        long start = log.earliest();
        long end = log.endOffset();
        if (!holds(offset, start, end)) {
            throw OffsetOutOfRangeException.of(offset, start, end);
        }
        return offset;
    }
}
