package toykafka.lesson08;

import java.nio.ByteBuffer;
import java.util.Optional;
import toykafka.common.OffsetRecord;
import toykafka.common.RecordLog;

/**
 * A record log a broker can serve producers and consumers from: batches in as a producer encoded them,
 * whole stored batches out, and a log start offset that moves. Kafka's {@code UnifiedLog} ({@code
 * appendAsLeader}, {@code read}, {@code deleteRecords}). {@link FileLog} keeps one on disk and the storage's
 * {@code MemoryBatchLog} in memory, for a broker that keeps nothing (MiniKafka's memory mode).
 */
public interface BatchLog extends RecordLog {

    /**
     * Appends record batches a producer encoded (RecordBatch v2, any codec), from the buffer's position to
     * its limit: checks each one and the topic's rules, and writes its offsets (and, with LogAppendTime, the
     * log's clock) into the batches, in the buffer given. Returns the first offset.
     */
    long appendBatches(ByteBuffer batches);

    /**
     * Whole, checked batches from the one holding {@code fromOffset} on, as many as fit in {@code into} (at
     * least one): what a broker sends a consumer. The result may be a view of {@code into}.
     */
    FetchedBatches fetch(long fromOffset, ByteBuffer into);

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
}
