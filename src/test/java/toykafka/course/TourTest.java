package toykafka.course;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.narration.Narrator;

@WritesGeneratedData
class TourTest {

    @Test
    void the_tour_narrates_every_lesson_in_order() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Tour.run(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        String text = printed.toString(StandardCharsets.UTF_8);
        int previous = -1;
        for (Lesson lesson : Course.lessons()) {
            int at = text.indexOf("=== Lesson " + lesson.number() + ": ");
            assertTrue(at > previous, "lesson " + lesson.number() + " should be narrated after the one before:\n" + text);
            previous = at;
        }
        assertTrue(text.contains("Predict: "), "the tour asks the reader to predict");
        assertTrue(text.contains("./toykafka lesson 18"), "the tour tells lesson 18 short and says where the rest is");
    }
}
