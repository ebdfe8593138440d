package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A Streams app's output topic of four partitions, read from its start at one isolation level: each key's values in
 * the order they came, which the Streams tests read their counts and totals from.
 */
final class StreamsOutput implements AutoCloseable {

    private final KafkaConsumer<String, Long> consumer;
    /** Each key's values in the order they came. */
    final Map<String, List<Long>> byKey = new TreeMap<>();
    private int records;

    StreamsOutput(String bootstrapServers, String topic, String isolation) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("isolation.level", isolation);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new LongDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** How many records have been read. */
    int records() {
        return records;
    }

    /** A key's values so far, in the order they came. */
    List<Long> of(String key) {
        return byKey.getOrDefault(key, List.of());
    }

    /** Reads what one poll brings. */
    void poll() {
        for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
            byKey.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(record.value());
            records++;
        }
    }

    /** Whether the reads have reached the ends the topic had when {@link #endsNow()} was asked. */
    boolean reached(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** Each partition's end now. */
    Map<TopicPartition, Long> endsNow() {
        return consumer.endOffsets(consumer.assignment());
    }

    /** Past the deadline, fails with {@code what} and what each instance printed. */
    static void failPast(long deadline, Supplier<String> what, ChildProcess.Running... instances) {
        if (System.nanoTime() > deadline) {
            StringBuilder printed = new StringBuilder();
            for (ChildProcess.Running instance : instances) {
                printed.append(instance.describe()).append('\n');
            }
            fail(what.get() + "\n" + printed);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
