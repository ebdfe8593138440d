package toykafka.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.common.LogStorage;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicMetadata;
import toykafka.common.TopicPartition;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson09.FileLog;

/** A topic on disk is created whole or not at all: a failed create leaves nothing, and a start clears a half one. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AllOrNothingCreateTest {

    @TempDir
    Path dataDir;
    private final Clock clock = Clock.systemUTC();

    /** File storage whose partition {@code failAt} of any topic cannot open, as when descriptors run out. */
    private static LogStorage failingAt(LogStorage files, int failAt) {
        return new LogStorage() {
            @Override
            public SortedMap<String, TopicMetadata> storedTopics() {
                return files.storedTopics();
            }

            @Override
            public void saveTopic(TopicMetadata topic) {
                files.saveTopic(topic);
            }

            @Override
            public RecordLog openLog(TopicPartition partition, TopicConfig config) {
                if (partition.partition() == failAt) {
                    throw new UncheckedIOException(new IOException("Too many open files"));
                }
                return files.openLog(partition, config);
            }

            @Override
            public void deleteTopic(TopicMetadata topic) {
                files.deleteTopic(topic);
            }

            @Override
            public String location() {
                return files.location();
            }

            @Override
            public void close() {
                files.close();
            }
        };
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith(".")).sorted()
                    .toList();
        }
    }

    @Test
    void a_create_that_fails_at_partition_7_leaves_no_file_and_no_directory() throws IOException {
        try (TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, clock,
                failingAt(new FileLogStorage(dataDir), 7))) {
            topics.createTopic("kept", 2, OnDuplicate.FAIL);
            UncheckedIOException failed = assertThrows(UncheckedIOException.class,
                    () -> topics.createTopic("big", 10, OnDuplicate.FAIL));
            assertTrue(failed.getMessage().contains("Too many open files"), failed.getMessage());
            assertEquals(List.of("kept"), topics.listTopics());
        }
        assertEquals(List.of("kept-0", "kept-1"), entries(), "nothing of the failed topic may remain");
        try (TopicRegistry restarted = new TopicRegistry(BrokerSettings.STRICT, clock, new FileLogStorage(dataDir))) {
            assertEquals(List.of("kept"), restarted.listTopics());
            restarted.createTopic("big", 10, OnDuplicate.FAIL); // the name is free again, and no stray folder refuses it
            restarted.append("big", 9, Record.of("k", "v", java.time.Instant.now()));
        }
    }

    @Test
    void an_increase_that_fails_keeps_the_old_count_after_a_restart() {
        try (TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, clock,
                failingAt(new FileLogStorage(dataDir), 3))) {
            topics.createTopic("grow", 2, OnDuplicate.FAIL);
            assertThrows(UncheckedIOException.class, () -> topics.increasePartitions("grow", 5));
            assertEquals(2, topics.partitionCount("grow"));
        }
        try (TopicRegistry restarted = new TopicRegistry(BrokerSettings.STRICT, clock, new FileLogStorage(dataDir))) {
            assertEquals(2, restarted.partitionCount("grow"));
            restarted.increasePartitions("grow", 5); // the folders the failed increase made are taken over
            restarted.append("grow", 4, Record.of("k", "v", java.time.Instant.now()));
            restarted.deleteTopic("grow");
        }
        assertFalse(Files.exists(dataDir.resolve("grow-2")), "a deleted topic leaves no partition of it");
    }

    @Test
    void a_start_removes_a_topic_whose_create_never_finished_and_says_so() throws IOException {
        try (TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, clock, new FileLogStorage(dataDir))) {
            topics.createTopic("kept", 1, OnDuplicate.FAIL);
        }
        // what a process killed mid-create leaves: the marked file, and 3 of the 5 partitions' folders
        Files.createDirectories(dataDir.resolve("half-0"));
        Files.writeString(dataDir.resolve("half-0").resolve(FileLogStorage.TOPIC_FILE),
                "# topic half\npartitions=5\ncreating=true\n");
        for (int p = 0; p < 3; p++) {
            FileLog.open(dataDir, "half", p, TopicConfig.defaults()).close();
        }
        List<String> said = new ArrayList<>();
        try (TopicRegistry restarted = new TopicRegistry(BrokerSettings.STRICT, clock,
                new FileLogStorage(dataDir, clock, Archive.discard(), said::add, OpenFiles.atMost(100)))) {
            assertEquals(List.of("kept"), restarted.listTopics());
        }
        assertEquals(List.of("kept-0"), entries());
        assertEquals(1, said.size(), "the start says what it removed: " + said);
        assertTrue(said.get(0).contains("half") && said.get(0).contains("3 of 5") && said.get(0).contains("removed"),
                said.get(0));
    }
}
