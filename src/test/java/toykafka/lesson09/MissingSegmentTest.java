package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestConfigs.SMALL;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.CorruptRecordException;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.tools.SegmentDump;
import toykafka.lesson08.Segment;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.Damage;

/**
 * A segment's {@code .log} gone while its indexes remain is records lost, not a leftover: opening refuses
 * and names it, and keeps the evidence. Accepting the loss is a deliberate act: deleting those index files.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MissingSegmentTest {

    @TempFileLogs
    FileLogs logs;

    private static Path file(Path dir, long base, String extension) {
        return dir.resolve(PartitionDirectory.fileName(base, extension));
    }

    @Test
    void the_first_segments_log_missing_refuses_to_open_names_it_and_keeps_its_indexes() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 30, SMALL);
        long second = PartitionDirectory.segmentBaseOffsets(dir).get(1);
        Files.delete(file(dir, 0, "log"));
        Map<String, String> before = Damage.snapshot(dir);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(SMALL));

        assertEquals("00000000000000000000.log", error.segment(), error.getMessage());
        assertTrue(error.getMessage().contains("records 0.." + (second - 1)), error.getMessage());
        assertEquals(before, Damage.snapshot(dir), "the index files are the evidence: nothing is deleted");

        Files.delete(file(dir, 0, "index")); // accepting the loss, as the message says
        Files.delete(file(dir, 0, "timeindex"));
        FileLog log = logs.orders(SMALL);
        assertEquals(second, log.earliest());
        assertEquals(order((int) second), log.read(second));
    }

    @Test
    void the_active_segments_log_missing_after_a_crash_refuses_to_open() throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        first.simulateCrash();
        Path dir = first.directory();
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
        long active = bases.get(bases.size() - 1);
        Files.delete(file(dir, active, "log"));

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(SMALL),
                "records " + active + "..29 were written: opening must not report nothing to cut");

        assertEquals(PartitionDirectory.fileName(active, "log"), error.segment(), error.getMessage());
        assertTrue(Files.exists(file(dir, active, "index")), "the evidence stays");
    }

    @Test
    void a_segment_missing_from_the_middle_is_refused_by_its_name() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 30, SMALL);
        long middle = PartitionDirectory.segmentBaseOffsets(dir).get(2);
        for (String extension : List.of("log", "index", "timeindex")) {
            Files.delete(file(dir, middle, extension));
        }

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(SMALL));

        assertTrue(error.getMessage().contains(PartitionDirectory.fileName(middle, "log")), error.getMessage());
    }

    @Test
    void verify_reports_a_log_file_missing_beside_its_indexes() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 30, SMALL);
        Files.delete(file(dir, 0, "log"));

        List<SegmentDump.Verification> verifications = SegmentDump.verifyAll(dir);

        assertFalse(verifications.stream().allMatch(SegmentDump.Verification::ok), verifications.toString());
        assertTrue(verifications.get(0).toString().contains("00000000000000000000.log"), verifications.toString());
    }

    @Test
    void retention_deletes_whole_segments_and_a_deletion_a_crash_interrupted_is_finished_at_open() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 30, SMALL);
        // what Segment.delete leaves if the process stops after renaming the log and before deleting the rest
        Files.move(file(dir, 0, "log"), dir.resolve(PartitionDirectory.fileName(0, "log") + ".deleted"));
        long second = PartitionDirectory.segmentBaseOffsets(dir).get(0);

        FileLog log = logs.orders(SMALL);

        assertEquals(second, log.earliest());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("00000000000000000000.")),
                    "the deleted segment's files are gone");
        }
    }
}
