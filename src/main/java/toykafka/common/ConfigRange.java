package toykafka.common;

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
        return text -> {
            try {
                long number = Long.parseLong(text);
                return number >= min && number <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    /** A number, with or without a fraction, from {@code min} to {@code max}. */
    public static Predicate<String> decimal(double min, double max) {
        return text -> {
            try {
                double number = Double.parseDouble(text);
                return number >= min && number <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }
}
