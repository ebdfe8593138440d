package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * Kafka 4.4's own consumers on a broker whose {@code group.consumer.migration.policy} is disabled: a classic consumer
 * that joins a consumer group with members is refused, and its poll throws, as on Kafka 4.4 (Kafka 4.1 to 4.3 took it
 * in). The scenario is {@link #classicJoinToBusyConsumerGroup}, so it can be run against a Kafka 4.4 node as well.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MigrationPolicyDisabledTest {

    @Test
    void a_classic_consumer_joining_a_busy_consumer_group_gets_inconsistent_group_protocol(@TempDir Path dir) {
        try (RunningBroker broker = RunningBroker.overKafka(dir, Map.of(
                BrokerConfig.GROUP_CONSUMER_MIGRATION_POLICY, "disabled",
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "500"), false)) {
            broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
            InconsistentGroupProtocolException refused = classicJoinToBusyConsumerGroup(broker.bootstrapServers());
            assertTrue(refused.getMessage().contains("incompatible"), refused.getMessage());
            assertTrue(broker.events().stream().anyMatch(event -> event.contains("Cannot join the consumer group"
                    + " kitchen with the classic protocol because the group migration is disabled.")),
                    "Kafka's reason in the broker's event log: " + broker.events());
        }
    }

    /**
     * A consumer of Kafka 4's protocol takes topic {@code orders} in group {@code kitchen}; then a classic consumer
     * joins the group. Returns what the classic consumer's poll threw.
     */
    static InconsistentGroupProtocolException classicJoinToBusyConsumerGroup(String bootstrap) {
        try (KafkaConsumer<String, String> carl = consumer(bootstrap, "consumer");
             KafkaConsumer<String, String> till = consumer(bootstrap, "classic")) {
            carl.subscribe(List.of("orders"));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (carl.assignment().size() < 2 && System.nanoTime() < deadline) {
                carl.poll(Duration.ofMillis(100));
            }
            assertEquals(2, carl.assignment().size(), "the consumer group has a member with both partitions");
            till.subscribe(List.of("orders"));
            InconsistentGroupProtocolException refused = assertThrows(InconsistentGroupProtocolException.class, () -> {
                while (till.assignment().isEmpty() && System.nanoTime() < deadline) { // or till is taken in
                    till.poll(Duration.ofMillis(100));
                    carl.poll(Duration.ZERO);
                }
            });
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("kitchen")).all()
                        .get(30, TimeUnit.SECONDS).get("kitchen");
                assertEquals(List.of("carl"), group.members().stream().map(MemberDescription::clientId).toList(),
                        "the refused consumer left nothing behind");
                assertEquals(GroupType.CONSUMER, group.type());
            }
            return refused;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("describing the group failed", e);
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String protocol) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "kitchen");
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, protocol.equals("classic") ? "till" : "carl");
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }
}
