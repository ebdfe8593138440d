package toykafka.lesson14;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.serialization.StringDeserializer;
import toykafka.common.TopicPartition;

/** One cook: a KafkaConsumer of the group, and what its rebalance listener and polls have seen. */
final class Cook implements ConsumerRebalanceListener, AutoCloseable {

    final String name;
    final KafkaConsumer<String, String> consumer;
    /** What the rebalance listener was told since the last look. */
    final List<String> moves = new ArrayList<>();
    /** What the cook has read since the last look, by partition@offset (one digit of partition: six of them). */
    final SortedMap<String, String> plate = new TreeMap<>();

    Cook(String name, String bootstrap, String group, String topic) {
        this.name = name;
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, name); // the member id is the client id and a UUID
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // the cooks commitSync themselves
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "100"); // hear of a rebalance soon
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic), this);
    }

    List<TopicPartition> assignment() {
        return sorted(consumer.assignment());
    }

    /** The generation this cook last joined, as its consumer knows it; -1 before it has joined any. */
    int generation() {
        return consumer.groupMetadata().generationId();
    }

    @Override
    public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            moves.add("gives back " + sorted(partitions));
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        moves.add("is given " + sorted(partitions));
    }

    static List<TopicPartition> sorted(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        return partitions.stream().map(partition -> new TopicPartition(partition.topic(), partition.partition()))
                .sorted().toList();
    }

    @Override
    public void close() {
        consumer.close(); // sends LeaveGroup
    }
}
