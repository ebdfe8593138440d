package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.check.MessageFacts.assertMentions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.storage.FileLogStorage;

/** One writer per partition directory, and one storage per data directory: a second is refused, not let in. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DirectoryLockTest {

    private static final Instant NOON = Instant.parse("2024-05-17T12:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void a_second_log_on_the_same_partition_in_this_process_is_refused_and_the_first_goes_on() {
        try (FileLog first = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults())) {
            first.append(Record.of("till-1", "cod", NOON));
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> FileLog.open(dataDir, "orders", 0, TopicConfig.defaults()),
                    "two logs on one directory would both hand out offset 1");
            assertMentions(refused, "orders-0", DirectoryClaim.LOCK_FILE);
            assertEquals(1, first.append(Record.of("till-1", "chips", NOON)), "the first log is untouched");
        }
        try (FileLog reopened = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults())) {
            assertEquals(2, reopened.endOffset(), "once the first is closed the directory can be opened again");
        }
    }

    @Test
    void a_crashed_log_lets_go_of_its_directory_as_a_dead_process_would() {
        FileLog crashed = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults());
        crashed.simulateCrash();
        try (FileLog reopened = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults())) {
            assertEquals(0, reopened.endOffset());
        }
    }

    @Test
    void a_second_storage_on_the_same_data_directory_is_refused() {
        try (FileLogStorage first = new FileLogStorage(dataDir)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new FileLogStorage(dataDir));
            assertMentions(refused, first.location(), DirectoryClaim.LOCK_FILE);
        }
        new FileLogStorage(dataDir).close();
    }

    @Test
    void a_log_held_by_another_process_is_refused_until_that_process_lets_go() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                DirectoryHolderChild.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("open", out.readLine(), "the other process opened the log");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> FileLog.open(dataDir, "orders", 0, TopicConfig.defaults()));
            assertMentions(refused, "orders-0", DirectoryClaim.LOCK_FILE);
            holder.getOutputStream().close(); // the holder closes its log when its input ends
            assertEquals("closed", out.readLine());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        try (FileLog mine = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults())) {
            assertEquals(1, mine.endOffset(), "the other process's record is there");
        }
    }
}
