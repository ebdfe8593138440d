package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * A consumer with a tiny receive buffer (receive.buffer.bytes=1024) reads a large record from file storage
 * without its fetch timing out, on a fresh connection each time: before the first records of a response went
 * out in the write of its leading bytes, most such connections stalled (see {@link Connection}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TinyReceiveBufferFetchTest {

    private static final int VALUE_BYTES = 900_000;
    /** Kafka's default: a fetch slow on a busy machine is still answered; one that stalls is cut off and counted. */
    private static final int REQUEST_TIMEOUT_MS = 30_000;
    @TempDir
    static Path dataDir;
    private RunningBroker broker;
    private final byte[] value = "v".repeat(VALUE_BYTES).getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    void start() {
        broker = RunningBroker.overKafka(dataDir);
        broker.broker().createTopic("big", 1, Map.of(), OnDuplicate.FAIL);
        KafkaBatches.append(broker.broker(), new toykafka.common.TopicPartition("big", 0),
                KafkaBatches.batch(System.currentTimeMillis(), new String(value, StandardCharsets.US_ASCII)));
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    @RepeatedTest(3)
    void a_900_KB_record_arrives_within_one_request_timeout_and_no_connection_is_dropped() {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("key.deserializer", ByteArrayDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        config.put("receive.buffer.bytes", "1024");
        config.put("request.timeout.ms", String.valueOf(REQUEST_TIMEOUT_MS));
        config.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition("big", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            byte[] got = null;
            // a stalled fetch is cut off by the client at request.timeout.ms, closing its connection, and made
            // again: the record then comes late, and the closed connection tells
            long deadline = System.nanoTime() + Duration.ofMillis(4L * REQUEST_TIMEOUT_MS).toNanos();
            while (got == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    got = record.value();
                }
            }

            assertArrayEquals(value, got, "the record, whole");
            assertEquals(0.0, closedConnections(consumer), "a request that timed out (request.timeout.ms="
                    + REQUEST_TIMEOUT_MS + ") closes its connection");
        }
    }

    private static double closedConnections(KafkaConsumer<?, ?> consumer) {
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            if (metric.getKey().name().equals("connection-close-total")
                    && metric.getKey().group().equals("consumer-metrics")) {
                return ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("the consumer has no connection-close-total metric");
    }
}
