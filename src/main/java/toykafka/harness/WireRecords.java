package toykafka.harness;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import toykafka.common.RecordBatch;

/**
 * The one door between record batch bytes and the records field of Kafka's generated messages. That field's
 * type is a class Kafka keeps internal (kafka-clients 4.3 moved it), so the course never names it: a message
 * reads the bytes into the field itself, and gives them back when it is written. Both go through a produce
 * partition at version 8, whose layout is fixed: index (int32), records' size (int32, -1 for none), the bytes.
 */
public final class WireRecords {

    private static final short CARRIER_VERSION = 8;
    private static final int HEAD = Integer.BYTES + Integer.BYTES;

    private WireRecords() {
    }

    /** A Produce request's partition carrying {@code batches}, or no records when it is null; the bytes are shared. */
    public static PartitionProduceData partition(int index, ByteBuffer batches) {
        int size = batches == null ? 0 : batches.remaining();
        ByteBuffer wire = ByteBuffer.allocate(HEAD + size).putInt(index).putInt(batches == null ? -1 : size);
        if (batches != null) {
            wire.put(batches.duplicate());
        }
        return new PartitionProduceData(new ByteBufferAccessor(wire.flip()), CARRIER_VERSION);
    }

    /** A fetched partition's records as bytes, empty when the field is null (a partition that sent none). */
    public static ByteBuffer bytes(FetchResponseData.PartitionData fetched) {
        PartitionProduceData carrier = new PartitionProduceData().setRecords(fetched.records());
        if (carrier.records() == null) {
            return ByteBuffer.allocate(0);
        }
        return MessageUtil.toByteBufferAccessor(carrier, CARRIER_VERSION).buffer().position(HEAD).slice();
    }

    /**
     * The whole batches of a fetched partition, as a fetch answers them: a last batch cut short by the size limit
     * is left out, to be asked for again.
     */
    public static List<RecordBatch> wholeBatches(FetchResponseData.PartitionData fetched) {
        ByteBuffer bytes = bytes(fetched);
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
