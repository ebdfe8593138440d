package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestConfigs.ONE_SEGMENT;
import static toykafka.lesson08.TestConfigs.SMALL;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.CorruptRecordException;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.tools.SegmentDump;
import toykafka.common.TopicConfig;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.TestRecords;
import toykafka.lesson08.Damage;

/** What opening a log does after a crash, a torn write, garbage, or a flipped byte. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecoveryTest {

    @TempFileLogs
    FileLogs logs;

    /** A log of {@code count} orders, stopped as by kill -9. */
    private Path crashedLogWith(int count, TopicConfig config) {
        FileLog log = logs.ordersWith(count, config);
        log.simulateCrash();
        return log.directory();
    }

    private static Path segment(Path dir, long base) {
        return dir.resolve(PartitionDirectory.fileName(base, "log"));
    }

    private static void assertHoldsOrders(FileLog log, int count) {
        assertEquals(count, log.endOffset(), "the log should end after " + count + " good records");
        for (int i = 0; i < count; i++) {
            assertEquals(order(i), log.read(i), "record " + i + " should be intact");
        }
    }

    @Test
    void a_torn_record_at_the_tail_is_cut_off_and_appends_continue_at_its_offset() throws IOException {
        Path dir = crashedLogWith(10, ONE_SEGMENT);
        long goodSize = Files.size(segment(dir, 0));
        byte[] frame = Damage.frame(order(10), 10);
        Damage.append(segment(dir, 0), Arrays.copyOf(frame, frame.length / 2)); // the write was cut off

        FileLog log = logs.orders(ONE_SEGMENT);

        RecoveryReport report = log.recoveryReport();
        assertFalse(report.cleanShutdown());
        assertEquals(goodSize, report.problem().position(), "the torn frame starts where the good ones end");
        assertTrue(report.problem().reason().endsWith("a torn write"), report.problem().reason());
        assertEquals(frame.length / 2, report.bytesTruncated());
        assertEquals(goodSize, Files.size(segment(dir, 0)), "the torn bytes are gone from the file");
        assertHoldsOrders(log, 10);
        assertEquals(10, log.append(order(10)), "the next append takes the offset the torn record never got");
        assertEquals(order(10), log.read(10));
    }

    @Test
    void garbage_at_the_tail_is_cut_off() throws IOException {
        Path dir = crashedLogWith(10, ONE_SEGMENT);
        long goodSize = Files.size(segment(dir, 0));
        byte[] garbage = new byte[300];
        new Random(8).nextBytes(garbage);
        Damage.append(segment(dir, 0), garbage);

        FileLog log = logs.orders(ONE_SEGMENT);

        assertEquals(300, log.recoveryReport().bytesTruncated(), log.recoveryReport().toString());
        assertEquals(goodSize, log.recoveryReport().problem().position());
        assertHoldsOrders(log, 10);
    }

    @Test
    void a_zero_filled_tail_is_cut_off() throws IOException {
        Path dir = crashedLogWith(10, ONE_SEGMENT);
        Damage.append(segment(dir, 0), new byte[4096]); // some file systems leave zeros after a crash

        FileLog log = logs.orders(ONE_SEGMENT);

        assertEquals("a batch length field says 0 bytes; a batch is at least 49 after that field",
                log.recoveryReport().problem().reason());
        assertEquals(4096, log.recoveryReport().bytesTruncated());
        assertHoldsOrders(log, 10);
    }

    @Test
    void a_flipped_byte_with_good_records_after_it_refuses_to_open_and_cuts_nothing() throws IOException {
        Path dir = crashedLogWith(100, ONE_SEGMENT.with(TopicConfig.FLUSH_MESSAGES, 1L)); // every one fsynced
        long eleventh = Damage.positionOfOrder(10);
        Damage.flipByte(segment(dir, 0), eleventh + 30); // inside record 10's key
        Map<String, String> before = Damage.snapshot(dir);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(ONE_SEGMENT),
                "records 11..99 follow the damage: it is not a torn tail, and cutting there would lose them");

        assertEquals("00000000000000000000.log", error.segment());
        assertEquals(eleventh, error.position(), "the damage is named at the start of record 10");
        assertTrue(error.reason().startsWith("CRC-32C mismatch"), error.reason());
        assertTrue(error.reason().contains("good records follow"), error.reason());
        assertEquals(before, Damage.snapshot(dir), "nothing was cut or rewritten");
    }

    @Test
    void a_flipped_byte_in_the_last_record_is_a_torn_tail_and_is_cut() throws IOException {
        Path dir = crashedLogWith(10, ONE_SEGMENT);
        long last = Damage.positionOfOrder(9);
        Damage.flipByte(segment(dir, 0), last + 30);

        FileLog log = logs.orders(ONE_SEGMENT);

        CorruptRecordException problem = log.recoveryReport().problem();
        assertEquals(last, problem.position(), "the problem is reported at the start of record 9");
        assertHoldsOrders(log, 9);
        assertEquals(9, log.append(order(9)), "appends continue after the last good record");
    }

    @Test
    void a_cleanly_closed_log_cut_at_a_record_boundary_refuses_to_open_naming_the_missing_records() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 100, ONE_SEGMENT);
        Damage.truncate(segment(dir, 0), Damage.positionOfOrder(60)); // a whole number of records
        Map<String, String> before = Damage.snapshot(dir);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(ONE_SEGMENT),
                "the checkpoint says 100 records were flushed; opening at 60 would give their offsets to new records");

        assertTrue(error.reason().contains("records 60..99 are missing"), error.reason());
        assertEquals(before, Damage.snapshot(dir), "the refusal changes nothing");
    }

    @Test
    void a_deleted_newest_segment_is_missing_flushed_records_and_refuses_to_open() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 30, SMALL);
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
        long newest = bases.get(bases.size() - 1);
        for (String extension : List.of("log", "index", "timeindex")) {
            Files.delete(dir.resolve(PartitionDirectory.fileName(newest, extension)));
        }

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(SMALL));

        assertTrue(error.reason().contains("records " + newest + "..29 are missing"), error.reason());
    }

    @Test
    void a_flipped_byte_in_an_older_segment_is_reported_on_read_and_never_returned() throws IOException {
        TopicConfig tenPerSegment = ONE_SEGMENT.with(TopicConfig.SEGMENT_BYTES, 1000);
        Path dir = crashedLogWith(20, tenPerSegment); // two segments; the first is below the recovery point
        long second = Damage.positionOfOrder(1);
        Damage.flipByte(segment(dir, 0), second + 70); // inside record 1's value

        FileLog log = logs.orders(tenPerSegment);

        RecoveryReport report = log.recoveryReport();
        assertNull(report.problem(), "older segments are trusted after a crash: their bytes are not read");
        assertEquals(1, report.segmentsScanned().size(), "only the segment after the recovery point is scanned");
        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> log.read(1));
        assertEquals("00000000000000000000.log at byte " + second + ": CRC-32C mismatch", error.getMessage()
                .substring(0, error.getMessage().indexOf(": stored")));
        assertEquals(List.of(order(0)), log.readBatch(0, 10), "a batch read hands out the good records before it");
        assertThrows(CorruptRecordException.class, () -> log.readBatch(1, 10), "and the next batch read reports it");
        assertEquals(order(0), log.read(0), "the record before it is fine");
        assertEquals(order(3), log.read(3), "records past the next index entry are found without reading it");
        assertEquals(order(19), log.read(19), "other segments are fine");
        SegmentDump.Verification verification = SegmentDump.verify(segment(dir, 0));
        assertFalse(verification.ok());
        assertTrue(verification.problems().get(0).startsWith(error.getMessage()), verification.toString());
    }

    @Test
    void a_stale_recovery_point_costs_a_longer_scan_not_a_wrong_answer() throws IOException {
        Path dir = crashedLogWith(20, SMALL);
        Checkpoints.writeRecoveryPoint(dir, 0); // as if the crash came before any roll was checkpointed

        FileLog log = logs.orders(SMALL);

        RecoveryReport report = log.recoveryReport();
        assertEquals(log.segments().size(), report.segmentsScanned().size(), "every segment: " + report);
        assertEquals(20, report.recordsScanned());
        assertNull(report.problem());
        assertHoldsOrders(log, 20);
    }

    @Test
    void damage_in_a_scanned_segment_that_is_not_the_newest_refuses_to_open_and_deletes_nothing() throws IOException {
        Path dir = crashedLogWith(20, SMALL);
        Checkpoints.writeRecoveryPoint(dir, 0); // every segment is scanned
        long secondBase = PartitionDirectory.segmentBaseOffsets(dir).get(1);
        Damage.flipByte(segment(dir, secondBase), 20); // the first record of the second segment, flushed when it rolled
        Map<String, String> before = Damage.snapshot(dir);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(SMALL));

        assertEquals(PartitionDirectory.fileName(secondBase, "log"), error.segment());
        assertEquals(0, error.position(), "the damaged frame starts at byte 0 of the second segment");
        assertTrue(error.getMessage().startsWith(PartitionDirectory.fileName(secondBase, "log")
                + " at byte 0: CRC-32C mismatch"), error.getMessage());
        assertTrue(error.getMessage().contains("these records were flushed to disk, so this is damage, not a torn"
                + " write, and the log in " + dir + " will not open rather than lose them"), error.getMessage());
        assertEquals(before, Damage.snapshot(dir), "no file was cut, deleted or changed");
    }

    @Test
    void damage_in_a_trusted_segment_found_on_open_refuses_and_deletes_nothing() throws IOException {
        FileLog first = logs.ordersWith(20, SMALL);
        int last = (int) first.segments().get(0).nextOffset() - 1;
        first.close();
        Path dir = first.directory();
        Damage.truncate(segment(dir, 0), Damage.positionOfOrder(last)); // segment 0 loses its last record
        Map<String, String> before = Damage.snapshot(dir);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(SMALL));

        assertEquals("00000000000000000000.log", error.segment());
        assertEquals(Damage.positionOfOrder(last), error.position(), "where the file now ends");
        assertTrue(error.reason().startsWith("the last record here has offset " + (last - 1) + ", but the next"
                + " segment starts at offset " + (last + 1) + ": record " + last + " is missing"), error.reason());
        assertEquals(before, Damage.snapshot(dir), "nothing was cut, deleted or rebuilt");
    }

    @Test
    void damage_in_the_newest_segment_after_a_clean_shutdown_refuses_to_open_for_it_was_flushed() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 10, ONE_SEGMENT);
        Damage.flipByte(segment(dir, 0), Damage.positionOfOrder(9) + 30);
        Map<String, String> before = Damage.snapshot(dir);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(ONE_SEGMENT));

        assertEquals(Damage.positionOfOrder(9), error.position());
        assertTrue(error.reason().startsWith("CRC-32C mismatch"), error.reason());
        assertEquals(before, Damage.snapshot(dir), "no record was cut: close had flushed them all");
    }

    @Test
    void a_recovery_point_checkpoint_that_is_not_an_offset_refuses_to_open_and_names_the_file() throws IOException {
        Path dir = crashedLogWith(20, SMALL);
        Files.writeString(dir.resolve(Checkpoints.RECOVERY_POINT), "twelve\n");

        java.io.UncheckedIOException error = assertThrows(java.io.UncheckedIOException.class, () -> logs.orders(SMALL));

        assertEquals("cannot open the log in " + dir + ": IOException: " + dir.resolve(Checkpoints.RECOVERY_POINT)
                + " holds \"twelve\", not an offset: check the segments with toykafka verify, then delete the file,"
                + " and the next open will check every record instead of trusting the flushed segments",
                error.getMessage());
        Files.delete(dir.resolve(Checkpoints.RECOVERY_POINT));
        FileLog log = logs.orders(SMALL);
        assertEquals(log.segments().size(), log.recoveryReport().segmentsScanned().size(),
                "without a checkpoint every segment is scanned");
        assertHoldsOrders(log, 20);
    }

    @Test
    void recovery_rebuilds_the_indexes_of_the_segment_it_scans() throws IOException {
        FileLog first = logs.ordersWith(40, ONE_SEGMENT);
        first.flush();
        int entries = first.segments().get(0).indexEntries();
        first.simulateCrash();
        Files.delete(first.directory().resolve("00000000000000000000.index"));

        FileLog log = logs.orders(ONE_SEGMENT);

        assertEquals(entries, log.segments().get(0).indexEntries(), "the same entries as before the crash");
        assertTrue(SegmentDump.verify(segment(log.directory(), 0)).ok());
        assertHoldsOrders(log, 40);
    }

    @Test
    void a_damaged_index_of_an_older_segment_is_rebuilt_from_its_records() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 20, SMALL);
        Files.write(dir.resolve("00000000000000000000.index"), new byte[] {1, 2, 3, 4, 5});

        FileLog log = logs.orders(SMALL);

        assertTrue(SegmentDump.verify(segment(log.directory(), 0)).ok(), "the rebuilt index points at its records");
        assertHoldsOrders(log, 20);
    }

    @Test
    void an_emptied_time_index_of_an_older_segment_is_rebuilt_so_retention_and_time_lookups_still_see_it()
            throws IOException {
        FileLog first = logs.ordersWith(20, SMALL);
        long newest = first.segments().get(0).largestTimestamp();
        first.close();
        Files.write(first.directory().resolve("00000000000000000000.timeindex"), new byte[0]);

        FileLog log = logs.orders(SMALL);

        assertEquals(newest, log.segments().get(0).largestTimestamp(), "the newest timestamp was read back");
        assertEquals(java.util.OptionalLong.of(2), log.offsetForTime(TestRecords.START.plusSeconds(2)));
    }

    @Test
    void index_files_left_by_a_deletion_that_stopped_half_way_are_removed() throws IOException {
        FileLog first = logs.orders(SMALL);
        first.append(order(0));
        first.close();
        Path stray = first.directory().resolve("00000000000000000500.index");
        Files.write(stray, new byte[8]);
        Path deleted = first.directory().resolve("00000000000000000500.log.deleted"); // renamed first, as delete does
        Files.write(deleted, new byte[0]);

        logs.orders(SMALL);

        assertFalse(Files.exists(stray), "an index whose log retention was deleting is cleaned up");
        assertFalse(Files.exists(deleted));
    }

    @Test
    void the_clean_shutdown_marker_is_taken_at_open_so_a_later_crash_is_noticed() {
        FileLog first = logs.orders(SMALL);
        first.append(order(0));
        first.close();
        FileLog second = logs.orders(SMALL);
        assertTrue(second.recoveryReport().cleanShutdown());
        assertFalse(Files.exists(second.directory().resolve(DirectoryClaim.CLEAN_SHUTDOWN)));
        second.append(order(1));
        second.simulateCrash();

        FileLog third = logs.orders(SMALL);

        assertFalse(third.recoveryReport().cleanShutdown(), third.recoveryReport().toString());
        assertHoldsOrders(third, 2);
    }
}
