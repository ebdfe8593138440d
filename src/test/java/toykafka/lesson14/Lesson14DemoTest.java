package toykafka.lesson14;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson14.Lesson14Story.generation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.narration.Narrator;

@WritesGeneratedData
class Lesson14DemoTest {

    private static String run() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Lesson14Demo.narrate(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void four_generations_share_the_partitions_and_every_order_is_cooked_once() {
        String first = run();
        assertEquals(first, run(), "the demo starts from an empty directory and tells the same story every run");
        Lesson14Story.assertEveryGenerationAndTheBooks(first);

        // what only our own coordinator can show: the leader, the subscription it read, stale commits refused
        for (int each = 1; each <= 4; each++) {
            String settled = generation(first, each);
            assertTrue(settled.contains("leader  ==>  cook-1"), settled);
        }
        assertTrue(generation(first, 1).contains("cook-1's subscription, as the leader read it  ==>  [orders]"), first);
        assertTrue(first.contains("cook-1 commits orders-0 at 0 with generation 3  ==>  ILLEGAL_GENERATION"), first);
        assertTrue(first.contains("cook-2, gone home, commits with generation 3  ==>  UNKNOWN_MEMBER_ID"), first);
    }
}
