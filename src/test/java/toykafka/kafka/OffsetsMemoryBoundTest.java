package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
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
 * A client that commits 4,000 characters of metadata beside each of 100 partitions, for one new group after
 * another, fills its share of the coordinator's memory bound (half of it) and is then refused; a consumer group
 * that committed before goes on committing, and after a restart every offset taken is there, counts toward the
 * bound and is charged to the flooder again, so it is still refused. Kafka bounds none of this, and a heap it
 * filled so could not load the offsets again at start.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OffsetsMemoryBoundTest {

    private static final int BOUND = 16 << 20;
    private static final int PARTITIONS = 100;

    @StartedBroker(value = FrontEnd.KAFKA, settings = @Setting(name = BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES,
            value = "16777216"))
    RunningBroker broker;

    private static Map<TopicPartition, OffsetAndMetadata> offsets(long offset, String metadata) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            offsets.put(new TopicPartition("orders", p), new OffsetAndMetadata(offset, metadata));
        }
        return offsets;
    }

    @Test
    void commits_to_new_groups_are_refused_past_the_bound_while_a_group_that_committed_before_goes_on() throws Exception {
        broker.broker().createTopic("orders", PARTITIONS, Map.of(), OnDuplicate.FAIL);
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kitchen", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> cook = new KafkaConsumer<>(settings)) {
            cook.commitSync(offsets(1, "cook"), Duration.ofMinutes(1));
        }

        String flood = "x".repeat(4_000);
        int taken = 0;
        Throwable refused = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            while (refused == null && taken < 1_000) { // a hang guard: the bound is passed long before
                try {
                    admin.alterConsumerGroupOffsets("flood-" + taken, offsets(7, flood)).all().get();
                    taken++;
                } catch (ExecutionException e) {
                    refused = e.getCause();
                }
            }
        }
        System.out.printf("OffsetsMemoryBoundTest: %d groups of %d partitions with 4,000 characters each taken"
                + " before a commit was refused%n", taken, PARTITIONS);
        assertInstanceOf(InvalidCommitOffsetSizeException.class, refused, "refused with Kafka's error for a commit"
                + " too large to keep");
        long perGroup = PARTITIONS * (4_000L + 6);
        assertTrue(taken >= BOUND / perGroup / 4 && taken <= BOUND / 2 / perGroup, "the flooder's share, half of"
                + " 16 MiB, held " + taken + " groups of " + perGroup + " bytes of metadata");
        assertTrue(broker.events().stream().anyMatch(event -> event.contains(
                BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES)), "the broker says why: " + broker.events());

        try (KafkaConsumer<String, String> cook = new KafkaConsumer<>(settings)) {
            cook.commitSync(offsets(2, "cook"), Duration.ofMinutes(1)); // offsets it keeps already: nothing added
        }

        String next = "flood-" + taken;
        long held = broker.broker().groupCoordinator().stateBytes();
        broker.restart();
        assertTrue(broker.broker().groupCoordinator().stateBytes() >= held * 9 / 10, "the offsets loaded at start"
                + " count toward the bound as before: " + held + " bytes");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertEquals(new OffsetAndMetadata(2, "cook"), admin.listConsumerGroupOffsets("kitchen")
                    .partitionsToOffsetAndMetadata().get().get(new TopicPartition("orders", 0)));
            assertEquals(PARTITIONS, admin.listConsumerGroupOffsets("flood-" + (taken - 1))
                    .partitionsToOffsetAndMetadata().get().size(), "every commit taken is kept");
            // each record names who committed it: what was loaded is charged to the flooder again, still at its share
            ExecutionException again = assertThrows(ExecutionException.class,
                    () -> admin.alterConsumerGroupOffsets(next, offsets(7, flood)).all().get());
            assertInstanceOf(InvalidCommitOffsetSizeException.class, again.getCause());
        }
    }
}
