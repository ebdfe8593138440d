package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.narration.Narrator;

@WritesGeneratedData
class Lesson08DemoTest {

    private static String run() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Lesson08Demo.narrate(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void the_demo_tells_the_same_story_every_run() {
        String first = run();
        assertEquals(first, run(), "the demo starts from a clean directory and a manual clock each time");
        assertTrue(first.contains("LocalLog[orders-0: offsets 0..11, 4 segment(s)]"), first);
        assertTrue(first.contains("CorruptRecordException: 00000000000000000003.log at byte 84: CRC-32C mismatch"), first);
        assertTrue(first.contains("read(5)  ==>  curry sauce"), first);
    }
}
