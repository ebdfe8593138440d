package toykafka.lesson03;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a bounded log keeps. By count: once it holds more than {@code maxEvents}, the oldest
 * {@code evictCount} leave together (the seed's "more than 20, move the first 10 out"). By age:
 * events older than {@code maxAge} leave. Either limit may be off.
 *
 * @param maxEvents  the most events the log holds, or {@link Integer#MAX_VALUE} for no limit
 * @param evictCount how many leave at once when the count limit is passed
 * @param maxAge     how long an event may stay, or null to keep events however old
 */
public record Retention(int maxEvents, int evictCount, Duration maxAge) {

    public Retention {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
        }
        if (evictCount < 1 || evictCount > maxEvents) {
            throw new IllegalArgumentException("evictCount must be between 1 and maxEvents (" + maxEvents
                    + "), was " + evictCount);
        }
        if (maxAge != null && (maxAge.isZero() || maxAge.isNegative())) {
            throw new IllegalArgumentException("maxAge must be longer than zero, was " + maxAge);
        }
    }

    /** Keeps everything: the log is not bounded at all. */
    public static Retention unlimited() {
        return new Retention(Integer.MAX_VALUE, 1, null);
    }

    /** Past {@code maxEvents}, moves the oldest {@code evictCount} out. */
    public static Retention byCount(int maxEvents, int evictCount) {
        return new Retention(maxEvents, evictCount, null);
    }

    /** Moves out events older than {@code maxAge}. */
    public static Retention byAge(Duration maxAge) {
        return new Retention(Integer.MAX_VALUE, 1, Objects.requireNonNull(maxAge, "maxAge"));
    }

    /** This retention, with an age limit as well. */
    public Retention andMaxAge(Duration age) {
        return new Retention(maxEvents, evictCount, Objects.requireNonNull(age, "maxAge"));
    }
}
