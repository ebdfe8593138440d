package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The actions a request adds run after its handling, on its thread; outside a request, at once. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DelayedActionQueueTest {

    private final DelayedActionQueue queue = new DelayedActionQueue();
    private final List<String> happened = new ArrayList<>();

    @Test
    void outside_a_request_an_action_runs_at_once() {
        queue.add(() -> happened.add("woken"));
        happened.add("answered");

        assertEquals(List.of("woken", "answered"), happened);
    }

    @Test
    void a_requests_actions_run_after_its_answer_in_the_order_added() {
        queue.answerFirst(() -> {
            queue.add(() -> happened.add("first woken"));
            queue.add(() -> happened.add("second woken"));
            happened.add("answered");
        });

        assertEquals(List.of("answered", "first woken", "second woken"), happened);
    }

    @Test
    void an_action_that_adds_another_runs_it_at_once() {
        queue.answerFirst(() -> queue.add(() -> {
            queue.add(() -> happened.add("woken by the woken"));
            happened.add("woken");
        }));

        assertEquals(List.of("woken by the woken", "woken"), happened);
    }

    @Test
    void a_failing_action_leaves_the_others_run_and_its_failure_reaches_the_handler() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> queue.answerFirst(() -> {
            queue.add(() -> {
                throw new IllegalStateException("a fetch failed");
            });
            queue.add(() -> happened.add("woken"));
        }));

        assertEquals("a fetch failed", thrown.getMessage());
        assertEquals(List.of("woken"), happened);
    }

    @Test
    void the_next_request_on_the_thread_starts_with_nothing_queued() {
        queue.answerFirst(() -> queue.add(() -> happened.add("first request's")));
        queue.add(() -> happened.add("outside"));

        assertEquals(List.of("first request's", "outside"), happened);
    }
}
