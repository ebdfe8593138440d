package toykafka.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.clock.ManualClock;
import toykafka.common.Directories;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicMetadata;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson09.DirectoryClaim;

/** Topics on a data directory: a registry opened again on it finds every topic, and a deleted one is gone. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TopicsSurviveRestartTest {

    private static final Instant NOON = Instant.parse("2024-05-17T12:00:00Z");

    @TempDir
    Path dataDir;
    private final ManualClock clock = new ManualClock(NOON);

    private TopicRegistry open() {
        return new TopicRegistry(BrokerSettings.STRICT, clock, new FileLogStorage(dataDir, clock, Archive.discard()));
    }

    @Test
    void a_restarted_registry_finds_every_topic_with_its_partitions_config_and_records() {
        try (TopicRegistry topics = open()) {
            topics.createTopic("orders", 3);
            topics.createTopic("drinks", 1);
            topics.patchConfig("orders", Map.of(TopicConfig.RETENTION_MS, "60000"));
            topics.increasePartitions("drinks", 2);
            topics.append("orders", 2, Record.of("till-1", "cod", NOON));
            topics.appendAll("drinks", 1, List.of(Record.of("till-2", "tea", NOON), Record.of("till-2", "cola", NOON)));
        }
        try (TopicRegistry topics = open()) {
            assertEquals(List.of("drinks", "orders"), topics.listTopics());
            assertEquals(3, topics.describeTopic("orders").partitions());
            assertEquals(2, topics.describeTopic("drinks").partitions(), "the added partition is remembered");
            assertEquals(Map.of(TopicConfig.RETENTION_MS, "60000"), topics.describeTopic("orders").overrides());
            assertEquals("cod", topics.log("orders", 2).read(0).valueText());
            assertEquals(2, topics.log("drinks", 1).endOffset());
            assertEquals(60_000, topics.log("orders", 0).config().retentionMs(), "the logs open with the topic's config");
            assertEquals(1, topics.append("orders", 2, Record.of("till-1", "chips", NOON)).offset(),
                    "appends go on from where the last run stopped");
        }
    }

    @Test
    void a_deleted_topic_is_gone_from_disk_and_stays_gone_after_a_restart() throws IOException {
        try (TopicRegistry topics = open()) {
            topics.createTopic("orders", 2);
            topics.append("orders", 1, Record.of("till-1", "cod", NOON));
            topics.deleteTopic("orders");
            assertFalse(Files.exists(dataDir.resolve("orders-0")));
            assertFalse(Files.exists(dataDir.resolve("orders-1")), "the records went with the topic");
            try (var left = Files.list(dataDir)) {
                assertEquals(List.of(), left.filter(file -> !file.endsWith(DirectoryClaim.LOCK_FILE)).toList(),
                        "nothing of the topic is left in the data directory, only the registry's lock");
            }
        }
        try (TopicRegistry topics = open()) {
            assertEquals(List.of(), topics.listTopics());
            assertThrows(UnknownTopicOrPartitionException.class, () -> topics.log("orders", 0));
            topics.createTopic("orders", 1);
            assertEquals(0, topics.log("orders", 0).endOffset(), "a new topic of the same name starts empty");
        }
    }

    @Test
    void a_delete_cut_short_by_a_crash_is_finished_at_the_next_start() throws IOException {
        try (TopicRegistry topics = open()) {
            topics.createTopic("orders", 2);
            topics.append("orders", 0, Record.of("till-1", "cod", NOON));
        }
        // What a crash leaves after the first step of a delete: the mark is written, the files are still there.
        Path metadata;
        try (FileLogStorage storage = new FileLogStorage(dataDir, clock, Archive.discard())) {
            metadata = storage.metadataFile("orders");
        }
        Directories.writeAtomically(metadata, Files.readString(metadata) + "deleting=true\n");
        assertTrue(Files.exists(dataDir.resolve("orders-0")));

        try (TopicRegistry topics = open()) {
            assertEquals(List.of(), topics.listTopics(), "a topic marked for deletion does not come back");
            assertFalse(Files.exists(dataDir.resolve("orders-0")), "and its records are deleted at start");
            assertFalse(Files.exists(metadata));
        }
    }

    @Test
    void a_partition_directory_that_belongs_to_no_topic_is_not_taken_over() throws IOException {
        Files.createDirectories(dataDir.resolve("orders-0"));
        Files.writeString(dataDir.resolve("orders-0").resolve("someone-elses.txt"), "keep me");
        Files.createDirectories(dataDir.resolve("drinks-1"));
        try (TopicRegistry topics = open()) {
            TopicExistsException error = assertThrows(TopicExistsException.class, () -> topics.createTopic("orders", 1));
            assertTrue(error.getMessage().contains("orders-0"), error.getMessage());
            assertThrows(TopicExistsException.class, () -> topics.createTopic("drinks", 2), "drinks-1 is in the way");
            assertEquals(List.of(), topics.listTopics(), "nothing was created");
        }
        assertEquals("keep me", Files.readString(dataDir.resolve("orders-0").resolve("someone-elses.txt")));
    }

    @Test
    void a_topic_file_that_cannot_be_read_stops_the_start_and_names_the_file() throws IOException {
        try (FileLogStorage storage = new FileLogStorage(dataDir, clock, Archive.discard())) {
            storage.saveTopic(new TopicMetadata("orders", 1, TopicConfig.defaults()));
            Files.writeString(storage.metadataFile("orders"), "partitions=many\n");
        }
        RuntimeException error = assertThrows(RuntimeException.class, this::open);
        assertTrue(error.getMessage().contains("orders-0/topic.properties"), error.getMessage());
    }
}
