package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class Lesson12DemoTest {

    @Test
    void the_price_list_is_the_same_before_and_after_cleaning_and_after_a_restart() {
        String first = Narrated.theSameStoryTwice(Lesson12Demo::narrate,
                "the day runs on its own clock from an empty directory",
                "records read and removed  ==>  390 read, 382 removed",
                "after a restart, the same price list  ==>  true",
                "a second pass right away  ==>  nothing dirty enough to clean");
        assertTrue(first.contains("archived rows, reason compaction  ==>  382"), "every removed record archived: " + first);
    }
}
