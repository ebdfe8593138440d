package toykafka.lesson13;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class Lesson13DemoTest {

    @Test
    void kafkas_own_clients_produce_and_consume_and_a_retried_batch_keeps_its_offset() {
        String first = Narrated.theSameStoryTwice(Lesson13Demo::narrate,
                "the demo starts from an empty directory and tells the same story every run",
                "till-1 sends cod and chips  ==>  orders-1 offset 0",
                "sequence 0, first send  ==>  NONE, offset 2",
                "sequence 2, with 1 never sent  ==>  OUT_OF_ORDER_SEQUENCE_NUMBER");
        assertTrue(first.contains("till-2: scampi and chips (orders-2@1)"), "the kitchen read every order: " + first);
        assertTrue(first.contains("sequence 0, sent again  ==>  NONE, offset 2"), "the retry gets the first offset: " + first);
        assertTrue(first.contains("orders-0 now ends at offset  ==>  3"), "written once: " + first);
    }
}
