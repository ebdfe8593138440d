package toykafka.lesson11;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class Lesson11DemoTest {

    @Test
    void a_day_at_the_shop_is_archived_and_analysed_the_same_way_every_run() {
        String first = Narrated.theSameStoryTwice(Lesson11Demo::narrate,
                "the day runs on its own clock from an empty directory",
                "orders taken  ==>  1959");
        assertTrue(first.contains(" orders  |  till-1  |          1  |      781  |  50.0%  |"),
                "till-1 takes half the orders, and its partition half the topic: " + first);
        assertTrue(first.matches("(?s).*orders  \\|  retention  \\|     1562  \\|     72\\d{5}  \\|.*"),
                "no order is archived before its two hours: " + first);
        for (String chart : new String[] {"volume.png", "over-time.png", "key-spread.png", "age-at-archive.png",
            "throughput.png", "lag.png", "index.html"}) {
            assertTrue(Files.isRegularFile(Lesson11Demo.ANALYSIS.resolve(chart)), chart);
        }
    }
}
