package toykafka.common;

import java.util.List;

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

    /**
     * Closes each of {@code closeables}, even if some fail: returns {@code failed}, or the first failure if
     * {@code failed} is null, with every later one added to it.
     */
    public static <E extends Exception> E closeAll(List<? extends AutoCloseable> closeables, E failed) {
        Exception first = failed;
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                first = keepFirst(first, e);
            }
        }
        @SuppressWarnings("unchecked") // a closeable that throws only E's kind adds only E's kind
        E result = (E) first;
        return result;
    }
}
