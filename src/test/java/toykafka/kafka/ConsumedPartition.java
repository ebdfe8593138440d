package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything a partition holds, read from its start to its end offset by kafka-clients' {@link KafkaConsumer}
 * with {@code assign()} (no group): how the drills see what the broker kept, through the same protocol the
 * producer wrote with.
 */
final class ConsumedPartition {

    /** One record as read: where it is, and its value as text. */
    record Read(int partition, long offset, String value) {
    }

    /** How long one read may take on a busy machine before the test gives up: a bound, not a figure. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private ConsumedPartition() {
    }

    /** Partition {@code partition}'s records, from its log start offset to the end offset the broker reports now. */
    static List<Read> readAll(String bootstrapServers, String topic, int partition) {
        return readAll(bootstrapServers, List.of(new TopicPartition(topic, partition)));
    }

    /** The records of partitions 0 to {@code partitions - 1}, each from its start to its end offset now, partition by partition. */
    static List<Read> readAllPartitions(String bootstrapServers, String topic, int partitions) {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return readAll(bootstrapServers, all);
    }

    private static List<Read> readAll(String bootstrapServers, List<TopicPartition> partitions) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        config.put("enable.auto.commit", "false");
        List<Read> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, PATIENCE);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            Map<TopicPartition, List<Read>> byPartition = new LinkedHashMap<>();
            partitions.forEach(partition -> byPartition.put(partition, new ArrayList<>()));
            while (!reachedEnds(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reading " + partitions + " to " + ends + " took over " + PATIENCE
                            + "; read " + byPartition);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    byPartition.get(new TopicPartition(record.topic(), record.partition()))
                            .add(new Read(record.partition(), record.offset(), record.value()));
                }
            }
            byPartition.values().forEach(read::addAll);
        }
        return read;
    }

    private static boolean reachedEnds(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey(), PATIENCE) >= end.getValue());
    }
}
