package toykafka.storage;

import java.nio.ByteBuffer;
import java.util.List;
import toykafka.common.RecordBatch;
import toykafka.common.FetchedBatches;
import toykafka.lesson08.FileSlice;

/**
 * What one partition's part of a fetch found ({@link BatchLog#read}): whole batches read into memory, or left in
 * the log's files as slices for a front end to send unread, and how many records they hold.
 *
 * @param batches the batches read, and where the next read starts; with slices, no bytes and the next offset
 * @param slices  where the batches lie in the log's files, when the read asked for slices and the log has files
 * @param records how many records the batches hold, by their headers
 * @param logStartOffset the log start offset the read saw
 * @param endOffset      the end offset the read saw: no batch read goes past it
 */
public record StoredBatches(FetchedBatches batches, List<FileSlice> slices, long records, long logStartOffset,
                            long endOffset) {

    public StoredBatches {
        slices = List.copyOf(slices);
    }

    /** Batches read into memory. */
    static StoredBatches read(FetchedBatches batches, long logStartOffset, long endOffset) {
        return new StoredBatches(batches, List.of(), recordsIn(batches.bytes()), logStartOffset, endOffset);
    }

    /** How many records the batches hold, by their headers: nothing is decoded to count them. */
    public static long recordsIn(ByteBuffer batches) {
        long records = 0;
        for (int at = batches.position(); at < batches.limit(); at += RecordBatch.sizeAt(batches, at)) {
            records += batches.getInt(at + RecordBatch.RECORDS_COUNT_AT);
        }
        return records;
    }
}
