package toykafka.common;

/**
 * Many steps that each may fail, every one of them tried, as closing many logs or files: the first failure is the
 * one thrown, and the later ones ride along on it as suppressed exceptions, so none is lost.
 */
public final class Failures {

    private Failures() {
    }

    /** {@code first} with {@code next} added to it; {@code next} itself when nothing failed before it. */
    public static <E extends Throwable> E keepFirst(E first, E next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
