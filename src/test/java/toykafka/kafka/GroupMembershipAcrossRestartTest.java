package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 * A consumer group of either protocol outlives a restart of the broker, as on Kafka, which keeps each classic
 * generation, and each part of a KIP-848 group, in {@code __consumer_offsets} and loads it back: kafka-clients'
 * member reconnects, heartbeats and commits in the generation (or at the member epoch) it had, with no rebalance;
 * its listener hears nothing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupMembershipAcrossRestartTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void a_classic_member_commits_after_a_broker_restart_without_joining_again() {
        membersCommitAfterARestartWithoutJoiningAgain("tickets", consumerProperties("screens"));
    }

    @Test
    void a_kip_848_member_commits_after_a_broker_restart_at_the_epoch_it_had() {
        Properties properties = consumerProperties("counters");
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        membersCommitAfterARestartWithoutJoiningAgain("tills", properties);
    }

    private void membersCommitAfterARestartWithoutJoiningAgain(String topic, Properties properties) {
        broker.broker().createTopic(topic, 2, Map.of(), OnDuplicate.FAIL);
        List<String> rebalances = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    rebalances.add("revoked " + partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    rebalances.add("assigned " + partitions.size());
                }
            });
            // A KIP-848 consumer runs its callback at the poll after it is assigned, and first with no partitions
            // when its metadata has not yet named the assigned topic ids: the client's timing, not the broker's.
            while (!rebalances.contains("assigned 2")) {
                consumer.poll(Duration.ofMillis(100));
            }
            TopicPartition first = new TopicPartition(topic, 0);
            consumer.commitSync(Map.of(first, new OffsetAndMetadata(0)));
            List<String> beforeRestart = List.copyOf(rebalances);
            assertTrue(beforeRestart.stream().noneMatch(step -> step.startsWith("revoked")), beforeRestart::toString);
            String memberId = consumer.groupMetadata().memberId();
            int generation = consumer.groupMetadata().generationId();

            broker.restartWith(Map.of(BrokerConfig.KAFKA_PORT, String.valueOf(broker.port())));

            consumer.commitSync(Map.of(first, new OffsetAndMetadata(0)), Duration.ofMinutes(2));
            consumer.poll(Duration.ofMillis(500));
            assertEquals(beforeRestart, rebalances, "no rebalance: the member carried on");
            consumer.commitSync(Map.of(first, new OffsetAndMetadata(1)));
            assertEquals(1, consumer.committed(Set.of(first)).get(first).offset());
            assertEquals(memberId, consumer.groupMetadata().memberId(), "the same member");
            assertEquals(generation, consumer.groupMetadata().generationId(), "in the same generation or epoch");
        }
    }

    private Properties consumerProperties(String group) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }
}
