package toykafka.lesson08;

import static toykafka.check.MessageFacts.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a segment's sparse offset index promises. The reference {@link SegmentIndex} and a learner's own
 * class run these same tests.
 */
@Tag("lesson08")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class OffsetIndexContract {

    /** A new, empty index for the segment whose first record has this offset. */
    protected abstract OffsetIndex newIndex(long baseOffset);

    /** Segment 100's index with an entry every 10 offsets, each record 50 bytes: 110@500, 120@1000, 130@1500. */
    private OffsetIndex threeEntries() {
        OffsetIndex index = newIndex(100);
        index.add(110, 500);
        index.add(120, 1000);
        index.add(130, 1500);
        return index;
    }

    @Test
    @Order(1)
    void a_new_index_knows_its_base_offset_and_has_no_entries() {
        OffsetIndex index = newIndex(100);
        assertEquals(100, index.baseOffset(), "baseOffset() should be the offset the index was made for");
        assertEquals(0, index.entries(), "a new index should have no entries");
    }

    @Test
    @Order(2)
    void an_empty_index_sends_every_lookup_to_the_start_of_the_segment() {
        OffsetIndex index = newIndex(100);
        assertEquals(new IndexEntry(100, 0), index.lookup(100),
                "with no entries, lookup(100) should start at the base offset, byte 0");
        assertEquals(new IndexEntry(100, 0), index.lookup(7_000),
                "with no entries, any offset is found by reading from the start of the segment");
    }

    @Test
    @Order(3)
    void add_counts_its_entries() {
        OffsetIndex index = threeEntries();
        assertEquals(3, index.entries(), "after three adds, entries() should be 3");
    }

    @Test
    @Order(4)
    void lookup_of_an_offset_with_an_entry_returns_that_entry() {
        OffsetIndex index = threeEntries();
        assertEquals(new IndexEntry(120, 1000), index.lookup(120), "offset 120 has its own entry: byte 1000");
        assertEquals(new IndexEntry(110, 500), index.lookup(110), "offset 110 has its own entry: byte 500");
        assertEquals(new IndexEntry(130, 1500), index.lookup(130), "offset 130 has its own entry: byte 1500");
    }

    @Test
    @Order(5)
    void lookup_between_entries_returns_the_last_entry_before_the_offset() {
        OffsetIndex index = threeEntries();
        assertEquals(new IndexEntry(120, 1000), index.lookup(125),
                "offset 125 has no entry: read from the last entry before it, 120 at byte 1000");
        assertEquals(new IndexEntry(110, 500), index.lookup(119),
                "offset 119 is just before entry 120: read from 110 at byte 500");
    }

    @Test
    @Order(6)
    void lookup_before_the_first_entry_starts_at_the_segment_start_and_after_the_last_at_the_last() {
        OffsetIndex index = threeEntries();
        assertEquals(new IndexEntry(100, 0), index.lookup(105),
                "offset 105 comes before the first entry: read from the segment's start, offset 100 at byte 0");
        assertEquals(new IndexEntry(130, 1500), index.lookup(1_000_000),
                "an offset past the last entry is read from the last entry, 130 at byte 1500");
    }

    @Test
    @Order(7)
    void lookup_agrees_with_a_plain_scan_over_many_entries() {
        OffsetIndex index = newIndex(1_000);
        for (int i = 1; i <= 5_000; i++) {
            index.add(1_000 + 3L * i, 40 * i); // an entry every 3 offsets
        }
        assertEquals(5_000, index.entries());
        for (long offset = 1_000; offset < 1_000 + 3 * 5_000 + 10; offset++) {
            long steps = (offset - 1_000) / 3; // how many entries lie at or before this offset
            long entryOffset = Math.min(steps, 5_000);
            IndexEntry expected = new IndexEntry(1_000 + 3 * entryOffset, (int) (40 * entryOffset));
            assertEquals(expected, index.lookup(offset), "lookup(" + offset + ") among 5000 entries");
        }
    }

    @Test
    @Order(8)
    void an_entry_that_does_not_grow_is_refused() {
        OffsetIndex index = threeEntries();
        IllegalArgumentException offset = assertThrows(IllegalArgumentException.class, () -> index.add(130, 2000),
                "add(130, ...) after an entry for 130 should throw IllegalArgumentException");
        assertMentions(offset, 130);
        IllegalArgumentException position = assertThrows(IllegalArgumentException.class, () -> index.add(140, 1500),
                "add(140, 1500) after an entry at byte 1500 should throw IllegalArgumentException");
        assertMentions(position, 1500);
        assertEquals(3, index.entries(), "a refused entry is not added");
    }

    @Test
    @Order(9)
    void an_offset_before_the_base_offset_is_refused() {
        OffsetIndex index = threeEntries();
        IllegalArgumentException lookup = assertThrows(IllegalArgumentException.class, () -> index.lookup(99),
                "lookup(99) in segment 100 should throw IllegalArgumentException: offset 99 is in another segment");
        assertMentions(lookup, 99, 100);
        IllegalArgumentException add = assertThrows(IllegalArgumentException.class, () -> newIndex(100).add(50, 0),
                "add(50, 0) in segment 100 should throw IllegalArgumentException");
        assertMentions(add, 50, 100);
    }

    @Test
    @Order(10)
    void an_offset_too_far_from_the_base_for_4_bytes_is_refused() {
        OffsetIndex index = newIndex(100);
        index.add(100L + Integer.MAX_VALUE, 8); // the farthest a relative offset reaches
        assertEquals(new IndexEntry(100L + Integer.MAX_VALUE, 8), index.lookup(100L + Integer.MAX_VALUE));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> newIndex(100).add(101L + Integer.MAX_VALUE, 8),
                "an offset more than 2147483647 past the base cannot be stored in 4 bytes");
        assertMentions(error, 101L + Integer.MAX_VALUE, 100);
    }
}
