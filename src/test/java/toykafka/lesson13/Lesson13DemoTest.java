package toykafka.lesson13;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.narration.Narrator;

@WritesGeneratedData
class Lesson13DemoTest {

    private static String run() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Lesson13Demo.narrate(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The lines from "generation ==> N" up to the next blank line: one rebalance as the coordinator saw it. */
    private static String generation(String story, int generation) {
        int start = story.indexOf("  generation  ==>  " + generation + " (Stable)");
        assertTrue(start >= 0, "generation " + generation + " is reached and Stable: " + story);
        int end = story.indexOf("\n\n", start);
        return story.substring(start, end < 0 ? story.length() : end);
    }

    @Test
    void four_generations_share_the_partitions_and_every_order_is_cooked_once() {
        String first = run();
        assertEquals(first, run(), "the demo starts from an empty directory and tells the same story every run");

        String one = generation(first, 1);
        assertTrue(one.contains("leader  ==>  cook-1"), one);
        assertTrue(one.contains("cook-1's subscription, as the leader read it  ==>  [orders]"), one);
        assertTrue(one.contains("cook-1 owns  ==>  [orders-0, orders-1, orders-2, orders-3, orders-4, orders-5]"), one);

        String two = generation(first, 2);
        assertTrue(two.contains("leader  ==>  cook-1"), two);
        assertTrue(two.contains("cook-1 owns  ==>  [orders-0, orders-1, orders-2]"), two);
        assertTrue(two.contains("cook-2 owns  ==>  [orders-3, orders-4, orders-5]"), two);
        assertTrue(two.contains("cook-1's rebalance listener  ==>  gives back [orders-0, orders-1, orders-2,"
                + " orders-3, orders-4, orders-5], then is given [orders-0, orders-1, orders-2]"),
                "an eager rebalance: cook-1 gave back all six, then was given three: " + two);

        String three = generation(first, 3);
        assertTrue(three.contains("cook-1 owns  ==>  [orders-0, orders-1]"), three);
        assertTrue(three.contains("cook-2 owns  ==>  [orders-2, orders-3]"), three);
        assertTrue(three.contains("cook-3 owns  ==>  [orders-4, orders-5]"), three);

        String four = generation(first, 4);
        assertTrue(four.contains("leader  ==>  cook-1"), four);
        assertTrue(four.contains("cook-1 owns  ==>  [orders-0, orders-1, orders-2]"), four);
        assertTrue(four.contains("cook-3 owns  ==>  [orders-3, orders-4, orders-5]"), four);
        assertFalse(four.contains("cook-2"), "cook-2 went home: " + four);
        assertTrue(first.contains("#21 fishcake and chips (orders-2@3)"),
                "cook-2's partition goes on from where it committed: " + first);

        assertTrue(first.contains("cook-1 commits orders-0 at 0 with generation 3  ==>  ILLEGAL_GENERATION"), first);
        assertTrue(first.contains("cook-2, gone home, commits with generation 3  ==>  UNKNOWN_MEMBER_ID"), first);
        for (int partition = 0; partition < 6; partition++) {
            assertTrue(first.contains("orders-" + partition + " committed / end offset  ==>  4 / 4"),
                    "partition " + partition + " committed to its end: " + first);
        }
        assertTrue(first.contains("orders sent, orders cooked, cooked twice  ==>  24, 24, 0"), first);
    }
}
