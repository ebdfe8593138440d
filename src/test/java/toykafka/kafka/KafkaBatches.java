package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.Partitions.Acks;
import toykafka.common.Errors;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;

/**
 * Record batches for tests of the Kafka front end: a producer's batch goes into the broker's core as a
 * producer's bytes would, and what a fetch brings back is read batch by batch, each one's magic and CRC-32C
 * checked as a consumer checks them.
 */
final class KafkaBatches {

    private KafkaBatches() {
    }

    /** One batch of these values, no keys, the first stamped {@code firstTimestamp} and each next one 1 ms later. */
    static ByteBuffer batch(long firstTimestamp, String... values) {
        Record[] records = new Record[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = Record.of(null, values[i], Instant.ofEpochMilli(firstTimestamp + i));
        }
        return ProducerBatches.plain(records);
    }

    /** Appends a batch through the broker's core, as another connection's producer would, and checks it went in. */
    static void append(Broker broker, TopicPartition partition, ByteBuffer batch) {
        assertEquals(Errors.NONE, broker.partitions().append(Map.of(partition, batch), Acks.ALL).get(partition).error());
    }

    /** The batches in a fetch's records, every byte of them: each checked as a consumer checks it. */
    static List<RecordBatch> validBatches(ByteBuffer records) {
        List<RecordBatch> batches = RecordBatch.wrapAll(records);
        for (RecordBatch batch : batches) {
            assertEquals(RecordBatch.MAGIC, batch.magic(), "the magic of " + batch);
            assertEquals(batch.computeCrc(), batch.storedCrc(), "the CRC-32C of " + batch);
        }
        return batches;
    }

    /** Every record in a fetch's batches, with offsets below {@code from} too: the consumer drops those. */
    static List<OffsetRecord> records(ByteBuffer records) {
        List<OffsetRecord> all = new ArrayList<>();
        for (RecordBatch batch : validBatches(records)) {
            all.addAll(batch.offsetRecords());
        }
        return all;
    }

    /** A record's value as text. */
    static String value(OffsetRecord record) {
        return new String(record.record().value(), StandardCharsets.UTF_8);
    }
}
