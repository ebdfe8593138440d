package toykafka.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.opentest4j.AssertionFailedError;

/** What {@link Drill} promises: whatever fails a drill's test names its seed, how to replay it, and its cycle. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillTest {

    @Test
    void a_failed_assertion_names_the_seed_and_the_cycle_and_keeps_what_was_compared() {
        Throwable failure = failure("fails_an_assertion_in_cycle_3");

        AssertionFailedError named = assertInstanceOf(AssertionFailedError.class, failure);
        assertTrue(named.getMessage().startsWith("seed 42 (-Dtoykafka.testing.drillTest.seed=42), cycle 3: records read"),
                named.getMessage());
        assertEquals(7, named.getExpected().getEphemeralValue());
        assertEquals(6, named.getActual().getEphemeralValue());
    }

    @Test
    void an_exception_names_them_too_with_its_own_class_and_is_the_cause() {
        Throwable failure = failure("times_out_after_the_cycles");

        assertEquals("seed 42 (-Dtoykafka.testing.drillTest.seed=42), the check after the cycles:"
                + " java.util.concurrent.TimeoutException: no answer", failure.getMessage());
        assertInstanceOf(TimeoutException.class, failure.getCause());
    }

    @Test
    void a_test_that_told_it_no_cycle_fails_as_it_would_without_it() {
        Throwable failure = failure("fails_before_its_first_cycle");

        assertEquals("the child broker did not start", failure.getMessage());
    }

    @Test
    void a_skipped_test_stays_skipped() {
        assertEquals(TestExecutionResult.Status.ABORTED, FixtureRun.of(Fixture.class).get("is_skipped").getStatus());
    }

    @Test
    void its_cycles_are_what_their_property_gives_else_the_drills_own_number_on_the_same_seed() {
        Drill drill = Drill.seeded("toykafka.testing.drillTest.seed", 42);
        assertEquals(5, drill.cycles("toykafka.testing.drillTest.cycles", 5).cycles());
        System.setProperty("toykafka.testing.drillTest.cycles", "7");
        try {
            assertEquals(7, drill.cycles("toykafka.testing.drillTest.cycles", 5).cycles());
        } finally {
            System.clearProperty("toykafka.testing.drillTest.cycles");
        }
        assertEquals(42, drill.cycles("toykafka.testing.drillTest.cycles", 5).seed());
        assertThrows(IllegalStateException.class, drill::cycles, "a drill told no number of cycles has none to give");
    }

    private static Throwable failure(String test) {
        Map<String, TestExecutionResult> results = FixtureRun.of(Fixture.class);
        assertEquals(TestExecutionResult.Status.FAILED, results.get(test).getStatus(), results.toString());
        return results.get(test).getThrowable().orElseThrow();
    }

    @FixtureRun.Fixture
    static class Fixture {
        @RegisterExtension
        final Drill drill = Drill.seeded("toykafka.testing.drillTest.seed", 42);

        @Test
        void fails_an_assertion_in_cycle_3() {
            for (int cycle = 0; cycle < 5; cycle++) {
                drill.cycle(cycle);
                assertEquals(cycle == 3 ? 7 : 6, 6, "records read");
            }
        }

        @Test
        void times_out_after_the_cycles() throws TimeoutException {
            drill.cycle(0);
            drill.at("the check after the cycles");
            throw new TimeoutException("no answer");
        }

        @Test
        void fails_before_its_first_cycle() {
            throw new IllegalStateException("the child broker did not start");
        }

        @Test
        void is_skipped() {
            Assumptions.assumeTrue(false, "no such tool here");
        }
    }
}
