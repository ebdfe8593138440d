package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static toykafka.check.MessageFacts.assertMentions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
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
    void a_broker_s_log_is_refused_a_partition_a_log_on_its_own_holds_and_a_log_on_its_own_a_broker_s_directory() {
        DataDirectoryOwner owner = new DataDirectoryOwner() {
            @Override
            public boolean opening(Path dir) {
                return false;
            }

            @Override
            public void closed(Path dir, boolean cleanly) {
            }
        };
        try (FileLog alone = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults())) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> FileLog.openOwned(dataDir,
                    "orders", 0, TopicConfig.defaults(), Clock.systemUTC(), Archive.discard(), null, owner));
            assertMentions(refused, "orders-0", DirectoryClaim.LOCK_FILE);
            assertEquals(0, alone.append(Record.of("till-1", "cod", NOON)), "the log that holds it goes on");
        }
        try (FileLog owned = FileLog.openOwned(dataDir, "orders", 0, TopicConfig.defaults(), Clock.systemUTC(),
                Archive.discard(), null, owner)) {
            assertEquals(1, owned.endOffset(), "once the log on its own has let go, the broker's may open it");
        }
        try (FileLogStorage broker = new FileLogStorage(dataDir)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> FileLog.open(dataDir, "menu", 0, TopicConfig.defaults()));
            assertMentions(refused, broker.location(), DirectoryClaim.LOCK_FILE);
        }
    }
}
