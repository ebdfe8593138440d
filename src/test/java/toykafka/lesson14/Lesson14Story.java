package toykafka.lesson14;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What lesson 14's story must show on any cluster, read from its printed text: the facts that need no
 * coordinator's insides, so the demo on our broker and on Apache Kafka is held to the same ones.
 */
public final class Lesson14Story {

    private Lesson14Story() {
    }

    /** The lines from "generation ==> N" up to the next blank line: one rebalance as the cooks and Admin saw it. */
    static String generation(String story, int generation) {
        int start = story.indexOf("  generation  ==>  " + generation + " (Stable)");
        assertTrue(start >= 0, "generation " + generation + " is reached and Stable: " + story);
        int end = story.indexOf("\n\n", start);
        return story.substring(start, end < 0 ? story.length() : end);
    }

    /**
     * Each generation's partitions by cook, as the range assignor shares them; cook-1's eager give-back; cook-2's
     * partition going on from its commit; and the books: every order cooked once, every partition committed to
     * its end.
     */
    public static void assertEveryGenerationAndTheBooks(String story) {
        String one = generation(story, 1);
        assertTrue(one.contains("cook-1 owns  ==>  [orders-0, orders-1, orders-2, orders-3, orders-4, orders-5]"), one);

        String two = generation(story, 2);
        assertTrue(two.contains("cook-1 owns  ==>  [orders-0, orders-1, orders-2]"), two);
        assertTrue(two.contains("cook-2 owns  ==>  [orders-3, orders-4, orders-5]"), two);
        assertTrue(two.contains("cook-1's rebalance listener  ==>  gives back [orders-0, orders-1, orders-2,"
                + " orders-3, orders-4, orders-5], then is given [orders-0, orders-1, orders-2]"),
                "an eager rebalance: cook-1 gave back all six, then was given three: " + two);

        String three = generation(story, 3);
        assertTrue(three.contains("cook-1 owns  ==>  [orders-0, orders-1]"), three);
        assertTrue(three.contains("cook-2 owns  ==>  [orders-2, orders-3]"), three);
        assertTrue(three.contains("cook-3 owns  ==>  [orders-4, orders-5]"), three);

        String four = generation(story, 4);
        assertTrue(four.contains("cook-1 owns  ==>  [orders-0, orders-1, orders-2]"), four);
        assertTrue(four.contains("cook-3 owns  ==>  [orders-3, orders-4, orders-5]"), four);
        assertFalse(four.contains("cook-2"), "cook-2 went home: " + four);
        assertTrue(story.contains("#21 fishcake and chips (orders-2@3)"),
                "cook-2's partition goes on from where it committed: " + story);

        for (int partition = 0; partition < 6; partition++) {
            assertTrue(story.contains("orders-" + partition + " committed / end offset  ==>  4 / 4"),
                    "partition " + partition + " committed to its end: " + story);
        }
        assertTrue(story.contains("orders sent, orders cooked, cooked twice  ==>  24, 24, 0"), story);
    }
}
