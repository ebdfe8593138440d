package toykafka.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;
import toykafka.lesson09.DirectoryClaim;

/** What {@link TempFileLogs} promises a test: its logs closed after it, a failed close reported, its folder gone. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TempFileLogsExtensionTest {

    /** The logs and folders the fixtures saw, for the test to look at once JUnit is done with them. */
    static final List<FileLog> OPENED = new CopyOnWriteArrayList<>();
    static final List<Path> FOLDERS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void forgetTheLastRun() {
        OPENED.clear();
        FOLDERS.clear();
    }

    @Test
    void every_log_a_test_left_open_is_closed_after_it_and_its_folder_deleted() {
        Map<String, TestExecutionResult> results = FixtureRun.of(LeavesLogsOpen.class);

        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("opens_two_logs_and_closes_neither").getStatus(),
                results.toString());
        assertEquals(2, OPENED.size());
        for (FileLog log : OPENED) {
            IllegalStateException closed = assertThrows(IllegalStateException.class, log::flush, log + " is closed");
            assertTrue(closed.getMessage().endsWith(" is closed"), closed.getMessage());
        }
        assertFolderGone(FOLDERS.get(0));
    }

    @Test
    void each_test_gets_a_folder_of_its_own() {
        FixtureRun.of(TwoTests.class);

        assertEquals(2, FOLDERS.size());
        assertNotEquals(FOLDERS.get(0), FOLDERS.get(1));
        FOLDERS.forEach(TempFileLogsExtensionTest::assertFolderGone);
    }

    @Test
    void a_close_that_throws_fails_the_test_once_the_other_logs_are_closed() {
        Map<String, TestExecutionResult> results = FixtureRun.of(BreaksALog.class);

        TestExecutionResult result = results.get("breaks_the_first_log_it_opens");
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus(), "a log that cannot close is the test's failure");
        Throwable reported = result.getThrowable().orElseThrow();
        UncheckedIOException failure = assertInstanceOf(UncheckedIOException.class, reported.getCause(), reported.toString());
        assertTrue(failure.getMessage().startsWith("cannot close cleanly"), failure.getMessage());
        assertThrows(IllegalStateException.class, OPENED.get(1)::flush, "the log opened after the broken one is closed too");
        assertFolderGone(FOLDERS.get(0));
    }

    @Test
    void a_close_that_throws_what_closeMayThrow_names_does_not_fail_the_test() {
        Map<String, TestExecutionResult> results = FixtureRun.of(BreaksALogOnPurpose.class);

        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("breaks_the_first_log_it_opens").getStatus(),
                results.toString());
        assertThrows(IllegalStateException.class, OPENED.get(1)::flush, "the log opened after the broken one is closed");
        assertFolderGone(FOLDERS.get(0));
    }

    @Test
    void a_field_of_another_type_is_refused_naming_it() {
        String message = FixtureRun.failure(MarksAPath.class, "never_runs");
        assertTrue(message.startsWith("@TempFileLogs marks a FileLogs field, not ") && message.endsWith(".logs"), message);
    }

    private static void assertFolderGone(Path folder) {
        assertFalse(Files.exists(folder), folder + " is deleted after the test");
    }

    /** What both breaking fixtures do: open two logs and break the first one's close. */
    private static void openTwoAndBreakTheFirst(FileLogs logs) {
        OPENED.add(logs.open("orders", 0, TopicConfig.defaults()));
        OPENED.add(logs.open("refunds", 0, TopicConfig.defaults()));
        FOLDERS.add(logs.dir());
        breakClose(OPENED.get(0));
    }

    /** Makes the log's clean-shutdown marker impossible to write, so its close fails after closing its files. */
    private static void breakClose(FileLog log) {
        try {
            Files.createDirectory(log.directory().resolve(DirectoryClaim.CLEAN_SHUTDOWN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FixtureRun.Fixture
    static class LeavesLogsOpen {
        @TempFileLogs
        FileLogs logs;

        @Test
        void opens_two_logs_and_closes_neither() {
            OPENED.add(logs.open("orders", 0, TopicConfig.defaults()));
            OPENED.add(logs.open("refunds", 0, TopicConfig.defaults()));
            FOLDERS.add(logs.dir());
        }
    }

    @FixtureRun.Fixture
    static class TwoTests {
        @TempFileLogs
        FileLogs logs;

        @Test
        void one() {
            FOLDERS.add(logs.dir());
        }

        @Test
        void two() {
            FOLDERS.add(logs.dir());
        }
    }

    @FixtureRun.Fixture
    static class BreaksALog {
        @TempFileLogs
        FileLogs logs;

        @Test
        void breaks_the_first_log_it_opens() {
            openTwoAndBreakTheFirst(logs);
        }
    }

    @FixtureRun.Fixture
    static class BreaksALogOnPurpose {
        @TempFileLogs(closeMayThrow = UncheckedIOException.class)
        FileLogs logs;

        @Test
        void breaks_the_first_log_it_opens() {
            openTwoAndBreakTheFirst(logs);
        }
    }

    @FixtureRun.Fixture
    static class MarksAPath {
        @TempFileLogs
        Path logs;

        @Test
        void never_runs() {
        }
    }
}
