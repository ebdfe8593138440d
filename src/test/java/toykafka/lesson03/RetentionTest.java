package toykafka.lesson03;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionTest {

    private static String refusal(org.junit.jupiter.api.function.Executable settings) {
        return assertThrows(IllegalArgumentException.class, settings).getMessage();
    }

    @Test
    void settings_that_make_no_sense_are_refused_naming_the_valid_range() {
        assertEquals("maxEvents must be at least 1, was 0", refusal(() -> Retention.byCount(0, 1)));
        assertEquals("evictCount must be between 1 and maxEvents (20), was 30", refusal(() -> Retention.byCount(20, 30)));
        assertEquals("evictCount must be between 1 and maxEvents (20), was 0", refusal(() -> Retention.byCount(20, 0)));
        assertEquals("maxAge must be longer than zero, was PT0S", refusal(() -> Retention.byAge(Duration.ZERO)));
        assertEquals("maxAge must be longer than zero, was PT-1S", refusal(() -> Retention.byAge(Duration.ofSeconds(-1))));
    }

    @Test
    void count_and_age_limits_combine() {
        Retention both = Retention.byCount(20, 10).andMaxAge(Duration.ofHours(1));
        assertEquals(new Retention(20, 10, Duration.ofHours(1)), both);
        assertEquals(Integer.MAX_VALUE, Retention.unlimited().maxEvents());
    }
}
