package toykafka.common;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole record batches as they lie on disk, each already checked: what a fetch hands out. A broker sends
 * these bytes to a consumer as they are; only the consumer turns them into records. As in Kafka, the
 * first batch may hold offsets before the one asked for.
 *
 * @param bytes       the batches, back to back, from position 0 to the limit
 * @param fromOffset  the offset that was asked for
 * @param nextOffset  the offset after the last batch: where the next fetch starts
 */
public record FetchedBatches(ByteBuffer bytes, long fromOffset, long nextOffset) {

    public boolean isEmpty() {
        return !bytes.hasRemaining();
    }

    /** The batches, as views of the bytes. */
    public List<RecordBatch> batches() {
        return RecordBatch.wrapAll(bytes.duplicate());
    }

    /** Up to {@code max} records from {@code fromOffset} on, decoded. */
    public List<Record> records(int max) {
        return offsetRecords(max).stream().map(OffsetRecord::record).toList();
    }

    /**
     * Up to {@code max} records from {@code fromOffset} on, decoded, each with its offset. In a cleaned
     * segment these may skip offsets, and may be none at all when the batches here hold only gaps or
     * transaction markers.
     */
    public List<OffsetRecord> offsetRecords(int max) {
        return offsetRecords(batches(), fromOffset, max);
    }

    /** Up to {@code max} records of {@code batches} from {@code fromOffset} on, decoded, markers left out. */
    public static List<OffsetRecord> offsetRecords(List<RecordBatch> batches, long fromOffset, int max) {
        List<OffsetRecord> records = new ArrayList<>();
        for (RecordBatch batch : batches) {
            if (records.size() >= max) {
                break;
            }
            if (batch.lastOffset() < fromOffset || batch.isControl()) {
                continue; // a transaction marker is no one's record
            }
            for (OffsetRecord record : batch.offsetRecords()) {
                if (record.offset() >= fromOffset && records.size() < max) {
                    records.add(record);
                }
            }
        }
        return records;
    }
}
