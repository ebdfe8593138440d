package toykafka.course;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

@WritesGeneratedData
class TourTest {

    @Test
    void the_tour_narrates_every_lesson_in_order() {
        String text = Narrated.story(Tour::run);
        int previous = -1;
        for (Lesson lesson : Course.lessons()) {
            int at = text.indexOf("=== Lesson " + lesson.number() + ": ");
            assertTrue(at > previous, "lesson " + lesson.number() + " should be narrated after the one before:\n" + text);
            previous = at;
        }
        assertTrue(text.contains("Predict: "), "the tour asks the reader to predict");
        assertTrue(text.contains("./toykafka lesson 19"), "the tour tells lesson 19 short and says where the rest is");
    }
}
