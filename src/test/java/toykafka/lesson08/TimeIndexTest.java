package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static toykafka.check.MessageFacts.assertMentions;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What a segment's time index promises: where to start scanning for the first record stamped at or after a
 * time, and that a {@code .timeindex} file whose entries do not grow is refused rather than trusted.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TimeIndexTest {

    /** Segment 100's time index with an entry every 3 offsets, stamped 1,000 ms apart: (1000, 103), (2000, 106), … */
    private static TimeIndex entries(int count) {
        TimeIndex index = new TimeIndex(100);
        for (int i = 1; i <= count; i++) {
            index.maybeAdd(1_000L * i, 100 + 3L * i);
        }
        return index;
    }

    private static ByteBuffer file(long... timestampsAndRelativeOffsets) {
        ByteBuffer bytes = ByteBuffer.allocate(timestampsAndRelativeOffsets.length / 2 * TimeIndex.ENTRY_SIZE);
        for (int i = 0; i < timestampsAndRelativeOffsets.length; i += 2) {
            bytes.putLong(timestampsAndRelativeOffsets[i]).putInt((int) timestampsAndRelativeOffsets[i + 1]);
        }
        return bytes.flip();
    }

    @Test
    void with_one_entry_a_time_after_it_is_scanned_for_just_past_its_offset() {
        TimeIndex index = entries(1);

        assertEquals(100, index.scanFrom(1_000), "no record up to 103 is stamped after 1000: it may be 103 itself");
        assertEquals(104, index.scanFrom(1_001), "every record up to 103 is stamped 1000 or before");
    }

    @Test
    void scanFrom_agrees_with_a_plain_scan_of_the_entries_over_many_entries() {
        for (int count = 0; count <= 40; count++) {
            TimeIndex index = entries(count);
            for (long time = 0; time <= 1_000L * (count + 1); time += 250) {
                long expected = 100;
                for (int i = 0; i < index.entries(); i++) {
                    if (index.timestamp(i) < time) {
                        expected = index.offset(i) + 1;
                    }
                }
                assertEquals(expected, index.scanFrom(time), "scanFrom(" + time + ") among " + count + " entries");
            }
        }
    }

    @Test
    void a_file_whose_timestamps_do_not_grow_is_refused() {
        IllegalArgumentException repeated = assertThrows(IllegalArgumentException.class,
                () -> TimeIndex.decode(100, file(1_000, 3, 1_000, 6)));
        assertMentions(repeated, 1_000);
        assertThrows(IllegalArgumentException.class, () -> TimeIndex.decode(100, file(2_000, 3, 1_000, 6)));
    }

    @Test
    void a_file_whose_offsets_do_not_grow_is_refused_naming_the_last_entry_s_offset() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TimeIndex.decode(100, file(1_000, 5, 2_000, 4)));
        assertMentions(refused, 104, 105);
        assertThrows(IllegalArgumentException.class, () -> TimeIndex.decode(100, file(1_000, 5, 2_000, 5)));
    }

    @Test
    void a_file_of_growing_entries_reads_back_as_written() {
        TimeIndex index = TimeIndex.decode(100, entries(20).encode(0));

        assertEquals(20, index.entries());
        assertEquals(20_000, index.timestamp(19));
        assertEquals(160, index.offset(19));
    }

    /** A cleaner's emptied batch or a record sent without a time carries -1: no entry may name it, as in Kafka. */
    @Test
    void a_segment_with_no_time_yet_gets_no_entry() {
        TimeIndex index = new TimeIndex(100);
        index.maybeAdd(-1, 104);
        index.maybeAdd(Long.MIN_VALUE, -1);
        assertEquals(0, index.entries());
        index.maybeAdd(5_000, 108);
        assertEquals(1, index.entries());
    }
}
