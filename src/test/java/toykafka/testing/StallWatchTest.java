package toykafka.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StallWatchTest {

    @Test
    void a_child_silent_for_longer_than_its_quiet_time_is_killed_and_the_watch_says_so() throws Exception {
        Process silent = new ProcessBuilder("sleep", "600").start();
        try (StallWatch watch = StallWatch.of(silent, Duration.ofMillis(200))) {
            silent.waitFor(); // returns only once the watch has killed it
            assertTrue(watch.fired());
        }
    }

    @Test
    void a_child_that_ends_by_itself_is_not_reported_as_killed() throws Exception {
        Process quick = new ProcessBuilder("true").start();
        try (StallWatch watch = StallWatch.of(quick, Duration.ofMinutes(10))) {
            quick.waitFor();
            assertFalse(watch.fired());
        }
    }
}
