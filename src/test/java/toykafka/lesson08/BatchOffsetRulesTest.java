package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.check.MessageFacts.assertMentions;
import static toykafka.lesson08.Offsets.UNKNOWN;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;

/**
 * The rules a stored batch's offsets obey, at their edges: a batch ends before the offset its segment's
 * records end before, and holds offsets base..last with last at or after base, neither negative.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BatchOffsetRulesTest {

    @TempDir
    Path dataDir;

    /** Fails unless the rules find something wrong and say so with these facts. */
    private static void assertWrong(String why, Object... facts) {
        assertNotNull(why, "the rules should find these offsets wrong");
        assertMentions(new Offsets.OutOfOrder("00000000000000000000.log", 0, why), facts);
    }

    @Test
    void a_batch_may_end_just_before_the_end_of_its_segment_but_not_at_it() {
        assertNull(Offsets.wrong(10, 13, UNKNOWN, 14));
        assertWrong(Offsets.wrong(10, 14, UNKNOWN, 14), "10..14", 14);
    }

    @Test
    void a_batch_of_one_record_has_its_base_offset_as_its_last() {
        assertNull(Offsets.wrong(0, 0, 0, 1));
    }

    @Test
    void a_negative_base_offset_or_a_last_offset_before_the_base_is_damage_whatever_else_is_known() {
        assertWrong(Offsets.wrong(-1, 3, UNKNOWN, UNKNOWN), "-1..3");
        assertWrong(Offsets.wrong(5, 4, 5, 100), "5..4");
    }

    @Test
    void a_gap_in_a_log_never_cleaned_is_refused_with_the_offset_expected_and_how_to_allow_gaps() throws IOException {
        FileLog first = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults());
        for (int i = 0; i < 20; i++) {
            first.append(order(i));
        }
        Location at = first.locate(14);
        first.close();
        Damage.flipByte(first.directory().resolve(at.segment()), at.position() + 7); // base offset 14 -> 15

        CorruptRecordException refused = assertThrows(CorruptRecordException.class,
                () -> FileLog.open(dataDir, "orders", 0, TopicConfig.defaults()));
        assertMentions(refused, 14, 15, PartitionDirectory.CLEANER_CHECKPOINT);
    }

    @Test
    void a_gap_right_after_an_index_entry_is_found_by_the_seek_that_walks_from_it() throws IOException {
        TopicConfig config = TopicConfig.defaults().with(TopicConfig.INDEX_INTERVAL_BYTES, 100);
        FileLog first = FileLog.open(dataDir, "orders", 0, config);
        for (int i = 0; i < 40; i++) {
            first.append(order(i));
        }
        IndexEntry entry = first.locate(20).indexEntry();
        assertTrue(entry.position() > 0, "an entry at or before offset 20");
        long after = entry.offset() + 1; // the batch right after the entry's
        Location at = first.locate(after);
        first.close();
        try (RandomAccessFile raw = new RandomAccessFile(first.directory().resolve(at.segment()).toFile(), "rw")) {
            raw.seek(at.position());
            raw.writeLong(after + 1); // its base offset, which the CRC leaves out: a gap in a log never cleaned
        }

        try (FileLog log = FileLog.open(dataDir, "orders", 0, config)) { // a clean open reads only the tail
            long damaged = after;
            CorruptRecordException refused = assertThrows(CorruptRecordException.class, () -> log.read(damaged));
            assertEquals(at.position(), refused.position(), refused.getMessage());
        }
    }
}
