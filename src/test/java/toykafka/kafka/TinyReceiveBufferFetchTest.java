package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.lesson04.OnDuplicate;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TinyReceiveBufferFetchTest {

    private static final int VALUE_BYTES = 900_000;
    @TempDir
    static Path dataDir;
    private RunningKafkaBroker broker;

    @BeforeAll
    void start() {
        broker = new RunningKafkaBroker(dataDir);
        broker.broker().createTopic("big", 1, Map.of(), OnDuplicate.FAIL);
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'v');
        KafkaBatches.append(broker.broker(), new toykafka.common.TopicPartition("big", 0),
                KafkaBatches.batch(System.currentTimeMillis(), new String(value, java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void read(int run) {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("key.deserializer", ByteArrayDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        config.put("receive.buffer.bytes", "1024");
        config.put("request.timeout.ms", "8000");
        config.put("enable.auto.commit", "false");
        long started = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition("big", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int got = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got == 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    got = record.value().length;
                }
            }
            assertEquals(VALUE_BYTES, got);
        }
        System.out.printf("TINY run %d: %.2f s%n", run, (System.nanoTime() - started) / 1e9);
    }
}
