package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Partitions;
import toykafka.common.Compression;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;

/**
 * Seed 001, Wafka, sent a Kafka-shaped Produce v3 of its own: every string with an INT32 length (Kafka's
 * are INT16) and the records as one more such string (Kafka's are a RecordBatch v2 in a BYTES field). Its
 * exact frame is refused the way Kafka refuses bytes it cannot read: a line in the log, the connection
 * closed, nothing written. The same request in Kafka's encoding is written.
 */
class WafkaFrameTest {

    private static final String MESSAGE = "{\"event_id\":1,\"topic_name\":\"deliveries\",\"timestamp\":\"2024-05-01\","
            + "\"message\":\"truck--ontime--australia-melbourne-1021\"}";

    @TempDir
    Path dataDir;

    @Test
    void wafkas_own_frame_is_refused_with_a_line_in_the_log_and_nothing_written() {
        try (RunningKafkaBroker broker = new RunningKafkaBroker(dataDir)) {
            broker.broker().createTopic("deliveries", 1, java.util.Map.of(), toykafka.lesson04.OnDuplicate.FAIL);
            try (KafkaWire wire = new KafkaWire(broker)) {
                wire.write(sized(wafkaProduce()));
                assertTrue(wire.closedByBroker(), "the broker closes a connection whose request it cannot read");
            }
            assertTrue(broker.log().contains("closing the connection"), broker.log());
            assertTrue(broker.log().contains("Produce v3"), "the line names the request it could not read: " + broker.log());
            assertEquals(0, broker.broker().partitions().listOffsets(new TopicPartition("deliveries", 0),
                    Partitions.LATEST).offset(), "nothing was written");
        }
    }

    @Test
    void the_same_request_in_kafkas_encoding_is_written() {
        try (RunningKafkaBroker broker = new RunningKafkaBroker(dataDir)) {
            broker.broker().createTopic("deliveries", 1, java.util.Map.of(), toykafka.lesson04.OnDuplicate.FAIL);
            try (KafkaWire wire = new KafkaWire(broker)) {
                ByteBuffer response = wire.exchange(ByteBuffer.wrap(kafkaProduce()));
                assertEquals(3, response.getInt(), "the correlation id");
                assertFalse(broker.log().contains("closing the connection"), broker.log());
            }
            TopicPartition deliveries = new TopicPartition("deliveries", 0);
            assertEquals(1, broker.broker().partitions().listOffsets(deliveries, Partitions.LATEST).offset());
            List<OffsetRecord> records = broker.broker().partitions().readAndWait(Partitions.FetchParams.of(deliveries,
                    0, 1 << 20, java.time.Duration.ZERO)).get(deliveries).records(10);
            assertEquals(MESSAGE, new String(records.get(0).record().value(), StandardCharsets.UTF_8));
        }
    }

    /** Wafka's Produce v3, field by field as its client writes it: strings with INT32 lengths, records as a string. */
    static byte[] wafkaProduce() {
        return bytes(out -> {
            out.writeShort(0); // api key: Produce
            out.writeShort(3); // api version
            out.writeInt(3); // correlation id
            int32String(out, "wafka-producer"); // client id
            out.writeInt(-1); // transactional id: null
            out.writeShort(1); // acks
            out.writeInt(30_000); // timeout ms
            out.writeInt(1); // topics
            int32String(out, "deliveries");
            out.writeInt(1); // partitions
            out.writeInt(0);
            int32String(out, MESSAGE); // records: the message as a string
        });
    }

    /** The same request as Kafka reads it: INT16 string lengths, the records a RecordBatch v2 in a BYTES field. */
    static byte[] kafkaProduce() {
        ByteBuffer batch = RecordBatch.of(List.of(Record.of(null, MESSAGE,
                Instant.parse("2024-05-01T00:00:00Z"))), 0, Compression.NONE).buffer();
        return bytes(out -> {
            out.writeShort(0);
            out.writeShort(3);
            out.writeInt(3);
            int16String(out, "wafka-producer");
            out.writeShort(-1); // transactional id: null, as an INT16 length
            out.writeShort(1);
            out.writeInt(30_000);
            out.writeInt(1);
            int16String(out, "deliveries");
            out.writeInt(1);
            out.writeInt(0);
            out.writeInt(batch.remaining()); // BYTES: INT32 length, then the batch
            out.write(batch.array(), batch.arrayOffset() + batch.position(), batch.remaining());
        });
    }

    private interface Fields {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            fields.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void int32String(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void int16String(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static byte[] sized(byte[] frame) {
        return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
    }
}
