package toykafka.exercises.lesson08;

import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.OffsetIndex;

/**
 * Exercise for lesson 8: write a segment's sparse offset index, in memory.
 * Check your work with {@code ./toykafka check 8}; ask for help with {@code ./toykafka hint 8}.
 * Read the lesson with its code in place: {@code ./toykafka read 8} (add a section's name for one section).
 * Every entry stores its offset relative to the base offset, as an int, as Kafka's .index file does.
 */
public class MySparseIndex implements OffsetIndex {

    public MySparseIndex(long baseOffset) {
        // Keep the base offset, and somewhere to put entries.
    }

    @Override
    public long baseOffset() {
        throw new UnsupportedOperationException(
                "baseOffset() is yours to write: see section \"A sparse index\" (./toykafka read 8 sparse-index)");
    }

    @Override
    public void add(long offset, int position) {
        throw new UnsupportedOperationException(
                "add() is yours to write: see section \"A sparse index\" (./toykafka read 8 sparse-index)");
    }

    @Override
    public IndexEntry lookup(long offset) {
        throw new UnsupportedOperationException(
                "lookup() is yours to write: see section \"Finding an offset\""
                + " (./toykafka read 8 finding-an-offset)");
    }

    @Override
    public int entries() {
        throw new UnsupportedOperationException(
                "entries() is yours to write: see section \"A sparse index\" (./toykafka read 8 sparse-index)");
    }
}
