package toykafka.lesson17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.narration.Narrator;

/**
 * Runs lesson 17's narrated main: the kitchen as a share group on the broker's own share partition and a manual
 * clock, so its facts are the share partition's rules, the same every run.
 */
class Lesson17DemoTest {

    @Test
    void the_burnt_order_is_delivered_up_to_the_limit_then_archived_and_a_walked_out_cooks_orders_go_to_another() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Lesson17Demo.Told told = Lesson17Demo.tell(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        String story = printed.toString(StandardCharsets.UTF_8);

        assertTrue(story.contains("cook-1 fetches  ==>  0 cod and chips, 1 haddock (delivery 1)"), story);
        assertTrue(story.contains("cook-3 fetches  ==>  4 fish cake, 5 pizza (delivery 1)"),
                "three cooks share one partition, two orders each: " + story);
        assertEquals(3, told.startOffsetAfterFirstRound(), "the released order holds the start offset: " + story);
        assertTrue(story.contains("start offset 3, 3 AVAILABLE (delivered 1), 4 ACKNOWLEDGED (delivered 1),"
                + " 5 ARCHIVED (delivered 1)"), "the state as __share_group_state keeps it: " + story);
        assertEquals(List.of("cook-2 (delivery 1)", "cook-1 (delivery 2)", "cook-3 (delivery 3)"),
                told.burntDeliveries(), "delivered share.delivery.count.limit times, each time to whoever asked");
        assertEquals(6, told.startOffsetAfterBurnt(), "archived at the limit, the burnt order settles for good");
        assertTrue(story.contains("cook-2 fetches  ==>  nothing"), "nobody gets the archived order again: " + story);
        assertTrue(told.walkedOutRefusal().contains("not the owner"), told.walkedOutRefusal());
        assertEquals(List.of(new AcquiredRecords(6, 7, 2)), told.redelivered(),
                "a lock that ran out gives the orders to another cook, delivered a second time");
        assertEquals(8, told.finalStartOffset());
    }
}
