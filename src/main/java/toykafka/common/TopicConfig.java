package toykafka.common;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The per-topic settings this course knows, with Kafka's names and defaults. Every value is text, as in
 * Kafka's configs; each key says what it accepts, and {@link #validate} refuses anything else.
 */
public final class TopicConfig {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";

    public static final String CREATE_TIME = "CreateTime";
    public static final String LOG_APPEND_TIME = "LogAppendTime";

    /** A config key: its default, what it accepts, and the rule in words for when it is broken. */
    private record Key(String defaultValue, Predicate<String> accepts, String rule) {
    }

    // tag::keys[]
    private static final SortedMap<String, Key> KEYS = new TreeMap<>(Map.of(
            CLEANUP_POLICY, new Key("delete", TopicConfig::isCleanupPolicy,
                    "must be delete, compact, or both as compact,delete"),
            MAX_MESSAGE_BYTES, new Key("1048588", text -> isWholeNumber(text, 0, Integer.MAX_VALUE),
                    "must be a whole number of bytes, 0 or more"),
            MESSAGE_TIMESTAMP_TYPE, new Key(CREATE_TIME, text -> text.equals(CREATE_TIME) || text.equals(LOG_APPEND_TIME),
                    "must be CreateTime (the producer's clock) or LogAppendTime (the broker's clock)"),
            RETENTION_BYTES, new Key("-1", text -> isWholeNumber(text, -1, Long.MAX_VALUE),
                    "must be a whole number of bytes, or -1 for no limit"),
            RETENTION_MS, new Key("604800000", text -> isWholeNumber(text, -1, Long.MAX_VALUE),
                    "must be a whole number of milliseconds, or -1 to keep events forever")));
    // end::keys[]

    private TopicConfig() {
    }

    /** Every key with its default value, in key order. */
    public static SortedMap<String, String> defaults() {
        SortedMap<String, String> defaults = new TreeMap<>();
        KEYS.forEach((name, key) -> defaults.put(name, key.defaultValue()));
        return Collections.unmodifiableSortedMap(defaults);
    }

    /** Checks every entry before any is used, so a bad one changes nothing. */
    public static void validate(Map<String, String> entries) {
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            Key key = KEYS.get(entry.getKey());
            if (key == null) {
                throw new InvalidConfigurationException("unknown topic config '" + entry.getKey()
                        + "': the topic configs are " + String.join(", ", KEYS.keySet()));
            }
            String value = entry.getValue();
            if (value == null || !key.accepts().test(value)) {
                throw new InvalidConfigurationException("invalid value " + (value == null ? "null" : "'" + value + "'")
                        + " for " + entry.getKey() + ": it " + key.rule());
            }
        }
    }

    /** The defaults with the given overrides laid over them. */
    public static SortedMap<String, String> effective(Map<String, String> overrides) {
        SortedMap<String, String> config = new TreeMap<>(defaults());
        config.putAll(overrides);
        return Collections.unmodifiableSortedMap(config);
    }

    private static boolean isCleanupPolicy(String text) {
        return switch (text) {
            case "delete", "compact", "compact,delete", "delete,compact" -> true;
            default -> false;
        };
    }

    private static boolean isWholeNumber(String text, long min, long max) {
        try {
            long number = Long.parseLong(text);
            return number >= min && number <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
