package toykafka.lesson16;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.narration.Narrator;

/**
 * Runs lesson 16's narrated main on our broker: two cooks reconcile on Kafka 4's protocol, and the barrier drill
 * under each protocol. The drill's facts are the protocols' own, not timings: an eager rebalance takes every
 * partition from the steady cook, and neither a cooperative one nor Kafka 4's takes more than the one that moves.
 */
@WritesGeneratedData
class Lesson16DemoTest {

    @Test
    void the_kitchen_reconciles_without_a_barrier_and_only_the_eager_rebalance_stops_the_steady_cook() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<BarrierDrill.Protocol, BarrierDrill.Result> results =
                Lesson16Demo.tell(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)),
                        Lesson16Demo.BUSY_IN_THE_TOUR);
        String story = printed.toString(StandardCharsets.UTF_8);

        assertTrue(story.contains("{cook-1=[is given [0, 1, 2, 3, 4, 5], gives back [3, 4, 5]],"
                + " cook-2=[is given [3, 4, 5]]}"), "cook-1 gave half up before cook-2 was given it: " + story);
        assertTrue(story.contains("kitchen: Stable, group epoch 3, assignment epoch 3, assignor uniform"), story);
        assertTrue(story.contains("1500 ms (the lesson's 3000 ms, shortened for the tour)"), story);

        assertEquals(0, results.get(BarrierDrill.Protocol.CLASSIC_EAGER).steadyFewest(),
                "an eager rebalance takes everything back first: " + results);
        assertEquals(2, results.get(BarrierDrill.Protocol.CLASSIC_COOPERATIVE).steadyFewest(), results.toString());
        BarrierDrill.Result kip848 = results.get(BarrierDrill.Protocol.CONSUMER);
        assertEquals(2, kip848.steadyFewest(), "the steady cook gave up the one partition that moved: " + results);
        assertEquals(Duration.ZERO, kip848.steadyIdle(), results.toString());
    }

    @Test
    void the_narration_says_whether_the_newcomer_was_served_before_the_busy_cook_came_back() {
        Duration busy = Duration.ofMillis(1500);
        String early = Lesson16Demo.kafka4(result(Duration.ofMillis(335)), busy);
        assertTrue(early.contains("after 335 ms, before the busy cook came back"), early);

        String late = Lesson16Demo.kafka4(result(Duration.ofMillis(1529)), busy);
        assertTrue(late.contains("only after 1529 ms, when the busy cook (away 1500 ms) was back already"), late);
        assertFalse(late.contains("before the busy cook came back"), late);
    }

    private static BarrierDrill.Result result(Duration newcomerFirst) {
        return new BarrierDrill.Result(BarrierDrill.Protocol.CONSUMER, 2, Duration.ZERO, newcomerFirst,
                Duration.ofMillis(4000), Duration.ofMillis(1000));
    }
}
