package toykafka.storage;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import toykafka.common.OffsetRecord;
import toykafka.common.RecordBatch;
import toykafka.common.RecordLog;
import toykafka.common.FetchedBatches;
import toykafka.common.TopicPartition;
import toykafka.lesson08.SegmentInfo;
import toykafka.storage.producers.AbortedTxn;
import toykafka.storage.producers.ActiveProducer;
import toykafka.storage.producers.AppendOrigin;
import toykafka.storage.producers.BatchMetadata;
import toykafka.storage.producers.ProducerAppendInfo;
import toykafka.storage.producers.ProducerLog;
import toykafka.storage.producers.ProducerStateManager;

/**
 * The one log type the broker serves producers and consumers from, whatever keeps it: batches in as a producer
 * encoded them, whole stored batches out, a log start offset that moves, retention, and its producers' state;
 * what only files have (segments, indexes, cleaning) is {@link #segmentFiles()}. Kafka's {@code UnifiedLog},
 * which its broker never looks inside either. {@link FileBatchLog} keeps one
 * in lesson 8's files; {@link MemoryBatchLog} in memory, for a broker that keeps nothing (MiniKafka's memory mode).
 */
public interface BatchLog extends RecordLog, ProducerLog {

    /**
     * Appends record batches a producer encoded (RecordBatch v2, any codec), from the buffer's position to
     * its limit: checks each one and the topic's rules, and writes its offsets (and, with LogAppendTime, the
     * log's clock) into the batches, in the buffer given. Returns the first offset.
     */
    long appendBatches(ByteBuffer batches);

    // tag::append-as-leader[]
    /**
     * Appends the one batch of an idempotent or transactional producer, or a transaction marker, as Kafka's
     * {@code UnifiedLog.append} does: the producer state analyzes and validates it, the log writes it (as
     * {@link #appendBatches} does), and the producer state is updated with it as stored, its producer held from
     * the first step to the last. A batch damaged on its way (its CRC does not match) goes to the log unjudged,
     * to be refused as corrupt, which the producer retries: a damaged retry is not taken for a fenced or
     * out-of-order batch. Returns the batch already written that this one repeats, when it is a retry, and then
     * writes nothing; empty when the batch was written.
     */
    default Optional<BatchMetadata> appendAsLeader(TopicPartition partition, ByteBuffer batch, AppendOrigin origin) {
        RecordBatch sent = RecordBatch.wrap(batch.duplicate());
        if (sent.storedCrc() != sent.computeCrc()) {
            appendBatches(batch); // the log refuses it (CORRUPT_MESSAGE), as Kafka checks the CRC first
            return Optional.empty();
        }
        try (ProducerAppendInfo producer = producerState().prepareUpdate(partition, sent, origin)) {
            Optional<BatchMetadata> duplicate = producer.analyzeAndValidate();
            if (duplicate.isEmpty()) {
                appendBatches(batch); // gives it its offsets, in place
                producer.update(RecordBatch.wrap(batch.duplicate()));
            }
            return duplicate;
        }
    }
    // end::append-as-leader[]

    /**
     * Whole, checked batches from the one holding {@code fromOffset} on, as many as fit in {@code into} (at
     * least one): what a broker sends a consumer. The result may be a view of {@code into}.
     */
    @Override
    FetchedBatches fetch(long fromOffset, ByteBuffer into);

    // tag::producers[]
    /**
     * The producers this partition knows, its open transactions and the aborted ones: made with the log, read
     * from it at the first look, and gone with it, so a topic created again starts with none. In Kafka too the
     * log ({@code UnifiedLog}) owns its {@code ProducerStateManager}.
     */
    ProducerStateManager producerState();

    /** Below it every transaction is decided: a {@code read_committed} consumer reads up to here. */
    default long lastStableOffset() {
        return producerState().lastStableOffset();
    }

    /** The aborted transactions a read of {@code [from, upTo)} may hold records of. */
    default List<AbortedTxn> abortedOverlapping(long from, long upTo) {
        return producerState().abortedOverlapping(from, upTo);
    }

    /** Every producer the partition knows: what DescribeProducers answers. */
    default List<ActiveProducer> activeProducers() {
        return producerState().active();
    }
    // end::producers[]

    /**
     * One partition's part of a fetch: whole batches from the one holding {@code fromOffset}, at most {@code room}
     * bytes of them, but the first anyway if {@code wholeBatchAnyway}. Left in the log's files as slices when
     * {@code asFileSlices} and the log has files; else read into {@code region} if they fit there (it may be
     * null), or into a buffer of their own. Kafka's {@code UnifiedLog.read}.
     *
     * @throws toykafka.common.OffsetOutOfRangeException if {@code fromOffset} is below the log start offset or
     *         past the end offset, naming the range a read may start in
     */
    default StoredBatches read(long fromOffset, int room, boolean wholeBatchAnyway, ByteBuffer region,
                               boolean asFileSlices) {
        return read(fromOffset, Long.MAX_VALUE, room, wholeBatchAnyway, region, asFileSlices);
    }

    /**
     * As {@link #read(long, int, boolean, ByteBuffer, boolean)}, but no batch that holds {@code upTo} or comes
     * after it, not even a first batch that comes anyway: a {@code read_committed} fetch reads up to the last
     * stable offset and no further, as Kafka's {@code UnifiedLog.read} bounds it there.
     */
    StoredBatches read(long fromOffset, long upTo, int room, boolean wholeBatchAnyway, ByteBuffer region,
                       boolean asFileSlices);

    /**
     * Moves the log start offset up to {@code before} (Kafka's {@code Admin.deleteRecords}) and returns it; an
     * offset at or below it changes nothing.
     *
     * @throws toykafka.common.OffsetOutOfRangeException if {@code before} is negative or past the end offset
     */
    long deleteRecordsBefore(long before);

    /**
     * The record with the largest timestamp, the first of them if several share it, with its offset:
     * Kafka's ListOffsets for MAX_TIMESTAMP (-3). Producers' timestamps need not grow, so this is not
     * always the last record. Empty when the log holds no record.
     */
    Optional<OffsetRecord> recordWithMaxTimestamp();

    /** The bytes of record batches the log holds: on disk, its segments' {@code .log} files (Kafka's {@code UnifiedLog.size}). */
    long sizeInBytes();

    /**
     * One pass of retention by the topic's {@code retention.ms} and {@code retention.bytes}: what it removed.
     * Kafka's {@code UnifiedLog.deleteOldSegments}.
     */
    Retained applyRetention();

    /**
     * What only a log kept in files has (segments, indexes, cleaning); empty for a log kept in memory. Kafka's
     * logs are always files.
     */
    Optional<SegmentFiles> segmentFiles();

    /**
     * What a retention pass removed: the records, and the segments they were in (none in memory, where whole
     * batches go).
     */
    record Retained(long records, List<SegmentInfo> segments) {
        public static final Retained NOTHING = new Retained(0, List.of());

        public Retained {
            segments = List.copyOf(segments);
        }
    }
}
