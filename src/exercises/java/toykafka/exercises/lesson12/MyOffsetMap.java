package toykafka.exercises.lesson12;

import toykafka.lesson12.KeyOffsetMap;

/**
 * Exercise for lesson 12: the cleaner's map of each key's latest offset, in a bounded amount of memory.
 * Check your work with {@code ./toykafka check 12}; ask for help with {@code ./toykafka hint 12}.
 * Read the lesson with its code in place: {@code ./toykafka read 12} (add a section's name for one section).
 */
public class MyOffsetMap implements KeyOffsetMap {

    /** A map in {@code memoryBytes} of memory, counting 24 bytes a key as Kafka's cleaner does. */
    public MyOffsetMap(int memoryBytes) {
    }

    @Override
    public boolean put(byte[] key, long offset) {
        throw new UnsupportedOperationException(
                "put() is yours to write: see section \"The offset map\" (./toykafka read 12 offset-map)");
    }

    @Override
    public long get(byte[] key) {
        throw new UnsupportedOperationException(
                "get() is yours to write: see section \"The offset map\" (./toykafka read 12 offset-map)");
    }

    @Override
    public int size() {
        throw new UnsupportedOperationException(
                "size() is yours to write: see section \"The offset map\" (./toykafka read 12 offset-map)");
    }

    @Override
    public int maxKeys() {
        throw new UnsupportedOperationException(
                "maxKeys() is yours to write: see section \"The offset map\" (./toykafka read 12 offset-map)");
    }

    @Override
    public long latestOffset() {
        throw new UnsupportedOperationException(
                "latestOffset() is yours to write: see section \"The offset map\" (./toykafka read 12 offset-map)");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException(
                "clear() is yours to write: see section \"The offset map\" (./toykafka read 12 offset-map)");
    }
}
