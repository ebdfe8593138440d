package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class Lesson09DemoTest {

    @Test
    void the_demo_tells_the_same_story_every_run() {
        String first = Narrated.theSameStoryTwice(Lesson09Demo::narrate,
                "the demo starts from a clean directory and a manual clock each time");
        assertTrue(first.contains("fsyncs()  ==>  12"), first);
        assertTrue(first.contains("clean shutdown: 4 segment(s) loaded from their indexes, no record read"), first);
        assertTrue(first.contains("earliest()  ==>  6"), first);
        assertTrue(first.contains("cut 42 bytes at 00000000000000000009.log at byte 242"), first);
        assertTrue(first.contains("append(rock salmon)  ==>  12"), first);
        assertTrue(first.contains("holds its .lock"), first);
    }
}
