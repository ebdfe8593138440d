package toykafka.lesson08;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A segment's sparse time index, for "the first offset at or after time T". An entry (T, offset) says:
 * no record up to and including this offset has a timestamp after T. Timestamps come from producers and
 * need not grow, so an entry stores the largest timestamp seen so far, and a new entry is added only
 * when that grows. On disk each entry is 12 bytes, as in Kafka's {@code .timeindex}: the timestamp
 * (int64), then the offset relative to the segment's base (int32).
 */
public final class TimeIndex {

    public static final int ENTRY_SIZE = 12;

    private final long baseOffset;
    private long[] timestamps = new long[16];
    private int[] relativeOffsets = new int[16];
    private int count;

    public TimeIndex(long baseOffset) {
        this.baseOffset = baseOffset;
    }

    // tag::entries[]
    /**
     * Adds an entry if the timestamp is larger than the last entry's; ignores it otherwise, and ignores a segment
     * that has no time yet (its batches carry none, -1): as in Kafka, whose first entry must beat -1.
     */
    void maybeAdd(long timestamp, long offset) {
        if (timestamp < 0 || count > 0 && timestamp <= timestamps[count - 1]) {
            return;
        }
        append(timestamp, offset);
    }

    private void append(long timestamp, long offset) {
        int relative = (int) (offset - baseOffset);
        if (count > 0 && relative <= relativeOffsets[count - 1]) {
            throw new IllegalArgumentException("time index entries must grow: offset " + offset
                    + " is not after the last entry's offset " + (baseOffset + relativeOffsets[count - 1]));
        }
        if (count == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, count * 2);
            relativeOffsets = Arrays.copyOf(relativeOffsets, count * 2);
        }
        timestamps[count] = timestamp;
        relativeOffsets[count] = relative;
        count++;
    }

    /**
     * The offset to start scanning from for the first record stamped at or after {@code timestamp}:
     * just past the last entry whose timestamp is before it, or the base offset if there is none.
     */
    long scanFrom(long timestamp) {
        int found = IndexSearch.lastWhere(count, n -> timestamps[n] < timestamp);
        return found < 0 ? baseOffset : baseOffset + relativeOffsets[found] + 1;
    }
    // end::entries[]

    public int entries() {
        return count;
    }

    /** The largest timestamp the entries know of, or Long.MIN_VALUE if there are none. */
    public long lastTimestamp() {
        return count == 0 ? Long.MIN_VALUE : timestamps[count - 1];
    }

    public long timestamp(int n) {
        return timestamps[n];
    }

    public long offset(int n) {
        return baseOffset + relativeOffsets[n];
    }

    ByteBuffer encode(int from) {
        ByteBuffer bytes = ByteBuffer.allocate((count - from) * ENTRY_SIZE);
        for (int i = from; i < count; i++) {
            bytes.putLong(timestamps[i]).putInt(relativeOffsets[i]);
        }
        return bytes.flip();
    }

    /** Reads a .timeindex file's bytes back; refuses bytes that cannot be one. */
    public static TimeIndex decode(long baseOffset, ByteBuffer bytes) {
        if (bytes.remaining() % ENTRY_SIZE != 0) {
            throw new IllegalArgumentException("the time index is " + bytes.remaining()
                    + " bytes, not a whole number of " + ENTRY_SIZE + "-byte entries");
        }
        TimeIndex index = new TimeIndex(baseOffset);
        while (bytes.hasRemaining()) {
            long timestamp = bytes.getLong();
            int relative = bytes.getInt();
            if (index.count > 0 && timestamp <= index.lastTimestamp()) {
                throw new IllegalArgumentException("time index timestamps must grow, but " + timestamp
                        + " follows " + index.lastTimestamp());
            }
            index.append(timestamp, baseOffset + relative); // as written, even a -1 an older version wrote
        }
        return index;
    }
}
