package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.common.Errors;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * Issues 60 and 74's lock-outs, drilled with Kafka's consumer: a consumer group commits and leaves; a client at
 * another address commits 4,000 characters of metadata beside each of 10 partitions for one new group after
 * another until it is refused at its share, half of group.coordinator.memory.max.bytes; the broker restarts, the
 * flooder tries again, the broker restarts again. The flooder is refused at its first commit after each restart,
 * as its offsets are charged to it again when they are loaded; the group that left comes back to the offsets it
 * committed, and a new group joins and commits. Kafka's consumers here are all on 127.0.0.1, so the flood comes
 * from 10.0.0.66 through the coordinator's own calls.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CoordinatorMemoryDrillTest {

    private static final long BOUND = 4 << 20;
    private static final int PARTITIONS = 10;
    private static final String METADATA = "x".repeat(4_000);

    @StartedBroker(value = FrontEnd.KAFKA, settings = @Setting(name = BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES,
            value = "4194304"))
    RunningBroker broker;

    private static Map<TopicPartition, OffsetAndMetadata> offsets(long offset) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            offsets.put(new TopicPartition("orders", p), new OffsetAndMetadata(offset, METADATA));
        }
        return offsets;
    }

    /** Commits from 10.0.0.66, a new client id and group each time, until refused; returns how many were taken. */
    private int flood(String round) {
        TreeMap<toykafka.common.TopicPartition, toykafka.common.OffsetAndMetadata> junk = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            junk.put(new toykafka.common.TopicPartition("orders", p), new toykafka.common.OffsetAndMetadata(7, -1,
                    METADATA));
        }
        for (int i = 0; i < 10_000; i++) { // a hang guard: the share is reached long before
            Errors answer = broker.broker().groupCoordinator().commitOffsets(new OffsetCommitRequest("junk-" + round
                    + "-" + i, -1, "", junk, null, true).from("flood-" + round + "-" + i, "10.0.0.66"));
            if (answer != Errors.NONE) {
                assertEquals(Errors.INVALID_COMMIT_OFFSET_SIZE, answer);
                return i;
            }
        }
        throw new AssertionError("a flood of 10,000 commits was never refused");
    }

    private Map<String, Object> consumer(String groupId, String clientId) {
        // no auto-commit: closing would commit the positions over the offsets checked below
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, groupId, ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    }

    /** A consumer joins its group, is given its partitions, finds the offset it expects committed, and commits. */
    private void joinAndCommit(String groupId, Long committed, long commit) throws Exception {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumer(groupId, groupId + "-client"))) {
            consumer.subscribe(List.of("orders"));
            DrillKit.awaitTrue(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == PARTITIONS;
            }, groupId + "'s consumer joined and was given its partitions");
            OffsetAndMetadata found = consumer.committed(Set.of(new TopicPartition("orders", 0)))
                    .get(new TopicPartition("orders", 0));
            assertEquals(committed, found == null ? null : found.offset(), groupId + "'s committed offset");
            consumer.commitSync(offsets(commit), Duration.ofMinutes(1));
        }
    }

    private OffsetAndMetadata committed(String groupId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition("orders", 0));
        }
    }

    @Test
    void a_flood_and_two_restarts_leave_a_group_that_left_its_offsets_and_a_new_group_able_to_join_and_commit()
            throws Exception {
        broker.broker().createTopic("orders", PARTITIONS, Map.of(), OnDuplicate.FAIL);
        joinAndCommit("orders-app", null, 3);

        long started = System.nanoTime();
        int taken = flood("first");
        long floodMs = (System.nanoTime() - started) / 1_000_000;
        long held = broker.broker().groupCoordinator().stateBytes();
        System.out.printf("CoordinatorMemoryDrillTest: the flooder's %d groups of %d partitions took %d ms to reach"
                + " its share; the coordinator holds %d bytes of a bound of %d%n", taken, PARTITIONS, floodMs, held,
                BOUND);
        assertTrue(taken > 10, "the flood took " + taken);
        assertTrue(held <= BOUND / 2 + 100_000, "the flood holds no more than its share: " + held);
        assertTrue(broker.events().stream().anyMatch(event -> event.contains("client address 10.0.0.66 holds about ")
                && event.contains("its share is " + BOUND / 2 + " (half of "
                + BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES + "=" + BOUND + ")")),
                "the refusal names the flooder's share: " + broker.events());

        broker.restart();
        assertEquals(held, broker.broker().groupCoordinator().stateBytes(), "a restart loads what was kept");
        assertEquals(0, flood("second"), "the flooder's address is at its share after a restart");
        broker.restart();
        assertEquals(0, flood("third"));

        assertEquals(new OffsetAndMetadata(3, METADATA), committed("orders-app"), "the group that left kept its"
                + " offsets through the flood and the restarts");
        joinAndCommit("orders-app", 3L, 4);
        joinAndCommit("fresh-app", null, 5);
        assertEquals(new OffsetAndMetadata(5, METADATA), committed("fresh-app"));
        assertTrue(broker.events().stream().noneMatch(event -> event.contains("is deleted")),
                broker.events()::toString);
    }
}
