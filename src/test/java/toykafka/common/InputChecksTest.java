package toykafka.common;

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
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.ArchiveTable;
import toykafka.archive.CsvArchive;
import toykafka.lesson02.Producer;
import toykafka.lesson05.PartitionAssignor;
import toykafka.lesson05.RangeAssignor;
import toykafka.lesson05.RoundRobinAssignor;
import toykafka.lesson05.StickyAssignor;

/** Bad input is refused where it comes in, with a message that says what to pass instead. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InputChecksTest {

    @TempDir
    Path dir;

    @Test
    void timestamps_a_kafka_record_cannot_carry_are_refused_with_the_range() {
        for (Instant bad : List.of(Instant.MAX, Instant.MIN, Instant.EPOCH.minusMillis(2))) {
            InvalidTimestampException error = assertThrows(InvalidTimestampException.class,
                    () -> Record.of("k", "v", bad), bad + " should be refused, not overflow later");
            assertTrue(error.getMessage().contains(bad.toString()) && error.getMessage().contains("1970-01-01T00:00:00Z"),
                    error.getMessage());
            assertEquals(Errors.INVALID_TIMESTAMP, error.error());
        }
        assertEquals(Long.MAX_VALUE, Record.of("k", "v", InvalidTimestampException.LATEST).timestamp().toEpochMilli(),
                "the last millisecond there is still fits");
        assertEquals(-1, Record.of("k", "v", Record.NO_TIMESTAMP).timestamp().toEpochMilli(),
                "-1 ms is Kafka's way to say a record has no time, and a record may say so");
    }

    @Test
    void constructors_refuse_null_at_once_rather_than_failing_later() {
        NullPointerException producer = assertThrows(NullPointerException.class, () -> new Producer<String>(null, null));
        assertTrue(producer.getMessage().contains("name"), producer.getMessage());
        NullPointerException archive = assertThrows(NullPointerException.class, () -> new CsvArchive(null));
        assertTrue(archive.getMessage().contains("file"), archive.getMessage());
    }

    @Test
    void assignors_refuse_null_maps_naming_the_argument() {
        for (PartitionAssignor assignor : List.of(new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor())) {
            NullPointerException error = assertThrows(NullPointerException.class, () -> assignor.assign(null, null));
            assertTrue(error.getMessage().contains("partitionsPerTopic"), assignor.name() + ": " + error.getMessage());
            NullPointerException subscriptions = assertThrows(NullPointerException.class,
                    () -> assignor.assign(Map.of("orders", 1), null));
            assertTrue(subscriptions.getMessage().contains("subscriptions"), subscriptions.getMessage());
            assertEquals(Map.of("a", List.of(new TopicPartition("orders", 0))),
                    assignor.assign(Map.of("orders", 1), Map.of("a", Set.of("orders"))), "good input still works");
        }
    }

    @Test
    void a_missing_archive_or_a_file_that_is_not_one_is_refused_by_name() throws IOException {
        Path missing = dir.resolve("nowhere.csv");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ArchiveTable.read(missing));
        assertTrue(none.getMessage().contains("nowhere.csv") && none.getMessage().contains("no such file"), none.getMessage());

        Path garbage = Files.writeString(dir.resolve("garbage.csv"), "name,price\ncod,3.50\n");
        IllegalArgumentException notArchive = assertThrows(IllegalArgumentException.class, () -> ArchiveTable.read(garbage));
        assertTrue(notArchive.getMessage().contains("'name,price'") && notArchive.getMessage().contains(CsvArchive.HEADER),
                notArchive.getMessage());

        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        assertThrows(IllegalArgumentException.class, () -> ArchiveTable.read(empty));
        assertFalse(Files.exists(missing), "reading made nothing");
    }
}
