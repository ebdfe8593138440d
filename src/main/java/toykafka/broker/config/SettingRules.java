package toykafka.broker.config;

import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import toykafka.broker.security.StandardAuthorizer;
import toykafka.common.ConfigRange;

/**
 * The forms a broker setting's value may take, for {@link BrokerConfig}'s table of settings: a whole number in a
 * range, or a duration in milliseconds (Kafka's form) or with a unit (MiniKafka's), which the config keeps in
 * milliseconds.
 */
final class SettingRules {

    /** The accepted forms of every duration setting, for its refusal. */
    static final String DURATION = "must be a duration: a whole number of milliseconds (Kafka's form), or one"
            + " with a unit, ms, s, m, h or d (500ms, 3s, 5m, 2h, 7d)";
    private static final Pattern DURATION_TEXT = Pattern.compile("(-?\\d+)(ms|s|m|h|d)?");

    private SettingRules() {
    }

    /** The values a setting takes and the refusal that names them, made from one statement of its range. */
    record Rule(Predicate<String> accepts, String refusal) {

        /** The same, its refusal followed by {@code note}: what a value in the range means. */
        Rule noting(String note) {
            return new Rule(accepts, refusal + " " + note);
        }
    }

    /** A whole number from min to max, said as {@code what} ("a whole number of bytes"); up to Long.MAX_VALUE is "min or more". */
    static Rule whole(String what, long min, long max) {
        return new Rule(ConfigRange.whole(min, max), "must be " + what + (max == Long.MAX_VALUE ? ", " + min + " or more"
                : " from " + min + " to " + max));
    }

    /** A duration from min to max milliseconds; up to Long.MAX_VALUE is "min or more". */
    static Rule millis(long min, long max) {
        return new Rule(duration(min, max), DURATION + ", " + (max == Long.MAX_VALUE ? min + " or more"
                : "from " + min + " to " + max) + " ms");
    }

    /** A heartbeat interval: a duration of 1 ms or more, which must also be shorter than the session setting named. */
    static Rule heartbeatBelow(String sessionTimeout) {
        return new Rule(duration(1, Integer.MAX_VALUE), DURATION + ", from 1 to " + Integer.MAX_VALUE
                + " ms, and less than " + sessionTimeout);
    }

    /** A flag: true or false, as written. */
    /** Principals written Type:name and separated by semicolons, as {@code super.users} takes them; empty for none. */
    static boolean principals(String text) {
        try {
            StandardAuthorizer.parseSuperUsers(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Rule trueOrFalse() {
        return new Rule(text -> text.equals("true") || text.equals("false"), "must be true or false");
    }

    /**
     * A duration as Kafka's settings take it, a bare number of milliseconds, or with a unit as MiniKafka's
     * environment gives it (3s); a unit needs a number of 0 or more. Empty if the text is neither.
     */
    static OptionalLong parseDuration(String text) {
        Matcher matcher = DURATION_TEXT.matcher(text);
        if (!matcher.matches() || matcher.group(2) != null && matcher.group(1).startsWith("-")) {
            return OptionalLong.empty();
        }
        try {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
            ChronoUnit chrono = switch (unit) {
                case "s" -> ChronoUnit.SECONDS;
                case "m" -> ChronoUnit.MINUTES;
                case "h" -> ChronoUnit.HOURS;
                case "d" -> ChronoUnit.DAYS;
                default -> ChronoUnit.MILLIS;
            };
            return OptionalLong.of(Math.multiplyExact(amount, chrono.getDuration().toMillis()));
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }

    static Predicate<String> duration(long min, long max) {
        return text -> {
            OptionalLong millis = parseDuration(text);
            return millis.isPresent() && millis.getAsLong() >= min && millis.getAsLong() <= max;
        };
    }

    /** A duration setting's value in milliseconds, the form every reader of the setting takes; others as given. */
    static String inMillis(Setting setting, String value) {
        if (!setting.rule().startsWith(DURATION)) {
            return value;
        }
        OptionalLong millis = parseDuration(value);
        return millis.isPresent() ? String.valueOf(millis.getAsLong()) : value; // none, for flush.ms
    }

    /** One of these names, in any case. */
    static Predicate<String> oneOf(List<String> names) {
        return value -> names.stream().anyMatch(name -> name.equalsIgnoreCase(value.trim()));
    }

    /** One or more of these names, separated by commas. */
    static Predicate<String> namesFrom(List<String> names) {
        return value -> Arrays.stream(value.split(",", -1)).map(String::trim)
                .allMatch(names::contains);
    }

    /** A socket buffer's size: -1 for the system's own, or from 1 byte (0 would ask the system for none at all). */
    static Predicate<String> socketBuffer() {
        return ConfigRange.whole(-1, Integer.MAX_VALUE).and(text -> !text.equals("0"));
    }

    static final String SOCKET_BUFFER_RANGE = "must be -1 (the system's own) or a whole number of bytes from 1 to "
            + Integer.MAX_VALUE;
}
