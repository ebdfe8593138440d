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

    /** A number, with or without a fraction, from {@code min} to {@code max}. */
    public static Predicate<String> decimal(double min, double max) {
        return between(Double::valueOf, min, max);
    }

    private static <N extends Comparable<N>> Predicate<String> between(Function<String, N> parse, N min, N max) {
        return text -> {
            try {
                N number = parse.apply(text);
                return number.compareTo(min) >= 0 && number.compareTo(max) <= 0;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }
}
