package toykafka.harness;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;
import toykafka.common.RecordBatch;

/**
 * The one door between record batch bytes and the records field of Kafka's generated request and response
 * messages. That field's type is not public API (kafka-clients 4.3 moved it to an internal package), so it is
 * named here alone: moving kafka-clients changes these two imports and nothing else.
 */
public final class WireRecords {

    private WireRecords() {
    }

    /** Batches as a message's records field; the bytes are shared, not copied. */
    public static MemoryRecords of(ByteBuffer batches) {
        return MemoryRecords.readableRecords(batches.duplicate());
    }

    /** A message's records field as bytes, empty when the field is null (a partition that sent none). */
    public static ByteBuffer bytes(BaseRecords records) {
        if (records == null) {
            return ByteBuffer.allocate(0);
        }
        if (!(records instanceof MemoryRecords memory)) {
            throw new IllegalArgumentException("records read from a message are in memory, not " + records.getClass());
        }
        return memory.buffer().duplicate();
    }

    /**
     * The whole batches of a message's records field, as a fetch answers them: a last batch cut short by the
     * size limit is left out, to be asked for again.
     */
    public static List<RecordBatch> wholeBatches(BaseRecords records) {
        ByteBuffer bytes = bytes(records);
        List<RecordBatch> batches = new ArrayList<>();
        for (int at = bytes.position(); ; ) {
            int size = RecordBatch.sizeAt(bytes, at);
            if (size < 0 || size > bytes.limit() - at) {
                return batches;
            }
            batches.add(RecordBatch.wrap(bytes.slice(at, size)));
            at += size;
        }
    }
}
