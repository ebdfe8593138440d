package toykafka.storage;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongFunction;
import toykafka.common.AppliedConfig;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.FetchedBatches;
import toykafka.lesson08.PreparedAppend;
import toykafka.storage.producers.AbortedIndex;
import toykafka.storage.producers.ProducerStateManager;

/**
 * The batch log in memory: each stored batch a buffer of its own, by base offset, under the same rules as
 * the file log and checked by the same contract tests. What a broker started with {@code --storage memory}
 * keeps its partitions in, as MiniKafka's memory mode does: nothing is written to disk, and nothing survives
 * the process. Retention goes by {@code retention.ms} and {@code retention.bytes}, a whole batch at a time
 * (there are no segments), and what it or {@link #deleteRecordsBefore} removes is not archived: there is no
 * disk to archive to. Kafka has no such store; its logs are always files.
 */
public final class MemoryBatchLog implements BatchLog {

    private final Clock clock;
    private final ProducerStateManager producers = new ProducerStateManager(this, AbortedIndex.NONE);
    private final NavigableMap<Long, ByteBuffer> batches = new TreeMap<>(); // read-only views, position 0
    private long logStartOffset;
    private long endOffset;
    private long bytes;
    private AppliedConfig applied;

    public MemoryBatchLog(TopicConfig config, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        reconfigure(config);
    }

    public MemoryBatchLog(TopicConfig config) {
        this(config, Clock.systemUTC());
    }

    @Override
    public synchronized TopicConfig config() {
        return applied.config();
    }

    @Override
    public synchronized void reconfigure(TopicConfig newConfig) {
        applied = AppliedConfig.of(newConfig);
    }

    // ---- append ----

    @Override
    public long appendAll(List<Record> records) {
        Objects.requireNonNull(records, "a batch must not be null");
        records.forEach(record -> Objects.requireNonNull(record, "a record must not be null"));
        return append(first -> PreparedAppend.encode(records, first, applied.rules()));
    }

    @Override
    public long appendBatches(ByteBuffer sent) {
        Objects.requireNonNull(sent, "batches must not be null");
        return append(first -> PreparedAppend.ofClient(sent, first, applied.rules(), clock.millis(),
                applied.config().logAppendTime()));
    }

    private synchronized long append(LongFunction<PreparedAppend> encoder) {
        long first = endOffset;
        PreparedAppend prepared = encoder.apply(first);
        for (RecordBatch batch : prepared.batches()) {
            ByteBuffer stored = ByteBuffer.allocate(batch.sizeInBytes());
            stored.put(batch.buffer().duplicate()).flip(); // a copy: the caller's buffer is the caller's
            batches.put(batch.baseOffset(), stored.asReadOnlyBuffer());
            bytes += stored.remaining();
        }
        endOffset += prepared.count();
        return first;
    }

    // ---- read ----

    @Override
    public FetchedBatches fetch(long fromOffset, ByteBuffer into) {
        return read(fromOffset, Objects.requireNonNull(into, "into").remaining(), true, into);
    }

    /**
     * Whole batches from the one holding {@code fromOffset}, at most {@code maxBytes} of them, but the first
     * anyway if {@code wholeBatchAnyway}: the bounds of a broker's read. In {@code into} if they fit, else in a
     * buffer of their own.
     */
    public FetchedBatches read(long fromOffset, int maxBytes, boolean wholeBatchAnyway, ByteBuffer into) {
        return read(fromOffset, Long.MAX_VALUE, maxBytes, wholeBatchAnyway, into);
    }

    /** As {@link #read(long, int, boolean, ByteBuffer)}, but no batch that holds {@code upTo} or comes after it. */
    private synchronized FetchedBatches read(long fromOffset, long upTo, int maxBytes, boolean wholeBatchAnyway,
                                             ByteBuffer into) {
        if (fromOffset < logStartOffset || fromOffset > endOffset) {
            throw OffsetOutOfRangeException.forRead(fromOffset, logStartOffset, endOffset);
        }
        List<ByteBuffer> found = new ArrayList<>();
        long size = 0;
        long next = fromOffset;
        Long from = batches.floorKey(fromOffset);
        for (Map.Entry<Long, ByteBuffer> entry : batches.tailMap(from == null ? fromOffset : from, true).entrySet()) {
            ByteBuffer batch = entry.getValue();
            long after = RecordBatch.wrap(batch.duplicate()).nextOffset();
            if (after <= fromOffset) {
                continue; // the last batch, for a read at the end offset: nothing is there yet
            }
            if (after > upTo) {
                break; // it holds the bound, or comes after it
            }
            if (size + batch.remaining() > maxBytes && !(found.isEmpty() && wholeBatchAnyway)) {
                break;
            }
            found.add(batch.duplicate());
            size += batch.remaining();
            next = after;
        }
        ByteBuffer out = into != null && into.remaining() >= size ? into.slice(into.position(), (int) size)
                : ByteBuffer.allocate((int) size);
        for (ByteBuffer batch : found) {
            out.put(batch);
        }
        return new FetchedBatches(out.flip(), fromOffset, next);
    }

    /** There are no files to send slices of, so the batches are always copied out (a front end sends them from the heap). */
    @Override
    public synchronized StoredBatches read(long fromOffset, long upTo, int room, boolean wholeBatchAnyway,
                                           ByteBuffer region, boolean asFileSlices) {
        return StoredBatches.read(read(fromOffset, upTo, room, wholeBatchAnyway, region), logStartOffset, endOffset);
    }

    @Override
    public synchronized Record read(long offsetOrIndex) {
        long offset = resolve(offsetOrIndex);
        return readBatchWithOffsets(offset, 1).get(0).record();
    }

    @Override
    public List<Record> readBatch(long fromOffset, int maxRecords) {
        return readBatchWithOffsets(fromOffset, maxRecords).stream().map(OffsetRecord::record).toList();
    }

    @Override
    public synchronized List<OffsetRecord> readBatchWithOffsets(long fromOffset, int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 record; maxRecords was " + maxRecords);
        }
        if (fromOffset == endOffset) {
            return List.of();
        }
        long from = resolve(fromOffset);
        List<OffsetRecord> records = new ArrayList<>();
        Long first = batches.floorKey(from);
        for (ByteBuffer batch : batches.tailMap(first == null ? from : first, true).values()) {
            for (OffsetRecord record : RecordBatch.wrap(batch.duplicate()).offsetRecords()) {
                if (record.offset() >= from && records.size() < maxRecords) {
                    records.add(record);
                }
            }
            if (records.size() >= maxRecords) {
                break;
            }
        }
        return records;
    }

    @Override
    public synchronized OptionalLong offsetForTime(Instant time) {
        long wanted = time.toEpochMilli();
        for (ByteBuffer batch : batches.values()) {
            RecordBatch read = RecordBatch.wrap(batch.duplicate());
            if (read.maxTimestamp() < wanted) {
                continue;
            }
            for (OffsetRecord record : read.offsetRecords()) {
                if (record.offset() >= logStartOffset && !record.record().timestamp().isBefore(time)) {
                    return OptionalLong.of(record.offset());
                }
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public synchronized long sizeInBytes() {
        return bytes;
    }

    @Override
    public synchronized Optional<OffsetRecord> recordWithMaxTimestamp() {
        OffsetRecord found = null;
        for (ByteBuffer stored : batches.values()) {
            RecordBatch batch = RecordBatch.wrap(stored.duplicate());
            if (found != null && batch.maxTimestamp() <= found.record().timestamp().toEpochMilli()) {
                continue; // no record of it is later than the one found: no need to decode it
            }
            for (OffsetRecord record : batch.offsetRecords()) {
                if (record.offset() >= logStartOffset && (found == null
                        || record.record().timestamp().isAfter(found.record().timestamp()))) {
                    found = record;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public synchronized long earliest() {
        return logStartOffset;
    }

    @Override
    public synchronized long endOffset() {
        return endOffset;
    }

    // ---- removal ----

    @Override
    public synchronized long deleteRecordsBefore(long before) {
        if (before < 0 || before > endOffset) {
            throw new OffsetOutOfRangeException("cannot delete records before offset " + before + ": it must be"
                    + " from 0 to the end offset " + endOffset + " (records below the log start offset "
                    + logStartOffset + " are deleted already)", before, logStartOffset, endOffset);
        }
        if (before > logStartOffset) {
            logStartOffset = before;
            dropBatchesBelowStart();
        }
        return logStartOffset;
    }

    /**
     * Removes the oldest batches that {@code retention.ms} (by each batch's newest timestamp) or {@code
     * retention.bytes} no longer keeps, as the file log removes segments: by age every expired batch goes,
     * the newest too, and the log keeps its end offset with nothing below it; by size never the newest,
     * as Kafka never deletes its active segment for size. Returns how many records went.
     */
    @Override
    public synchronized Retained applyRetention() {
        long before = logStartOffset;
        long now = clock.millis();
        TopicConfig config = applied.config();
        while (!batches.isEmpty()) {
            ByteBuffer oldest = batches.firstEntry().getValue();
            RecordBatch batch = RecordBatch.wrap(oldest.duplicate());
            boolean expired = config.retentionMs() >= 0 && batch.maxTimestamp() != RecordBatch.NO_TIMESTAMP
                    && now - batch.maxTimestamp() > config.retentionMs();
            boolean tooLarge = batches.size() > 1 && config.retentionBytes() >= 0 && bytes > config.retentionBytes();
            if (!expired && !tooLarge) {
                break;
            }
            logStartOffset = Math.max(logStartOffset, batch.nextOffset());
            batches.pollFirstEntry();
            bytes -= oldest.remaining();
        }
        return logStartOffset == before ? Retained.NOTHING : new Retained(logStartOffset - before, List.of());
    }

    private void dropBatchesBelowStart() {
        while (!batches.isEmpty()) {
            ByteBuffer oldest = batches.firstEntry().getValue();
            if (RecordBatch.wrap(oldest.duplicate()).nextOffset() > logStartOffset) {
                break;
            }
            batches.pollFirstEntry();
            bytes -= oldest.remaining();
        }
    }

    /** No segment files: the batches are one sequence in memory, never compacted. */
    @Override
    public Optional<SegmentFiles> segmentFiles() {
        return Optional.empty();
    }

    @Override
    public void close() {
        // nothing to release: the batches go with the log
    }

    @Override
    public synchronized String toString() {
        return "MemoryBatchLog[" + logStartOffset + ".." + endOffset + ", " + batches.size() + " batches]";
    }

    @Override
    public ProducerStateManager producerState() {
        return producers;
    }

}
