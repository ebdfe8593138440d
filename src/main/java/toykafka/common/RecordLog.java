package toykafka.common;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

// tag::interface[]
/**
 * A log of records that a broker can stand on, whatever it keeps them in: lesson 1's promises, plus
 * batches, reads in batches and lookups by time. {@link MemoryLog}, lesson 8's LocalLog and lesson 9's FileLog keep it,
 * and both run the same contract tests.
 */
public interface RecordLog extends EventLog<Record>, AutoCloseable {

    /** Appends the records as one batch: all of them, or none if any is refused. Returns the first's offset. */
    long appendAll(List<Record> records);

    /**
     * Up to {@code maxRecords} records from an offset on (or from a negative index, as {@code read} takes),
     * in offset order; empty at the end offset.
     */
    List<Record> readBatch(long fromOffset, int maxRecords);

    /**
     * As {@link #readBatch}, each record with its offset; empty only at the end offset. A compacted log
     * leaves gaps, so readers take offsets from here instead of counting. This default counts, which is
     * right for a log that never leaves gaps; a log that may have them overrides it.
     */
    default List<OffsetRecord> readBatchWithOffsets(long fromOffset, int maxRecords) {
        List<Record> records = readBatch(fromOffset, maxRecords);
        long first = fromOffset < 0 ? resolve(fromOffset) : fromOffset;
        List<OffsetRecord> read = new ArrayList<>(records.size());
        for (Record record : records) {
            read.add(new OffsetRecord(first + read.size(), record));
        }
        return read;
    }

    /** The first offset whose record is stamped at or after the time (Kafka's offsetsForTimes), if any. */
    OptionalLong offsetForTime(Instant time);

    /** The topic config this log keeps: max.message.bytes, segments, retention, flushing. */
    TopicConfig config();

    /** Takes a topic's new config, as Kafka's logs do when an admin alters it; the next append obeys it. */
    void reconfigure(TopicConfig config);

    @Override
    default long append(Record record) {
        return appendAll(List.of(Objects.requireNonNull(record, "a record must not be null")));
    }

    @Override
    void close();
}
// end::interface[]
