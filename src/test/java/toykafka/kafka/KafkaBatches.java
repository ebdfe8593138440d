package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.TimestampType;
import toykafka.broker.Broker;
import toykafka.broker.Partitions.Acks;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * Record batches as Kafka's own client code writes and reads them, for tests of the Kafka front end: a
 * batch built by kafka-clients' {@code MemoryRecordsBuilder} goes into the broker's core as a producer's
 * bytes would, and what comes back is read by {@code MemoryRecords}, each batch's CRC checked as a
 * consumer checks it.
 */
final class KafkaBatches {

    private KafkaBatches() {
    }

    /** One batch of these values, the first stamped {@code firstTimestamp} and each next one 1 ms later. */
    static ByteBuffer batch(long firstTimestamp, String... values) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024 + totalLength(values)),
                Compression.NONE, TimestampType.CREATE_TIME, 0);
        for (int i = 0; i < values.length; i++) {
            builder.append(firstTimestamp + i, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return builder.build().buffer();
    }

    /** Appends a batch through the broker's core, as another connection's producer would, and checks it went in. */
    static void append(Broker broker, TopicPartition partition, ByteBuffer batch) {
        assertEquals(Errors.NONE, broker.partitions().append(Map.of(partition, batch), Acks.ALL).get(partition).error());
    }

    /** The batches in a fetch's records, each checked as a consumer checks it (CRC-32C and all). */
    static List<MutableRecordBatch> validBatches(MemoryRecords records) {
        List<MutableRecordBatch> batches = new ArrayList<>();
        for (MutableRecordBatch batch : records.batches()) {
            batch.ensureValid();
            batches.add(batch);
        }
        return batches;
    }

    /** Every record in a fetch's batches, with offsets below {@code from} too: the consumer drops those. */
    static List<Record> records(MemoryRecords records) {
        List<Record> all = new ArrayList<>();
        for (MutableRecordBatch batch : validBatches(records)) {
            batch.forEach(all::add);
        }
        return all;
    }

    /** A record's value as text. */
    static String value(Record record) {
        ByteBuffer value = record.value();
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int totalLength(String... values) {
        int length = 0;
        for (String value : values) {
            length += value.length() * 4 + 32;
        }
        return length;
    }
}
