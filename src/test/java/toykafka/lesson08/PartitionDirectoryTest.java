package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;
import toykafka.lesson09.DirectoryClaim;

/** A topic's name becomes a directory name, so a name must never lead out of the data directory. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PartitionDirectoryTest {

    @TempDir
    Path root;

    @Test
    void a_partition_lives_in_topic_dash_partition_under_the_data_directory() {
        Path dataDir = root.resolve("data");
        assertEquals(dataDir.toAbsolutePath().resolve("fish.orders_v2-3"),
                PartitionDirectory.resolve(dataDir, "fish.orders_v2", 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../escape", "a/b", "/etc/passwd", "..\\windows", "C:\\temp", "with space",
        "tab\there", "ünïcode", "semi;colon"})
    void a_topic_name_that_could_escape_or_is_not_kafka_legal_is_refused_and_nothing_is_written(String topic)
            throws IOException {
        Path dataDir = root.resolve("data");
        Files.createDirectories(dataDir);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> FileLog.open(dataDir, topic, 0, TopicConfig.defaults()));
        assertEquals("'" + topic + "' is not a legal topic name: use 1 to 249 letters, digits, '.', '_' or '-', and"
                + " not '.' or '..' alone, so the name stays inside the data directory", error.getMessage());
        try (Stream<Path> everything = Files.walk(root)) {
            assertEquals(List.of(root, dataDir), everything.sorted().toList(), "nothing was created anywhere");
        }
    }

    @Test
    void a_topic_name_longer_than_249_characters_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> PartitionDirectory.resolve(root, "t".repeat(250), 0));
        assertEquals(root.toAbsolutePath().resolve("t".repeat(249) + "-0"), PartitionDirectory.resolve(root, "t".repeat(249), 0));
    }

    @Test
    void a_missing_topic_name_is_refused() {
        assertEquals("a topic needs a name", assertThrows(IllegalArgumentException.class,
                () -> PartitionDirectory.resolve(root, "", 0)).getMessage());
        assertEquals("a topic needs a name", assertThrows(IllegalArgumentException.class,
                () -> PartitionDirectory.resolve(root, null, 0)).getMessage());
    }

    @Test
    void a_negative_partition_is_refused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> FileLog.open(root, "orders", -1, TopicConfig.defaults()));
        assertEquals("partition -1 does not exist: partitions are numbered from 0", error.getMessage());
    }

    @Test
    void a_segment_file_named_past_the_largest_offset_is_refused_naming_the_file_and_the_limit() throws IOException {
        Path dir = Files.createDirectories(root.resolve("orders-0"));
        Path stray = Files.write(dir.resolve("99999999999999999999.log"), new byte[0]);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> FileLog.open(root, "orders", 0, TopicConfig.defaults()));
        assertEquals(stray + " is not a segment this log can have: its name gives base offset 99999999999999999999,"
                + " but an offset is at most 9223372036854775807", error.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(stray), files.filter(file -> !file.endsWith(DirectoryClaim.LOCK_FILE)).toList(),
                    "and nothing else was created but the lock file");
        }
    }
}
