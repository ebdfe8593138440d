package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A consumer that owns 10,000 partitions commits them in one call, with metadata beside each: 1.6 MB of records,
 * more than one batch of {@code __consumer_offsets} takes. Kafka 4.1 answers such a commit with
 * UNKNOWN_SERVER_ERROR; this broker writes it in several batches and answers every partition.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommitOfManyPartitionsTest {

    private static final int PARTITIONS = 10_000;
    /** A topic here has at most 1,000 partitions, so ten topics hold them. */
    private static final int TOPICS = 10;

    @StartedBroker(value = FrontEnd.KAFKA, settings = @StartedBroker.Setting(name = "storage", value = "memory"))
    RunningBroker running;

    @Test
    void ten_thousand_partitions_are_committed_in_one_call_and_fetched_back_and_metadata_is_counted_in_characters()
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, running.bootstrapServers()))) {
            admin.createTopics(java.util.stream.IntStream.range(0, TOPICS).mapToObj(t -> new NewTopic("orders-" + t,
                    PARTITIONS / TOPICS, (short) 1)).toList()).all().get();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, running.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
                "kitchen", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                offsets.put(new TopicPartition("orders-" + p % TOPICS, p / TOPICS), new OffsetAndMetadata(p,
                        "fryer-" + "x".repeat(100)));
            }
            try {
                consumer.commitSync(offsets, Duration.ofMinutes(2));
            } catch (RuntimeException e) { // its message lists all 10,000 partitions
                throw new AssertionError("the commit of " + PARTITIONS + " partitions failed: " + e.getClass().getName());
            }
            Map<TopicPartition, OffsetAndMetadata> back = consumer.committed(offsets.keySet(), Duration.ofMinutes(2));
            assertEquals(PARTITIONS, back.values().stream().filter(Objects::nonNull).count());
            assertTrue(offsets.equals(back), "every offset and its metadata, as committed");

            // 4096 characters of two bytes each pass, as on Kafka; one more character does not
            TopicPartition first = new TopicPartition("orders-0", 0);
            consumer.commitSync(Map.of(first, new OffsetAndMetadata(1, "é".repeat(4096))));
            OffsetMetadataTooLarge refused = assertThrows(OffsetMetadataTooLarge.class, () -> consumer.commitSync(
                    Map.of(first, new OffsetAndMetadata(2, "x".repeat(4097)))));
            assertTrue(refused.getMessage().contains("metadata"), refused.getMessage());
            assertEquals(1, consumer.committed(java.util.Set.of(first)).get(first).offset(), "the refused one kept nothing");
        }
    }
}
