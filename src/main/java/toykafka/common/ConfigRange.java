package toykafka.common;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The values a numeric config takes, as text: a whole number or a decimal from a minimum to a maximum, both
 * included. Every table of configs (the topic's, the broker's) states its ranges with these, so a value one
 * table takes the other does not refuse. Kafka's {@code ConfigDef.Range.between}.
 */
public final class ConfigRange {

    private ConfigRange() {
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Predicate<String> whole(long min, long max) {
        return between(Long::valueOf, min, max);
    }

    /**
     * A number, with or without a fraction, from {@code min} to {@code max}, compared as Kafka compares it: NaN is in no
     * range, and -0.0 is 0.
     */
    public static Predicate<String> decimal(double min, double max) {
        return between(Double::valueOf, number -> number >= min && number <= max);
    }

    private static Predicate<String> between(Function<String, Long> parse, long min, long max) {
        return between(parse, number -> number >= min && number <= max);
    }

    private static <N> Predicate<String> between(Function<String, N> parse, Predicate<N> inRange) {
        return text -> {
            try {
                return inRange.test(parse.apply(text));
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }
}
