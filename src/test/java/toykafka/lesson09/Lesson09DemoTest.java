package toykafka.lesson09;

import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class Lesson09DemoTest {

    @Test
    void the_demo_tells_the_same_story_every_run() {
        Narrated.theSameStoryTwice(Lesson09Demo::narrate,
                "the demo starts from a clean directory and a manual clock each time",
                "fsyncs()  ==>  12",
                "clean shutdown: 4 segment(s) loaded from their indexes, no record read",
                "earliest()  ==>  6",
                "cut 42 bytes at 00000000000000000009.log at byte 242",
                "append(rock salmon)  ==>  12",
                "holds its .lock");
    }
}
