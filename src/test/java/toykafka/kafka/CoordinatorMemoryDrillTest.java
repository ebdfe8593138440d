package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidCommitOffsetSizeException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * Issue 60's lock-out, drilled over Kafka's wire: one client (client id {@code flooder}) commits 4,000 characters
 * of metadata beside each of 10 partitions for one new group after another until it is refused. Its refusal names
 * its share, half of group.coordinator.memory.max.bytes; then a kafka-clients consumer of another client id joins
 * a new group and commits. Every client here is on 127.0.0.1, so the address is at its share with the flooder:
 * the flooder's junk groups are what make room, given back oldest first.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CoordinatorMemoryDrillTest {

    private static final long BOUND = 4 << 20;
    private static final int PARTITIONS = 10;

    @StartedBroker(value = FrontEnd.KAFKA, settings = @Setting(name = BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES,
            value = "4194304"))
    RunningBroker broker;

    private static Map<TopicPartition, OffsetAndMetadata> offsets(long offset, String metadata) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            offsets.put(new TopicPartition("orders", p), new OffsetAndMetadata(offset, metadata));
        }
        return offsets;
    }

    @Test
    void a_commit_flood_from_one_client_leaves_a_new_group_of_another_client_able_to_join_and_commit()
            throws Exception {
        broker.broker().createTopic("orders", PARTITIONS, Map.of(), OnDuplicate.FAIL);
        String metadata = "x".repeat(4_000);
        int taken = 0;
        Throwable refused = null;
        long started = System.nanoTime();
        try (Admin flooder = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), AdminClientConfig.CLIENT_ID_CONFIG, "flooder"))) {
            while (refused == null && taken < 10_000) { // a hang guard: the share is reached long before
                try {
                    flooder.alterConsumerGroupOffsets("junk-" + taken, offsets(7, metadata)).all().get();
                    taken++;
                } catch (ExecutionException e) {
                    refused = e.getCause();
                }
            }
        }
        long floodMs = (System.nanoTime() - started) / 1_000_000;
        long held = broker.broker().groupCoordinator().stateBytes();
        System.out.printf("CoordinatorMemoryDrillTest: the flooder's %d groups of %d partitions took %d ms to reach"
                + " its share; the coordinator holds %d bytes of a bound of %d%n", taken, PARTITIONS, floodMs, held,
                BOUND);
        assertInstanceOf(InvalidCommitOffsetSizeException.class, refused, "refused with Kafka's error for a commit"
                + " too large to keep");
        assertTrue(held <= BOUND / 2 + 1_000, "the flood holds no more than its share: " + held);
        assertTrue(broker.events().stream().anyMatch(event -> event.contains("client id flooder holds about ")
                && event.contains("its share is " + BOUND / 2 + " (half of "
                + BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES + "=" + BOUND + ")")),
                "the refusal names the flooder's share: " + broker.events());

        // no auto-commit: closing would commit the positions over the offsets checked below
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "orders-app", ConsumerConfig.CLIENT_ID_CONFIG, "victim",
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> victim = new KafkaConsumer<>(settings)) {
            victim.subscribe(List.of("orders"));
            DrillKit.awaitTrue(() -> {
                victim.poll(Duration.ofMillis(100));
                return !victim.assignment().isEmpty();
            }, "the victim's consumer joined orders-app and was given its partitions");
            victim.commitSync(offsets(3, metadata), Duration.ofMinutes(1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            assertEquals(new OffsetAndMetadata(3, metadata), admin.listConsumerGroupOffsets("orders-app")
                    .partitionsToOffsetAndMetadata().get().get(new TopicPartition("orders", 0)));
        }
        long givenBack = broker.events().stream().filter(event -> event.contains("is deleted to make room")).count();
        System.out.printf("CoordinatorMemoryDrillTest: %d of the flooder's groups were given back for the victim%n",
                givenBack);
        assertTrue(givenBack > 0 && givenBack < taken, "some of the junk, not all, made room: " + givenBack);
        assertTrue(broker.events().stream().anyMatch(event -> event.startsWith("group junk-0 is deleted")),
                "the oldest first");
    }
}
