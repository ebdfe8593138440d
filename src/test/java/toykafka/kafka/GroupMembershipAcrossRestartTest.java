package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A classic consumer group outlives a restart of the broker, as on Kafka, which keeps each generation in
 * {@code __consumer_offsets} and loads it back: kafka-clients' member reconnects, heartbeats and commits in the
 * generation it had, with no rebalance; its listener hears nothing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupMembershipAcrossRestartTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void a_classic_member_commits_after_a_broker_restart_without_joining_again() {
        broker.broker().createTopic("tickets", 2, Map.of(), OnDuplicate.FAIL);
        List<String> rebalances = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            consumer.subscribe(List.of("tickets"), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    rebalances.add("revoked " + partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    rebalances.add("assigned " + partitions.size());
                }
            });
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            TopicPartition first = new TopicPartition("tickets", 0);
            consumer.commitSync(Map.of(first, new OffsetAndMetadata(0)));
            assertEquals(List.of("assigned 2"), rebalances);

            broker.restartWith(Map.of(BrokerConfig.KAFKA_PORT, String.valueOf(broker.port())));

            consumer.commitSync(Map.of(first, new OffsetAndMetadata(0)), Duration.ofMinutes(2));
            consumer.poll(Duration.ofMillis(500));
            assertEquals(List.of("assigned 2"), rebalances, "no rebalance: the member carried on");
            assertEquals(0, consumer.committed(java.util.Set.of(first)).get(first).offset());
        }
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "screens");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }
}
