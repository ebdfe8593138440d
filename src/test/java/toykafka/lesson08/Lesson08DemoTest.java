package toykafka.lesson08;

import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class Lesson08DemoTest {

    @Test
    void the_demo_tells_the_same_story_every_run() {
        Narrated.theSameStoryTwice(Lesson08Demo::narrate,
                "the demo starts from a clean directory and a manual clock each time",
                "LocalLog[orders-0: offsets 0..11, 4 segment(s)]",
                "CorruptRecordException: 00000000000000000003.log at byte 84: CRC-32C mismatch",
                "read(5)  ==>  curry sauce");
    }
}
