package toykafka.lesson14;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson14.Lesson14Story.generation;

import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class Lesson14DemoTest {

    @Test
    void four_generations_share_the_partitions_and_every_order_is_cooked_once() {
        String first = Narrated.theSameStoryTwice(Lesson14Demo::narrate,
                "the demo starts from an empty directory and tells the same story every run");
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
