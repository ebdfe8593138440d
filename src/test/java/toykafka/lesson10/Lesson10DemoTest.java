package toykafka.lesson10;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class Lesson10DemoTest {

    @Test
    void the_shop_loses_no_order_across_the_restart_and_tells_the_same_story_every_run() {
        String first = Narrated.theSameStoryTwice(Lesson10Demo::narrate,
                "the demo starts from an empty directory and stamps its own times",
                "orders prepared  ==>  [271, 272, 273, 274, 275, 276, 277, 278, 279]",
                "__consumer_offsets-0/");
        assertTrue(first.contains("prepared twice  ==>  [272, 273, 275, 276]"),
                "the counter's uncommitted orders come again after the restart, and only those: " + first);
        assertTrue(first.contains("200 {\"error_code\":40403,\"error\":\"UNKNOWN_TOPIC_OR_PARTITION\""),
                "a produce is answered 200 as REST Proxy's, the record's report refusing it: " + first);
    }
}
