package toykafka.lesson06;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import toykafka.common.EventLog;
import toykafka.lesson02.EventAt;
import toykafka.common.Record;

/**
 * A log that keeps at least the latest record for each key, and may forget older ones.
 * <p>
 * It is still a lesson 1 log: offsets start at 0, are never reused and never change, and
 * {@link #read(long)} returns the record at any offset the log still holds. What is new is that
 * compaction leaves gaps, so reading "from an offset on" is done with {@link #readFrom(long)}, which
 * steps over the gaps the way a Kafka fetch does.
 */
public interface CompactedLog extends EventLog<Record> {

    // tag::append[]
    /**
     * Appends a record and returns its offset. Every record needs a key, because compaction keeps
     * the latest record per key; a record with a key and no value is a tombstone, which deletes its key.
     */
    @Override
    long append(Record record);
    // end::append[]

    // tag::reading[]
    /**
     * Returns the record at an offset the log still holds. An offset that compaction removed is not
     * held: reading it fails and names the next offset that is.
     */
    @Override
    Record read(long offsetOrIndex);

    /** How many records the log holds now; fewer than endOffset() - earliest() once compaction has left gaps. */
    @Override
    long size();

    /**
     * The first record at {@code offset} or after it, or empty if there is none yet. An offset that
     * compaction removed reads as the next record that survived. Valid offsets are earliest()..endOffset().
     */
    Optional<EventAt<Record>> readFrom(long offset);

    /** Up to {@code maxRecords} records from {@code offset} on, in offset order, stepping over gaps. */
    default List<EventAt<Record>> fetch(long offset, int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("a fetch must ask for at least 1 record, asked for " + maxRecords);
        }
        List<EventAt<Record>> batch = new ArrayList<>();
        Optional<EventAt<Record>> next = readFrom(offset);
        while (next.isPresent() && batch.size() < maxRecords) {
            batch.add(next.get());
            next = readFrom(next.get().offset() + 1);
        }
        return batch;
    }
    // end::reading[]

    // tag::cleaning[]
    /** How this log compacts: the size of its segments, when it cleans, how long tombstones stay. */
    CompactionConfig config();

    /** Where the head begins: the first offset of the active segment, which compaction never touches. */
    long activeSegmentStart();

    /** Everything before this offset has been compacted; from here to the head is dirty. */
    long cleanedUpTo();

    /**
     * The dirty share of the part of the log that may be compacted: dirty records (written since the
     * last compaction, before the head) divided by all records before the head. 0.0 when there are none.
     */
    double dirtyRatio();

    /**
     * Compacts everything before the head now: keeps the latest record of each key, removes a tombstone
     * once it is older than the delete retention, and archives what it removes before forgetting it.
     */
    Compaction compact();

    /** Compacts only when the dirty ratio has reached min.cleanable.dirty.ratio, as Kafka's cleaner does. */
    default Optional<Compaction> compactIfDirty() {
        double dirty = dirtyRatio();
        if (dirty == 0.0 || dirty < config().minCleanableDirtyRatio()) {
            return Optional.empty();
        }
        return Optional.of(compact());
    }
    // end::cleaning[]
}
