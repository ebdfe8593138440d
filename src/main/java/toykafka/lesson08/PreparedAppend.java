package toykafka.lesson08;

import java.nio.ByteBuffer;
import java.util.List;
import toykafka.common.BatchValidator;
import toykafka.common.Compression;
import toykafka.common.InvalidRecordException;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.RecordErrors;
import toykafka.common.RecordRules;

/**
 * Record batches ready for one append: checked against the topic's rules and given their offsets, before
 * a segment is chosen, so the log knows the size (to roll before it would overfill a segment) and no
 * byte is written for a batch that is refused. In Kafka, the validated {@code MemoryRecords} that
 * {@code LogValidator} hands {@code UnifiedLog.append}. Public because the memory store of
 * {@code toykafka.storage} appends under the same rules.
 *
 * @param bytes   the batches, back to back, from position 0 to the limit
 * @param batches each batch, a view of {@code bytes}
 */
public record PreparedAppend(ByteBuffer bytes, List<RecordBatch> batches) {

    int sizeInBytes() {
        return bytes.limit();
    }

    long firstOffset() {
        return batches.get(0).baseOffset();
    }

    /** How many offsets the batches take. */
    public long count() {
        return batches.get(batches.size() - 1).nextOffset() - firstOffset();
    }

    long maxTimestamp() {
        long max = Long.MIN_VALUE;
        for (RecordBatch batch : batches) {
            max = Math.max(max, batch.maxTimestamp());
        }
        return max;
    }

    // tag::encode[]
    /** Checks the records, then encodes them as one batch from {@code firstOffset}, as a producer would. */
    public static PreparedAppend encode(List<Record> records, long firstOffset, RecordRules rules) {
        rules.check(records); // every record, and the batch's size as Kafka counts it
        RecordBatch batch = RecordBatch.of(records, firstOffset, Compression.NONE);
        return new PreparedAppend(batch.buffer(), List.of(batch));
    }
    // end::encode[]

    // tag::client[]
    /**
     * Takes batches a producer encoded, from the buffer's position to its limit, the way a broker does:
     * checks each one (format, CRC, records, the topic's rules, timestamps against {@code now}, and
     * max.message.bytes), stamps its base offset and the leader's epoch, which lie outside the CRC, and, with
     * {@code logAppendTime}, the broker's time {@code now}, which does not. Any bad batch refuses them all;
     * nothing is written before every one has passed.
     */
    public static PreparedAppend ofClient(ByteBuffer sent, long firstOffset, RecordRules rules, long now,
                                   boolean logAppendTime) {
        ByteBuffer bytes = writable(sent);
        List<RecordBatch> batches = RecordBatch.wrapAll(bytes);
        if (batches.isEmpty()) {
            throw new InvalidRecordException("an empty request holds no batch to append");
        }
        long offset = firstOffset;
        for (RecordBatch batch : batches) {
            rules.checkSize(batch.sizeInBytes());
            RecordErrors refused = new RecordErrors(); // every bad record named, as Kafka's per-record errors are
            BatchValidator.validate(batch, (delta, timestamp, keyLength, valueLength) -> refused.check(delta, () -> {
                rules.checkKey(keyLength >= 0);
                rules.checkTimestamp(timestamp, now);
            }));
            refused.throwIfAny(batch.count());
        }
        for (RecordBatch batch : batches) { // only once every batch has passed: a refusal changes no byte
            batch.setBaseOffset(offset);
            batch.setPartitionLeaderEpoch(RecordBatch.FIRST_LEADER_EPOCH); // the leader's, as Kafka's leader stamps it
            if (logAppendTime) {
                batch.setLogAppendTime(now);
            }
            offset = batch.nextOffset();
        }
        return new PreparedAppend(bytes, batches);
    }

    // end::client[]

    /** The sent bytes as a buffer the offsets can be written into: a copy if the caller's is read-only. */
    private static ByteBuffer writable(ByteBuffer sent) {
        if (!sent.isReadOnly()) {
            return sent.slice();
        }
        return ByteBuffer.allocate(sent.remaining()).put(sent.duplicate()).flip();
    }
}
