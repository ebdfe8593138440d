package toykafka.broker.group;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap the coordinator's committed offsets take, estimated, against {@code group.coordinator.memory.max.bytes}.
 * Kafka bounds none of it: a flood of commits to new groups, each with 4 KiB of metadata per partition, fills
 * its heap, and a broker whose offsets no longer fit in its heap cannot load them again at start. Here a commit
 * that would grow the state past the bound is refused, so what the offsets topic holds always fits in the heap
 * it was written from; a commit that only moves offsets already kept is always taken. Thread-safe.
 */
final class CoordinatorMemory {

    /**
     * What one committed partition costs beyond its strings: the entries of the group's maps, the partition,
     * the offset and the time it was committed. Measured on a 64-bit JVM by the heap after GC: 133 bytes a
     * partition with no metadata, 320 with 100 characters of it; these round both up.
     */
    static final int OFFSET_BYTES = 150;
    /** What a metadata string and its map entry cost beyond its characters. */
    static final int METADATA_BYTES = 100;

    private final long max;
    private final AtomicLong used = new AtomicLong();

    CoordinatorMemory(long max) {
        this.max = max;
    }

    /** The estimated bytes of one partition's committed offset, with its topic name and metadata string. */
    static long offsetBytes(String topic, String metadata) {
        return OFFSET_BYTES + topic.length() + (metadata.isEmpty() ? 0 : METADATA_BYTES + metadata.length());
    }

    /**
     * Whether the state may grow by {@code bytes}. Two groups committing at once may both be admitted, so the
     * bound may be passed by what commits under way add.
     */
    boolean admits(long bytes) {
        return bytes <= 0 || used.get() + bytes <= max;
    }

    /** The state grew (or shrank) by {@code bytes}: taken even past the bound, as a replay at start must be. */
    void add(long bytes) {
        used.addAndGet(bytes);
    }

    long used() {
        return used.get();
    }

    long max() {
        return max;
    }
}
