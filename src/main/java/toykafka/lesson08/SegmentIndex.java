package toykafka.lesson08;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The reference sparse offset index. Entries live in memory in two arrays for binary search; on disk
 * each is 8 bytes, as in Kafka: the offset relative to the segment's base (int32), then the byte
 * position (int32).
 */
public final class SegmentIndex implements OffsetIndex {

    public static final int ENTRY_SIZE = 8;

    private final long baseOffset;
    private int[] relativeOffsets = new int[16];
    private int[] positions = new int[16];
    private int count;

    public SegmentIndex(long baseOffset) {
        if (baseOffset < 0) {
            throw new IllegalArgumentException("a base offset cannot be negative, was " + baseOffset);
        }
        this.baseOffset = baseOffset;
    }

    @Override
    public long baseOffset() {
        return baseOffset;
    }

    // tag::add[]
    @Override
    public void add(long offset, int position) {
        int relative = relative(offset);
        if (position <= 0) { // byte 0 is where a lookup starts without an entry, at the base offset, not a last one
            throw new IllegalArgumentException("an entry's byte position must be past the segment's start, was "
                    + position);
        }
        if (count > 0 && relative <= relativeOffsets[count - 1]) {
            throw new IllegalArgumentException("index entries must grow: offset " + offset
                    + " is not after the last entry's offset " + (baseOffset + relativeOffsets[count - 1]));
        }
        if (count > 0 && position <= positions[count - 1]) {
            throw new IllegalArgumentException("index entries must grow: position " + position
                    + " is not after the last entry's position " + positions[count - 1]);
        }
        if (count == positions.length) {
            relativeOffsets = Arrays.copyOf(relativeOffsets, count * 2);
            positions = Arrays.copyOf(positions, count * 2);
        }
        relativeOffsets[count] = relative;
        positions[count] = position;
        count++;
    }
    // end::add[]

    // tag::lookup[]
    @Override
    public IndexEntry lookup(long offset) {
        int target = relative(offset);
        int found = IndexSearch.lastWhere(count, n -> relativeOffsets[n] <= target);
        return found < 0 ? new IndexEntry(baseOffset, 0) : entry(found);
    }
    // end::lookup[]

    @Override
    public int entries() {
        return count;
    }

    /** The n-th entry, counting from 0. */
    public IndexEntry entry(int n) {
        return new IndexEntry(baseOffset + relativeOffsets[n], positions[n]);
    }

    /** The number of the last entry whose batch starts at or before {@code position}, or -1 if there is none. */
    int lastStartingAtOrBefore(long position) {
        return IndexSearch.lastWhere(count, n -> positions[n] <= position); // positions grow as offsets do
    }

    /** The last entry, or the start of the segment if there is none. */
    public IndexEntry last() {
        return count == 0 ? new IndexEntry(baseOffset, 0) : entry(count - 1);
    }

    private int relative(long offset) {
        if (offset < baseOffset) {
            throw new IllegalArgumentException("offset " + offset + " is before this segment's base offset "
                    + baseOffset);
        }
        if (offset - baseOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " is too far past the base offset " + baseOffset
                    + ": an entry keeps its offset relative to the base, in 4 bytes (at most "
                    + Integer.MAX_VALUE + " past it)");
        }
        return (int) (offset - baseOffset);
    }

    /** Entries {@code from} onwards, as they are written to the .index file. */
    ByteBuffer encode(int from) {
        ByteBuffer bytes = ByteBuffer.allocate((count - from) * ENTRY_SIZE);
        for (int i = from; i < count; i++) {
            bytes.putInt(relativeOffsets[i]).putInt(positions[i]);
        }
        return bytes.flip();
    }

    /** Reads an .index file's bytes back; refuses bytes that cannot be an index of a log this long. */
    public static SegmentIndex decode(long baseOffset, ByteBuffer bytes, long logSize) {
        if (bytes.remaining() % ENTRY_SIZE != 0) {
            throw new IllegalArgumentException("the index is " + bytes.remaining() + " bytes, not a whole number of "
                    + ENTRY_SIZE + "-byte entries");
        }
        SegmentIndex index = new SegmentIndex(baseOffset);
        while (bytes.hasRemaining()) {
            long offset = baseOffset + bytes.getInt();
            int position = bytes.getInt();
            if (position >= logSize) {
                throw new IllegalArgumentException("an entry points at byte " + position + ", past the log's "
                        + logSize + " bytes");
            }
            index.add(offset, position);
        }
        return index;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("SegmentIndex[");
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ", ").append(entry(i));
        }
        return text.append(']').toString();
    }
}
