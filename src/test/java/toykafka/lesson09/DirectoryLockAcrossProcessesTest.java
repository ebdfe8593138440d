package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.check.MessageFacts.assertMentions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.TopicConfig;

/**
 * A partition directory's lock holds against another process, which the operating system lets go of when
 * that process lets go. Apart from {@link DirectoryLockTest}, since it starts a JVM of its own, which the
 * mutation runs leave out.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DirectoryLockAcrossProcessesTest {

    @TempDir
    Path dataDir;

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
