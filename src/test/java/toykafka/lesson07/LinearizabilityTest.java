package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson01.ListLog;

/**
 * Linearizability, checked by Lincheck: every run of concurrent appends and reads must give results that
 * some one-at-a-time order of the same calls could give. The model checker takes over thread scheduling
 * and explores interleavings; when one breaks the rule, it prints that interleaving step by step.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LinearizabilityTest {

    // tag::scenario[]
    /** Lesson 1's list log, called from several threads with no lock at all. */
    public static class UnlockedLog {
        private final ListLog<String> log = new ListLog<>();

        @Operation
        public long append(String event) {
            return log.append(event);
        }

        @Operation
        public long endOffset() {
            return log.endOffset();
        }
    }

    /** The same log behind LockedLog's one lock. */
    public static class LockedListLog {
        private final LockedLog<String> log = new LockedLog<>(new ListLog<>());

        @Operation
        public long append(String event) {
            return log.append(event);
        }

        @Operation
        public long endOffset() {
            return log.endOffset();
        }
    }

    @Test
    void lincheck_finds_an_interleaving_in_which_the_unlocked_log_breaks() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> LinChecker.check(UnlockedLog.class, small(new ModelCheckingOptions(), 5)),
                "two appends without a lock can return the same offset: Lincheck must find such a run");
        assertTrue(failure.getMessage().contains("Invalid execution results"), failure.getMessage());
    }

    @Test
    void the_locked_log_is_linearizable_in_every_interleaving_the_model_checker_tries() {
        LinChecker.check(LockedListLog.class, small(new ModelCheckingOptions(), 3));
    }
    // end::scenario[]

    /**
     * Two threads of three calls each, a few scenarios, a hundred interleavings per scenario: enough to find
     * the lost append every time, and a few seconds in all. Lincheck's defaults explore far more.
     */
    private static ModelCheckingOptions small(ModelCheckingOptions options, int scenarios) {
        options.iterations(scenarios).invocationsPerIteration(100).threads(2).actorsPerThread(3).actorsBefore(1)
                .actorsAfter(1);
        return options;
    }
}
