package toykafka.testing;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A drill's seed, its number of cycles, and how far it got; the seed and how far it got are named in the message of
 * whatever fails its test, so that any failure replays:
 * an assertion, a client's time out or a child that never started alike. A drill registers one with
 * {@code @RegisterExtension} (a static field for a seed of the class, an instance field for a seed of each test),
 * takes its seed from it, and its number of cycles where {@link #cycles(String, int)} gave it one, and tells it each
 * cycle, or step, as it starts. The message then begins, for example,
 * {@code seed 15 (-Dtoykafka.kafka.txn.drill.seed=15), cycle 2:}, and the failure itself is its cause. A test that has
 * not told it a cycle or step yet has used no random choice, and fails as it would without it: so does a test of the
 * same class that draws nothing from the seed.
 */
public final class Drill implements BeforeEachCallback, TestExecutionExceptionHandler {

    private static final int NO_CYCLES = -1;

    private final String property;
    private final long seed;
    /** How many cycles the drill runs; {@link #NO_CYCLES} for one that was not told. */
    private final int cycles;
    /** The cycle or step the drill is at; none before its first. */
    private volatile String at;

    private Drill(String property, long seed, int cycles) {
        this.property = property;
        this.seed = seed;
        this.cycles = cycles;
    }

    /** The seed that {@code -Dproperty=N} gives, else {@code otherwise}: a fixed seed, or a new one each run. */
    public static Drill seeded(String property, long otherwise) {
        return new Drill(property, Long.getLong(property, otherwise), NO_CYCLES);
    }

    /** This drill, running the number of cycles {@code -Dproperty=N} gives, else {@code otherwise}. */
    public Drill cycles(String property, int otherwise) {
        return new Drill(this.property, seed, Integer.getInteger(property, otherwise));
    }

    public long seed() {
        return seed;
    }

    /** How many cycles the drill runs, as {@link #cycles(String, int)} set it. */
    public int cycles() {
        if (cycles == NO_CYCLES) {
            throw new IllegalStateException("the drill was told no number of cycles: " + property);
        }
        return cycles;
    }

    /** The drill starts cycle {@code cycle} now. */
    public void cycle(int cycle) {
        at = "cycle " + cycle;
    }

    /** The drill is now at a step that is not a numbered cycle, such as the check after the last one. */
    public void at(String step) {
        at = step;
    }

    /** The seed, how to replay it, and where the drill is: for a line the drill prints, or a message of its own. */
    public String where() {
        String step = at;
        return "seed " + seed + " (-D" + property + "=" + seed + ")" + (step == null ? "" : ", " + step);
    }

    /** Each test of a class that shares one drill starts at no cycle, not at the last test's. */
    @Override
    public void beforeEach(ExtensionContext context) {
        at = null;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException || at == null) {
            throw failure; // skipped, not failed, or failed before any random choice: nothing to replay
        }
        String told = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
        String message = where() + ": " + told;
        if (failure instanceof AssertionFailedError compared && compared.isExpectedDefined()) {
            throw new AssertionFailedError(message, compared.getExpected().getEphemeralValue(),
                    compared.getActual().getEphemeralValue(), failure);
        }
        throw new AssertionFailedError(message, failure);
    }
}
