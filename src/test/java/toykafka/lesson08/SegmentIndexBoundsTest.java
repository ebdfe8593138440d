package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static toykafka.check.MessageFacts.assertMentions;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The reference index beyond the learners' contract: what a refused entry is compared with, the last
 * byte an {@code .index} file may point at, and the search by byte position a fetch uses to jump near its limit.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SegmentIndexBoundsTest {

    /** Segment 100's index, an entry every 10 offsets and 500 bytes: 110@500, 120@1000, …, 100+10n@500n. */
    private static SegmentIndex entries(int count) {
        SegmentIndex index = new SegmentIndex(100);
        for (int i = 1; i <= count; i++) {
            index.add(100 + 10L * i, 500 * i);
        }
        return index;
    }

    private static ByteBuffer file(int relativeOffset, int position) {
        return ByteBuffer.allocate(SegmentIndex.ENTRY_SIZE).putInt(relativeOffset).putInt(position).flip();
    }

    @Test
    void an_entry_that_does_not_grow_is_refused_naming_both_it_and_the_last_entry() {
        SegmentIndex index = entries(2);

        assertMentions(assertThrows(IllegalArgumentException.class, () -> index.add(115, 1500)), 115, 120);
        assertMentions(assertThrows(IllegalArgumentException.class, () -> index.add(130, 800)), 800, 1000);
    }

    @Test
    void an_index_file_may_point_at_the_log_s_last_byte_but_not_at_its_end() {
        assertEquals(new IndexEntry(110, 999), SegmentIndex.decode(100, file(10, 999), 1000).lookup(110));

        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> SegmentIndex.decode(100, file(10, 1000), 1000));
        assertMentions(past, 1000);
    }

    @Test
    void the_last_entry_starting_at_or_before_a_byte_agrees_with_a_plain_scan() {
        for (int count = 0; count <= 40; count++) {
            SegmentIndex index = entries(count);
            for (long position = 0; position <= 500L * (count + 1); position += 125) {
                int expected = -1;
                for (int n = 0; n < index.entries(); n++) {
                    if (index.entry(n).position() <= position) {
                        expected = n;
                    }
                }
                assertEquals(expected, index.lastStartingAtOrBefore(position),
                        "the last entry at or before byte " + position + " among " + count);
            }
        }
    }
}
