package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.FetchParams;
import toykafka.broker.Partitions;
import toykafka.common.OffsetRecord;
import toykafka.common.TopicPartition;
import toykafka.lesson13.WafkaFrames;
import toykafka.testing.RunningBroker;

/**
 * Seed 001, Wafka, sent a Kafka-shaped Produce v3 of its own: every string with an INT32 length (Kafka's
 * are INT16) and the records as one more such string (Kafka's are a RecordBatch v2 in a BYTES field). Its
 * exact frame is refused the way Kafka refuses bytes it cannot read: a line in the log, the connection
 * closed, nothing written. The same request in Kafka's encoding is written. Both frames are lesson 13's
 * {@link WafkaFrames}, which the lesson shows byte by byte.
 */
class WafkaFrameTest {

    @TempDir
    Path dataDir;

    @Test
    void wafkas_own_frame_is_refused_with_a_line_in_the_log_and_nothing_written() {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir)) {
            broker.broker().createTopic("deliveries", 1, java.util.Map.of(), toykafka.lesson04.OnDuplicate.FAIL);
            try (KafkaWire wire = new KafkaWire(broker)) {
                wire.write(WafkaFrames.sized(WafkaFrames.wafkaProduce()));
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
        try (RunningBroker broker = RunningBroker.overKafka(dataDir)) {
            broker.broker().createTopic("deliveries", 1, java.util.Map.of(), toykafka.lesson04.OnDuplicate.FAIL);
            try (KafkaWire wire = new KafkaWire(broker)) {
                ByteBuffer response = wire.exchange(ByteBuffer.wrap(WafkaFrames.kafkaProduce()));
                assertEquals(3, response.getInt(), "the correlation id");
                assertFalse(broker.log().contains("closing the connection"), broker.log());
            }
            TopicPartition deliveries = new TopicPartition("deliveries", 0);
            assertEquals(1, broker.broker().partitions().listOffsets(deliveries, Partitions.LATEST).offset());
            List<OffsetRecord> records = broker.broker().partitions().readAndWait(FetchParams.of(deliveries,
                    0, 1 << 20, java.time.Duration.ZERO)).get(deliveries).records(10);
            assertEquals(WafkaFrames.MESSAGE, new String(records.get(0).record().value(), StandardCharsets.UTF_8));
        }
    }
}
