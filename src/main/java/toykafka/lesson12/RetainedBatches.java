package toykafka.lesson12;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntPredicate;
import toykafka.common.Compression;
import toykafka.common.OffsetRecord;
import toykafka.common.RecordBatch;
import toykafka.common.Varint;

/**
 * The batches the log cleaner writes back: a batch keeping only some of its records, or none. Kafka's
 * {@code MemoryRecords.filterTo}, which keeps an emptied batch when it must.
 */
public final class RetainedBatches {

    private RetainedBatches() {
    }

    // tag::retain[]
    /**
     * The batch as the log cleaner rewrites it: only the records whose offset delta {@code keep} accepts.
     * Offsets never change, so the base offset and lastOffsetDelta stay and the batch still covers the
     * same offsets, now with gaps; so do the attributes (codec, timestamp type), base timestamp, producer
     * id, epoch and base sequence, and leader epoch. The kept records' bytes are copied unchanged, their
     * deltas still right; the count, maxTimestamp (with CreateTime) and CRC are computed again, and the
     * records compressed again with the batch's codec. If nothing is kept, the result is the batch with no
     * records (see {@link #emptyLike}), which Kafka keeps too.
     */
    public static RecordBatch retain(RecordBatch original, IntPredicate keep) {
        List<OffsetRecord> records = original.offsetRecords(); // also checks every record before any is copied
        ByteBuffer in = original.recordBytes();
        ByteBuffer kept = ByteBuffer.allocate(in.remaining());
        int count = 0;
        long maxTimestamp = original.isLogAppendTime() ? original.maxTimestamp() : Long.MIN_VALUE;
        for (OffsetRecord record : records) {
            int start = in.position();
            int length = Varint.readInt(in);
            in.position(in.position() + length); // past the record: its bytes are copied, not decoded again
            if (keep.test((int) (record.offset() - original.baseOffset()))) {
                kept.put(in.duplicate().position(start).limit(in.position()));
                count++;
                maxTimestamp = Math.max(maxTimestamp, record.record().timestamp().toEpochMilli());
            }
        }
        if (count == 0) {
            return emptyLike(original);
        }
        byte[] plain = new byte[kept.flip().remaining()];
        kept.get(plain);
        Compression codec = original.compression();
        byte[] body = codec == Compression.NONE ? plain : RecordBatch.compress(codec, plain);
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + body.length)
                .put(original.buffer().limit(RecordBatch.HEADER_SIZE))
                .put(body)
                .putInt(RecordBatch.LENGTH_AT, RecordBatch.HEADER_SIZE + body.length - RecordBatch.LOG_OVERHEAD)
                .putLong(RecordBatch.MAX_TIMESTAMP_AT, maxTimestamp)
                .putInt(RecordBatch.RECORDS_COUNT_AT, count);
        return withCrc(batch.flip());
    }

    /**
     * The batch with no records, covering the same offsets, as Kafka's cleaner writes it when none of a
     * batch's records survive but the batch must stay (for the producer's sequence, or for the segment's
     * last offset). No codec, since there is nothing to compress; no timestamp (-1), since no record has
     * one, so no time index entry names it: Kafka's DumpLogSegments takes a batch's time from its records
     * and would call an entry with the old maxTimestamp a mismatch.
     */
    public static RecordBatch emptyLike(RecordBatch original) {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE)
                .put(original.buffer().limit(RecordBatch.HEADER_SIZE))
                .putInt(RecordBatch.LENGTH_AT, RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD)
                .putShort(RecordBatch.ATTRIBUTES_AT, (short) (original.attributes() & ~RecordBatch.CODEC_MASK))
                .putLong(RecordBatch.BASE_TIMESTAMP_AT, RecordBatch.NO_TIMESTAMP)
                .putLong(RecordBatch.MAX_TIMESTAMP_AT, RecordBatch.NO_TIMESTAMP)
                .putInt(RecordBatch.RECORDS_COUNT_AT, 0);
        return withCrc(batch.flip());
    }
    // end::retain[]

    /** The batch, with the CRC of its bytes from the attributes on written into it. */
    private static RecordBatch withCrc(ByteBuffer bytes) {
        RecordBatch batch = RecordBatch.wrap(bytes);
        bytes.putInt(RecordBatch.CRC_AT, batch.computeCrc());
        return batch;
    }
}
