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
    void an_age_limit_longer_than_time_itself_keeps_everything_instead_of_failing_every_append() {
        var clock = new toykafka.clock.ManualClock(java.time.Instant.parse("2024-05-01T11:30:00Z"));
        var log = new BoundedLog<String>("orders", Retention.byAge(java.time.temporal.ChronoUnit.FOREVER.getDuration()),
                clock, toykafka.archive.Archive.discard());
        log.append("cod");
        clock.advance(Duration.ofDays(365 * 1000));
        assertEquals(1, log.append("chips"));
        assertEquals(0, log.expireOld());
        assertEquals(0, log.earliest());
    }

    @Test
    void count_and_age_limits_combine() {
        Retention both = Retention.byCount(20, 10).andMaxAge(Duration.ofHours(1));
        assertEquals(new Retention(20, 10, Duration.ofHours(1)), both);
        assertEquals(Integer.MAX_VALUE, Retention.unlimited().maxEvents());
    }
}
