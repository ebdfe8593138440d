package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.List;
import toykafka.common.ApiException;
import toykafka.common.EpochEndOffset;
import toykafka.common.Errors;
import toykafka.common.FetchedBatches;
import toykafka.common.OffsetRecord;
import toykafka.lesson08.FileSlice;
import toykafka.storage.StoredBatches;

/**
 * One partition's answer to a read: an error, or the high watermark (the end offset: on one broker
 * every record is committed once appended), the log start offset, and whole stored batches, the first of
 * which may begin before the offset asked for. A read of bytes has them in {@code batches}; a read of
 * file slices ({@link Partitions#readFileSlices}) leaves them in the log's files, in {@code slices}, and its
 * {@code batches} holds no bytes, only the offsets. A read whose last fetched epoch ends before its offset gets
 * no batches and that epoch's end, {@code divergingEpoch} (else null), and is answered at once.
 */
public record PartitionData(Errors error, String message, long highWatermark, long logStartOffset,
                            FetchedBatches batches, List<FileSlice> slices, long lastStableOffset,
                            List<AbortedTransaction> abortedTransactions, EpochEndOffset divergingEpoch) {

    public PartitionData {
        slices = List.copyOf(slices);
        abortedTransactions = abortedTransactions == null ? null : List.copyOf(abortedTransactions);
    }

    /** An answer whose log does not diverge from the reader's. */
    public PartitionData(Errors error, String message, long highWatermark, long logStartOffset,
                         FetchedBatches batches, List<FileSlice> slices, long lastStableOffset,
                         List<AbortedTransaction> abortedTransactions) {
        this(error, message, highWatermark, logStartOffset, batches, slices, lastStableOffset, abortedTransactions,
                null);
    }

    /** An answer with no transaction undecided, for a read that did not ask for the aborted ones. */
    public PartitionData(Errors error, String message, long highWatermark, long logStartOffset,
                         FetchedBatches batches, List<FileSlice> slices) {
        this(error, message, highWatermark, logStartOffset, batches, slices, highWatermark, null);
    }

    /** An answer whose batches, if any, are in memory. */
    public PartitionData(Errors error, String message, long highWatermark, long logStartOffset, FetchedBatches batches) {
        this(error, message, highWatermark, logStartOffset, batches, List.of());
    }

    static PartitionData refused(ApiException e, long offset) {
        return new PartitionData(e.error(), e.getMessage(), -1, -1, noBatches(offset));
    }

    /** How many bytes of batches the answer holds, in memory or in its slices. */
    public long size() {
        return batches.bytes().remaining() + slices.stream().mapToLong(FileSlice::bytes).sum();
    }

    /**
     * How many records its batches hold, as their headers count them (the batches read into memory; slices
     * are not opened here): what the statistics count out when the answer is handed over.
     */
    public long recordCount() {
        return StoredBatches.recordsIn(batches.bytes().duplicate());
    }

    /**
     * The records from the offset asked for, decoded: what a front end that speaks records needs. An answer
     * to a {@code read_committed} read leaves out its aborted transactions' records, as a consumer would.
     */
    public List<OffsetRecord> records(int max) {
        return CommittedBatches.records(batches, abortedTransactions, max);
    }

    /** No batches: the answer's place in the log, at {@code offset}, with nothing read. */
    static FetchedBatches noBatches(long offset) {
        return new FetchedBatches(ByteBuffer.allocate(0), offset, offset);
    }
}
