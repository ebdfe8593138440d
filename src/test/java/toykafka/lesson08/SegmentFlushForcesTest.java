package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.RecordRules;
import toykafka.lesson09.Recovery;

/**
 * What a segment's flushes promise, checked on a disk that records which files were forced: after a flush, a seal,
 * a rewrite of the indexes or a recovery's cut, a power loss could take back nothing that was written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SegmentFlushForcesTest {

    private static final String LOG = "00000000000000000000.log";
    private static final String INDEX = "00000000000000000000.index";
    private static final String TIME_INDEX = "00000000000000000000.timeindex";

    @TempDir
    Path dir;
    private final FaultyDisk disk = new FaultyDisk();

    @Test
    void a_flush_forces_the_log_and_both_indexes_it_wrote() throws IOException {
        try (Segment segment = disk.segmentOfOrders(dir, 20)) {
            assertTrue(segment.index().entries() > 0 && segment.timeIndex().entries() > 0, "the indexes have entries");
            assertEquals(Set.of(LOG), disk.unforced(), "an append writes the log; the indexes wait for a flush");

            segment.flush();

            assertEquals(Set.of(), disk.unforced(), "a power loss now loses nothing");
            assertEquals(Set.of(LOG, INDEX, TIME_INDEX), Set.copyOf(disk.forced));
        }
    }

    @Test
    void sealing_forces_the_time_index_entry_it_adds_for_the_newest_record() throws IOException {
        try (Segment segment = disk.segmentOfOrders(dir, 1)) {
            segment.flush(); // too small for an entry: the time index file is still empty
            assertEquals(0, Files.size(dir.resolve(TIME_INDEX)));

            segment.seal();

            assertEquals(TimeIndex.ENTRY_SIZE, Files.size(dir.resolve(TIME_INDEX)));
            assertEquals(Set.of(), disk.unforced());
        }
    }

    @Test
    void sealing_an_empty_segment_writes_no_time_index_entry() throws IOException {
        try (Segment segment = disk.segmentOfOrders(dir, 0)) {
            segment.seal();

            assertEquals(0, segment.timeIndex().entries(), "no record, so no newest record to name");
            assertEquals(0, Files.size(dir.resolve(TIME_INDEX)));
            assertEquals(Set.of(), disk.unforced());
        }
    }

    @Test
    void forcing_the_log_for_a_durable_append_forces_the_log_file() throws IOException {
        try (Segment segment = disk.segmentOfOrders(dir, 2)) {
            segment.forceLog();

            assertEquals(List.of(LOG), disk.forced);
            assertEquals(Set.of(), disk.unforced());
        }
    }

    @Test
    void rewriting_the_indexes_replaces_both_files_whole_and_forces_them() throws IOException {
        try (Segment segment = disk.segmentOfOrders(dir, 20)) {
            segment.flush();
            Files.write(dir.resolve(INDEX), new byte[64], java.nio.file.StandardOpenOption.APPEND); // stale bytes
            Files.write(dir.resolve(TIME_INDEX), new byte[64], java.nio.file.StandardOpenOption.APPEND);
            segment.append(PreparedAppend.encode(List.of(order(20)), 20, RecordRules.defaults()));
            disk.forced.clear();

            segment.rewriteIndexes();

            assertEquals(segment.index().entries() * (long) SegmentIndex.ENTRY_SIZE, Files.size(dir.resolve(INDEX)),
                    "the stale bytes are gone");
            assertEquals(segment.timeIndex().entries() * (long) TimeIndex.ENTRY_SIZE, Files.size(dir.resolve(TIME_INDEX)));
            assertEquals(segment.index().entries(), segment.indexOnDisk().entries());
            assertEquals(Set.of(INDEX, TIME_INDEX), Set.copyOf(disk.forced));
            assertEquals(Set.of(LOG), disk.unforced(), "the last append is not flushed, and the rewrite does not claim it");
        }
    }

    @Test
    void a_recovery_that_cuts_a_torn_tail_forces_the_cut_log_and_its_rebuilt_indexes() throws IOException {
        long whole;
        try (Segment segment = disk.segmentOfOrders(dir, 20)) {
            segment.flush();
            whole = segment.size();
        }
        Files.write(dir.resolve(LOG), new byte[] {0, 0, 0, 0, 0, 0, 0, 20, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        try (Segment segment = Segment.open(dir, 0, 100, disk.opener())) {
            disk.forced.clear();

            assertTrue(Recovery.recover(segment) != null, "the torn batch is found");

            assertEquals(whole, Files.size(dir.resolve(LOG)));
            assertEquals(Set.of(), disk.unforced(), "the cut and the rebuilt indexes survive a power loss");
            assertEquals(Set.of(LOG, INDEX, TIME_INDEX), Set.copyOf(disk.forced));
        }
    }
}
