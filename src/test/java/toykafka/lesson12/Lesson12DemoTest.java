package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.narration.Narrator;

@WritesGeneratedData
class Lesson12DemoTest {

    private static String run() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Lesson12Demo.narrate(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void the_price_list_is_the_same_before_and_after_cleaning_and_after_a_restart() {
        String first = run();
        assertEquals(first, run(), "the day runs on its own clock from an empty directory");
        assertTrue(first.contains("records read and removed  ==>  390 read, 382 removed"), first);
        assertTrue(first.contains("archived rows, reason compaction  ==>  382"), "every removed record archived: " + first);
        assertTrue(first.contains("after a restart, the same price list  ==>  true"), first);
        assertTrue(first.contains("a second pass right away  ==>  nothing dirty enough to clean"), first);
    }
}
