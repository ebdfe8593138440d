package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The request memory's rules for large frames, one at a time, without sockets. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RequestMemoryTest {

    private static final long MIB = 1 << 20;
    private final RequestMemory memory = new RequestMemory(16 * MIB, 1000);

    private Connection connection(String name) {
        return new Connection(null, null, null, name, memory, 0, null, null, null, null);
    }

    @Test
    void a_huge_frame_alone_past_its_share_still_leaves_a_quarter_of_the_bound_to_smaller_frames() {
        assertTrue(memory.grant(connection("stalled"), 16 * MIB), "nothing else held: it goes ahead alone");
        assertTrue(memory.grant(connection("produce"), 3 * MIB), "within the quarter huge frames leave");
        assertFalse(memory.grant(connection("second produce"), 1 * MIB + 1), "past the quarter");
        assertFalse(memory.grant(connection("another huge one"), 5 * MIB));
    }

    @Test
    void huge_frames_together_hold_at_most_three_quarters_of_the_bound() {
        assertTrue(memory.grant(connection("first"), 5 * MIB));
        assertTrue(memory.grant(connection("second"), 5 * MIB), "10 MiB of 12");
        assertFalse(memory.grant(connection("third"), 5 * MIB), "15 MiB is past the huge frames' share");
        assertTrue(memory.grant(connection("ordinary"), 4 * MIB), "a quarter is not huge, and fits in the bound");
    }

    @Test
    void memory_freed_goes_to_the_smallest_frame_waiting_first_the_oldest_among_equals() {
        Connection holder = connection("holder");
        assertTrue(memory.grant(holder, 4 * MIB));
        for (int i = 0; i < 3; i++) {
            assertTrue(memory.grant(connection("another holder"), 4 * MIB), "the bound held whole");
        }
        Connection big = connection("big");
        Connection small = connection("small");
        Connection alsoSmall = connection("also small");
        assertFalse(memory.grant(big, 3 * MIB));
        assertFalse(memory.grant(small, 2 * MIB));
        assertFalse(memory.grant(alsoSmall, 2 * MIB));
        assertEquals(List.of(), memory.toWake(), "nothing freed yet");

        memory.closed(holder, 0, 4 * MIB, 0, 0);

        assertEquals(List.of(small, alsoSmall, big), memory.toWake());
        assertFalse(memory.anyWaiting(), "each asks again, and waits again if it still does not fit");
    }

    @Test
    void a_frame_goes_ahead_alone_past_the_bound_only_when_nothing_else_could_free_memory() {
        memory.takeAllowance(16 * 1024); // a frame arriving within its allowance frees nothing by itself
        assertTrue(memory.grant(connection("alone"), 20 * MIB), "else it would wait for ever");
        assertFalse(memory.grant(connection("next"), 20 * MIB), "the first one's bytes will come back");
    }
}
