package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicConfig;
import toykafka.lesson08.TimeIndex;
import toykafka.lesson08.PartitionDirectory;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;

/**
 * A sealed segment that opening read record by record is sealed again as a roll seals it: its time index ends
 * with an entry for its newest record, which the next clean open checks the records against. And the report
 * counts the bytes of good records it read.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecoveredSegmentsAreSealedTest {

    /** Segments of a few records each, far too small for an index entry: only sealing writes a time entry. */
    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 300);
    private static final int RECORDS = 30;

    @TempFileLogs
    FileLogs logs;

    /** Empties every segment's time index file, as if its entries were lost. */
    private static void emptyEveryTimeIndex(Path dir) throws IOException {
        for (long base : PartitionDirectory.segmentBaseOffsets(dir)) {
            Files.write(dir.resolve(PartitionDirectory.fileName(base, "timeindex")), new byte[0]);
        }
    }

    private void assertOpensWithEveryRecord() {
        try (FileLog log = logs.orders(SMALL)) {
            assertEquals(RECORDS, log.endOffset());
        }
    }

    /** The time index file of each sealed segment: every segment but the newest. */
    private static void assertSealedTimeIndexesNameTheirNewestRecord(Path dir) throws IOException {
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
        assertTrue(bases.size() > 2, "the test needs several sealed segments: " + bases);
        for (int i = 0; i + 1 < bases.size(); i++) {
            Path file = dir.resolve(PartitionDirectory.fileName(bases.get(i), "timeindex"));
            TimeIndex times = TimeIndex.decode(bases.get(i), ByteBuffer.wrap(Files.readAllBytes(file)));
            long newest = bases.get(i + 1) - 1; // the records are stamped in offset order
            assertEquals(1, times.entries(), file.getFileName().toString());
            assertEquals(newest, times.offset(0), file.getFileName().toString());
            assertEquals(order((int) newest).timestamp().toEpochMilli(), times.lastTimestamp());
        }
    }

    @Test
    void a_crash_recovery_seals_each_sealed_segment_it_reads_again() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, RECORDS, SMALL);
        emptyEveryTimeIndex(dir);
        Files.delete(dir.resolve(DirectoryClaim.CLEAN_SHUTDOWN));
        Files.delete(dir.resolve(Checkpoints.RECOVERY_POINT)); // nothing known flushed: every segment is read

        assertOpensWithEveryRecord();

        assertSealedTimeIndexesNameTheirNewestRecord(dir);
    }

    @Test
    void a_clean_open_that_finds_a_time_index_emptied_rebuilds_it_sealed() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, RECORDS, SMALL);
        emptyEveryTimeIndex(dir);

        assertOpensWithEveryRecord();

        assertSealedTimeIndexesNameTheirNewestRecord(dir);
    }

    @Test
    void the_report_of_a_crash_recovery_counts_the_bytes_of_every_record_it_read() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, RECORDS, SMALL);
        long bytes = 0;
        for (long base : PartitionDirectory.segmentBaseOffsets(dir)) {
            bytes += Files.size(dir.resolve(PartitionDirectory.fileName(base, "log")));
        }
        Files.delete(dir.resolve(DirectoryClaim.CLEAN_SHUTDOWN));
        Files.delete(dir.resolve(Checkpoints.RECOVERY_POINT));

        try (FileLog log = logs.orders(SMALL)) {
            RecoveryReport report = log.recoveryReport();
            assertEquals(PartitionDirectory.segmentBaseOffsets(dir).size(), report.segmentsScanned().size());
            assertEquals(RECORDS, report.recordsScanned());
            assertEquals(bytes, report.bytesScanned(), "every byte of every segment is a good record");
        }
    }
}
