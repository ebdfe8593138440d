package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.check.MessageFacts.assertMentions;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.lesson08.Location;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.Damage;

/**
 * The recovery point across opens: what the report says of it, that a crash's recovery moves it to the newest
 * segment so the next crash reads only that one, and that a clean reopen keeps the shutdown's checkpoint, which
 * protects every record flushed then.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecoveryPointTest {

    /** Segments of a few records each, too small for an index entry: only the recovery point vouches for them. */
    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 300);

    @TempFileLogs
    FileLogs logs;

    private static long newestBase(Path dir) throws IOException {
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
        return bases.get(bases.size() - 1);
    }

    @Test
    void a_log_closed_empty_opens_empty_and_its_first_record_gets_offset_0() {
        logs.orders(SMALL).close();

        FileLog log = logs.orders(SMALL);
        assertEquals(0, log.endOffset());
        assertEquals(0, log.append(order(0)));
    }

    @Test
    void the_report_of_a_clean_open_names_no_recovery_point_and_its_time_is_within_the_open() {
        logs.ordersWith(30, SMALL).close();

        long before = System.nanoTime();
        FileLog log = logs.orders(SMALL);
        long took = System.nanoTime() - before;

        RecoveryReport report = log.recoveryReport();
        assertTrue(report.cleanShutdown());
        assertEquals(-1, report.recoveryPoint(), "nothing was recovered, so no recovery point was used");
        assertTrue(report.nanos() > 0 && report.nanos() <= took, report.nanos() + " ns of an open that took " + took);
    }

    @Test
    void recovering_after_a_crash_moves_the_recovery_point_so_the_next_crash_reads_only_the_newest_segment()
            throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        Path dir = first.directory();
        first.simulateCrash();
        Files.delete(dir.resolve(Checkpoints.RECOVERY_POINT)); // nothing known flushed: every segment is read
        long segments = PartitionDirectory.segmentBaseOffsets(dir).size();

        FileLog recovered = logs.orders(SMALL);
        assertEquals(segments, recovered.recoveryReport().segmentsScanned().size());
        recovered.simulateCrash();

        RecoveryReport again = logs.orders(SMALL).recoveryReport();
        assertFalse(again.cleanShutdown());
        assertEquals(newestBase(dir), again.recoveryPoint());
        assertEquals(List.of(PartitionDirectory.fileName(newestBase(dir), "log")), again.segmentsScanned(),
                "the segments before the newest were forced by the recovery before");
    }

    @Test
    void a_clean_reopen_keeps_the_shutdown_s_checkpoint_so_flushed_records_cut_after_a_later_crash_are_found_missing()
            throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        Path dir = first.directory();
        Location last = first.locate(29);
        first.close();
        logs.orders(SMALL).simulateCrash(); // the clean reopen wrote nothing, and the crash flushed nothing

        Damage.truncate(dir.resolve(last.segment()), last.position()); // record 29, flushed at the shutdown, is gone

        CorruptRecordException refused = assertThrows(CorruptRecordException.class, () -> logs.orders(SMALL));
        assertMentions(refused, 28, 29); // the segments end at 28; 29 was flushed
    }
}
