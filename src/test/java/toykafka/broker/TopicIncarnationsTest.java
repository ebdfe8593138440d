package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import toykafka.archive.ArchiveReader;
import toykafka.broker.group.OffsetCommitRequest;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A topic deleted and created again under its name: its offsets start again at 0, and neither its archive
 * nor the refusals it gives confuse it with the topic that went before.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TopicIncarnationsTest {

    @StartedBroker
    RunningBroker running;

    private static void produce(Broker broker, String topic, String... values) {
        List<Partitions.ProduceRecord> records = Stream.of(values).map(value -> new Partitions.ProduceRecord(0,
                new Record(null, value.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-23T10:00:00Z"),
                        List.of()))).toList();
        broker.partitions().appendRecords(topic, records).forEach(answer -> assertTrue(answer.written(), answer.message()));
    }

    @Test
    void a_topic_created_again_archives_the_same_offsets_beside_the_old_rows_and_analyse_reads_both() throws Exception {
        Broker broker = running.broker();
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        produce(broker, "orders", "first-0", "first-1", "first-2");
        broker.deleteRecords("orders", 0, 2); // archives offsets 0 and 1
        broker.deleteTopic("orders");
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        produce(broker, "orders", "second-0", "second-1", "second-2");
        broker.deleteRecords("orders", 0, 2); // the same offsets, other records
        running.close();
        Path dataDir = running.dataDir();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir.resolve("archive"))) {
            files = walk.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        assertEquals(2, files.size(), "one file per incarnation, neither overwritten: " + files);
        Table rows = ArchiveReader.of(dataDir.resolve("archive")).withValues().read();
        assertEquals(new TreeSet<>(List.of("first-0", "first-1", "second-0", "second-1")),
                new TreeSet<>(rows.stringColumn("value").asList()), "analyse reads every row of both");
        running.restart(); // the incarnation is remembered across a restart
        produce(running.broker(), "orders", "second-3");
        running.broker().deleteRecords("orders", 0, 4);
        running.close();
        Table after = ArchiveReader.of(dataDir.resolve("archive")).withValues().read();
        assertEquals(6, after.rowCount(), "the second incarnation's later rows join the rest");
    }

    @Test
    void an_unknown_topic_is_refused_as_unknown_by_every_operation_whatever_auto_create_says() {
        Broker broker = running.broker();
        assertTrue(broker.config().autoCreateTopics());
        TopicPartition nowhere = new TopicPartition("nowhere", 0);
        assertEquals(Errors.NONE, broker.groupCoordinator().commitOffsets(new OffsetCommitRequest("g", -1, "",
                new TreeMap<>(Map.of(nowhere, 7L)))), "a commit outside any generation, for a topic not there yet");
        List<Runnable> operations = List.of(() -> broker.deleteTopic("nowhere"),
                () -> broker.describeTopic("nowhere"), () -> broker.deleteRecords("nowhere", 0, 1),
                () -> broker.increasePartitions("nowhere", 2), () -> broker.patchConfig("nowhere", Map.of()));
        for (Runnable operation : operations) {
            ApiException refused = assertThrows(ApiException.class, operation::run);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, refused.error());
            assertTrue(refused.getMessage().contains("'nowhere'"), refused.getMessage());
            assertFalse(refused.getMessage().contains("auto.create"), refused.getMessage());
        }
        assertFalse(Files.exists(running.dataDir().resolve("archive").resolve("topic=nowhere")),
                "a refused delete leaves nothing in the archive");
        assertEquals(Map.of(nowhere, 7L), broker.groupCoordinator().fetchOffsets("g", null).offsets(),
                "nor forgets any group's offsets");
    }
}
