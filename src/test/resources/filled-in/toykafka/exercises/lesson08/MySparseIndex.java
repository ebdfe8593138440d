package toykafka.exercises.lesson08;

import java.util.Arrays;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.OffsetIndex;

/** A learner's finished lesson 8 exercise, as the hints lead to it. */
public class MySparseIndex implements OffsetIndex {

    private final long baseOffset;
    private int[] relativeOffsets = new int[8];
    private int[] positions = new int[8];
    private int count;

    public MySparseIndex(long baseOffset) {
        this.baseOffset = baseOffset;
    }

    @Override
    public long baseOffset() {
        return baseOffset;
    }

    @Override
    public void add(long offset, int position) {
        int relative = relative(offset);
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

    @Override
    public IndexEntry lookup(long offset) {
        int target = relative(offset);
        int low = 0;
        int high = count - 1;
        int best = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (relativeOffsets[middle] <= target) {
                best = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (best < 0) {
            return new IndexEntry(baseOffset, 0);
        }
        return new IndexEntry(baseOffset + relativeOffsets[best], positions[best]);
    }

    @Override
    public int entries() {
        return count;
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
}
