package toykafka.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.START;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson09.FileLog;
import toykafka.lesson09.DirectoryClaim;

/**
 * A storage's one clean-shutdown marker: left only when every log closed cleanly, taken away as the storage
 * opens, and what lets every log skip recovery; a log that crashed keeps it away, and recovers at the next start.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CleanShutdownTest {

    private static final int PARTITIONS = 12; // more than the recovery threads, so they share the work
    private static final Map<String, TopicConfig> CONFIGS = Map.of("orders", TopicConfig.defaults());

    @TempDir
    Path dataDir;

    private static final List<TopicPartition> ORDERS = IntStream.range(0, PARTITIONS)
            .mapToObj(p -> new TopicPartition("orders", p)).toList();

    private Path marker() {
        return dataDir.resolve(CleanShutdown.MARKER);
    }

    @Test
    void a_clean_stop_leaves_one_marker_and_the_next_start_takes_it_away_and_trusts_every_log() {
        FileLogStorage storage = new FileLogStorage(dataDir);
        List<RecordLog> logs = storage.openLogs(ORDERS, CONFIGS);
        for (int p = 0; p < PARTITIONS; p++) {
            logs.get(p).append(Record.of("till", "order " + p, START));
        }
        storage.closeLogs(logs);
        assertFalse(Files.exists(marker()), "not before the storage itself closes");
        storage.close();
        assertTrue(Files.exists(marker()), "one marker for the directory");
        assertFalse(Files.exists(dataDir.resolve("orders-0").resolve(DirectoryClaim.CLEAN_SHUTDOWN)),
                "and none of the partition's own");

        FileLogStorage restarted = new FileLogStorage(dataDir);
        assertFalse(Files.exists(marker()), "gone before any log opens: a crash from now on is not a clean stop");
        List<RecordLog> reopened = restarted.openLogs(ORDERS, CONFIGS);
        for (int p = 0; p < PARTITIONS; p++) {
            assertTrue(((FileBatchLog) reopened.get(p)).files().recoveryReport().cleanShutdown(), "orders-" + p + " trusted");
            assertEquals("order " + p, reopened.get(p).read(0).valueText());
        }
        restarted.closeLogs(reopened);
        restarted.close();
    }

    @Test
    void a_log_that_crashed_keeps_the_marker_away_and_recovers_at_the_next_start() {
        FileLogStorage storage = new FileLogStorage(dataDir);
        List<RecordLog> logs = storage.openLogs(ORDERS, CONFIGS);
        logs.forEach(log -> log.append(Record.of("till", "first", START)));
        storage.closeLogs(logs);
        storage.close();

        FileLogStorage crashing = new FileLogStorage(dataDir);
        List<RecordLog> reopened = crashing.openLogs(ORDERS, CONFIGS);
        reopened.get(3).append(Record.of("till", "second", START));
        ((FileBatchLog) reopened.get(3)).files().simulateCrash(); // the page cache keeps the write, as after kill -9
        crashing.closeLogs(reopened.subList(0, 3));
        crashing.closeLogs(reopened.subList(4, PARTITIONS));
        crashing.close();
        assertFalse(Files.exists(marker()), "one log did not close cleanly");

        FileLogStorage recovering = new FileLogStorage(dataDir);
        List<RecordLog> recovered = recovering.openLogs(ORDERS, CONFIGS);
        FileLog crashed = ((FileBatchLog) recovered.get(3)).files();
        assertFalse(crashed.recoveryReport().cleanShutdown(), "the crashed log recovers");
        assertEquals(List.of("first", "second"), crashed.readBatch(0, 10).stream().map(Record::valueText).toList());
        recovering.closeLogs(recovered);
        recovering.close();
        assertTrue(Files.exists(marker()), "every log recovered and closed cleanly: clean again");
    }

    @Test
    void a_partition_a_crash_left_and_nothing_opened_since_keeps_the_marker_away() {
        FileLogStorage storage = new FileLogStorage(dataDir);
        List<RecordLog> logs = storage.openLogs(ORDERS, CONFIGS);
        ((FileBatchLog) logs.get(0)).files().simulateCrash();
        storage.closeLogs(logs.subList(1, PARTITIONS));
        storage.close();

        FileLogStorage other = new FileLogStorage(dataDir);
        other.closeLogs(other.openLogs(ORDERS.subList(1, PARTITIONS), CONFIGS));
        other.close();
        assertFalse(Files.exists(marker()), "orders-0 was never recovered, so the next start must not trust it");
    }
}
