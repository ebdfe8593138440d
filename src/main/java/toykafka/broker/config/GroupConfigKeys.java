package toykafka.broker.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.common.InvalidConfigurationException;

/**
 * Kafka 4.4's group configs ({@code kafka-configs --entity-type groups}): each one's name, type, default, the broker
 * setting it overrides, and the checks Kafka's {@code GroupConfig.validate} makes of a group's whole set, in its order
 * and its words. A value is first read as its type and checked against its own floor, then against the broker's
 * bounds ({@code group.consumer.min.session.timeout.ms} and the others).
 *
 * <p>Of those broker settings this broker has the session and the heartbeat of each kind of group,
 * {@code group.consumer.session.timeout.ms}, {@code group.streams.heartbeat.interval.ms} and the others, and none of
 * the min and max ones: their bounds are Kafka's defaults (a session of 45 to 60 seconds, a heartbeat every 5 to 15),
 * widened to take in the broker's own value, as Kafka requires its own setting to lie within them. The other bounds
 * are Kafka's defaults.
 */
public final class GroupConfigKeys {

    /** A config's type, as Kafka's ConfigDef names it. */
    public enum Type { BOOLEAN, STRING, INT, LONG, LIST }

    /**
     * One group config.
     *
     * @param brokerSetting the broker setting whose value it takes when the group sets none, or null if none
     * @param internal      whether Kafka leaves it out of a describe unless the group sets it
     */
    public record Key(String name, Type type, String kafkaDefault, String brokerSetting, boolean internal) {
    }

    public static final String CONSUMER_SESSION_TIMEOUT_MS = "consumer.session.timeout.ms";
    public static final String CONSUMER_HEARTBEAT_INTERVAL_MS = "consumer.heartbeat.interval.ms";
    static final String SHARE_SESSION_TIMEOUT_MS = "share.session.timeout.ms";
    static final String SHARE_HEARTBEAT_INTERVAL_MS = "share.heartbeat.interval.ms";
    static final String STREAMS_SESSION_TIMEOUT_MS = "streams.session.timeout.ms";
    static final String STREAMS_HEARTBEAT_INTERVAL_MS = "streams.heartbeat.interval.ms";
    public static final String RACK_AWARE_TAGS = "streams.rack.aware.assignment.tags";
    static final String STREAMS_ASSIGNOR_NAME = "streams.assignor.name";
    static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";
    /** The streams assignors Kafka has: its group.streams.assignors default. */
    static final List<String> STREAMS_ASSIGNORS = List.of("sticky");

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        key(CONSUMER_SESSION_TIMEOUT_MS, Type.INT, "45000", "group.consumer.session.timeout.ms", false);
        key(CONSUMER_HEARTBEAT_INTERVAL_MS, Type.INT, "5000", "group.consumer.heartbeat.interval.ms", false);
        key("consumer.assignment.interval.ms", Type.INT, "1000", "group.consumer.assignment.interval.ms", false);
        key("consumer.assignor.offload.enable", Type.BOOLEAN, "true", "group.consumer.assignor.offload.enable", true);
        key(SHARE_SESSION_TIMEOUT_MS, Type.INT, "45000", "group.share.session.timeout.ms", false);
        key(SHARE_HEARTBEAT_INTERVAL_MS, Type.INT, "5000", "group.share.heartbeat.interval.ms", false);
        key("share.record.lock.duration.ms", Type.INT, "30000", "group.share.record.lock.duration.ms", false);
        key("share.delivery.count.limit", Type.INT, "5", "group.share.delivery.count.limit", false);
        key("share.partition.max.record.locks", Type.INT, "2000", "group.share.partition.max.record.locks", false);
        key("share.auto.offset.reset", Type.STRING, "latest", null, false);
        key("share.isolation.level", Type.STRING, "read_uncommitted", null, false);
        key("share.renew.acknowledge.enable", Type.BOOLEAN, "true", null, false);
        key("share.assignment.interval.ms", Type.INT, "1000", "group.share.assignment.interval.ms", false);
        key("share.assignor.offload.enable", Type.BOOLEAN, "true", "group.share.assignor.offload.enable", true);
        key(STREAMS_SESSION_TIMEOUT_MS, Type.INT, "45000", "group.streams.session.timeout.ms", false);
        key(STREAMS_HEARTBEAT_INTERVAL_MS, Type.INT, "5000", "group.streams.heartbeat.interval.ms", false);
        key("streams.num.standby.replicas", Type.INT, "0", "group.streams.num.standby.replicas", false);
        key("streams.initial.rebalance.delay.ms", Type.INT, "3000", "group.streams.initial.rebalance.delay.ms", false);
        key("streams.assignment.interval.ms", Type.INT, "1000", "group.streams.assignment.interval.ms", false);
        key("streams.assignor.offload.enable", Type.BOOLEAN, "true", "group.streams.assignor.offload.enable", true);
        key("streams.task.offset.interval.ms", Type.INT, "60000", "group.streams.task.offset.interval.ms", true);
        key("streams.num.warmup.replicas", Type.INT, "2", "group.streams.num.warmup.replicas", true);
        key(RACK_AWARE_TAGS, Type.LIST, "", "group.streams.rack.aware.assignment.tags", false);
        key("streams.acceptable.recovery.lag", Type.LONG, "10000", "group.streams.acceptable.recovery.lag", true);
        key(STREAMS_ASSIGNOR_NAME, Type.STRING, STREAMS_ASSIGNORS.get(0), "group.streams.assignors", false);
        key(DLQ_TOPIC, Type.STRING, "", null, false);
        key("errors.deadletterqueue.copy.record.enable", Type.BOOLEAN, "false", null, false);
    }

    /** The least a value may be whatever the broker says (Kafka's ConfigDef floors), by config. */
    private static final Map<String, Long> FLOORS = Map.ofEntries(Map.entry(CONSUMER_SESSION_TIMEOUT_MS, 1L),
            Map.entry(CONSUMER_HEARTBEAT_INTERVAL_MS, 1L), Map.entry("consumer.assignment.interval.ms", 0L),
            Map.entry(SHARE_SESSION_TIMEOUT_MS, 1L), Map.entry(SHARE_HEARTBEAT_INTERVAL_MS, 1L),
            Map.entry("share.record.lock.duration.ms", 1000L), Map.entry("share.delivery.count.limit", 2L),
            Map.entry("share.partition.max.record.locks", 100L), Map.entry("share.assignment.interval.ms", 0L),
            Map.entry(STREAMS_SESSION_TIMEOUT_MS, 1L), Map.entry(STREAMS_HEARTBEAT_INTERVAL_MS, 1L),
            Map.entry("streams.num.standby.replicas", 0L), Map.entry("streams.initial.rebalance.delay.ms", 0L),
            Map.entry("streams.assignment.interval.ms", 0L), Map.entry("streams.task.offset.interval.ms", 1L),
            Map.entry("streams.num.warmup.replicas", 0L), Map.entry("streams.acceptable.recovery.lag", 0L));

    /** The broker's bounds on a config, Kafka's defaults for them; null for none on that side. */
    private record Bounds(Integer min, Integer max) {
    }

    private GroupConfigKeys() {
    }

    private static void key(String name, Type type, String kafkaDefault, String brokerSetting, boolean internal) {
        KEYS.put(name, new Key(name, type, kafkaDefault, brokerSetting, internal));
    }

    /** Every group config, in Kafka's order. */
    public static Map<String, Key> all() {
        return java.util.Collections.unmodifiableMap(KEYS);
    }

    /**
     * Checks a group's whole set of configs as Kafka does, against the broker's group settings, and returns
     * it with each value trimmed. Throws INVALID_CONFIG naming the config and what it takes. Without
     * {@code withBounds}, only the names and each value's type and floor.
     */
    static SortedMap<String, String> checked(Map<String, String> configs, BrokerConfig broker, boolean withBounds) {
        for (String name : configs.keySet()) {
            if (!KEYS.containsKey(name)) {
                throw new InvalidConfigurationException("Unknown group config name: " + name + ". The group configs"
                        + " are " + String.join(", ", KEYS.keySet()));
            }
        }
        String tags = configs.get(RACK_AWARE_TAGS);
        if (tags != null && new HashSet<>(tagsOf(tags)).size() != tagsOf(tags).size()) {
            throw new InvalidConfigurationException(RACK_AWARE_TAGS + " must not contain duplicate tag keys.");
        }
        SortedMap<String, String> trimmed = new TreeMap<>();
        Map<String, Long> numbers = new LinkedHashMap<>();
        for (Key key : KEYS.values()) { // each read as its type first, in Kafka's order
            String value = configs.get(key.name());
            if (value != null) {
                trimmed.put(key.name(), parsed(key, value.trim(), numbers));
            }
        }
        if (!withBounds) {
            return trimmed;
        }
        for (Map.Entry<String, Bounds> bound : bounds(broker).entrySet()) {
            Long value = numbers.get(bound.getKey());
            Bounds b = bound.getValue();
            if (value == null) {
                continue;
            }
            if (b.min() != null && b.max() != null && (value < b.min() || value > b.max())) {
                throw new InvalidConfigurationException(bound.getKey() + " must be in the range " + b.min() + " to "
                        + b.max() + " inclusive.");
            }
            if (b.min() == null && b.max() != null && value > b.max()) {
                throw new InvalidConfigurationException(bound.getKey() + " must be less than or equal to " + b.max());
            }
            if (b.max() == null && b.min() != null && value < b.min()) {
                throw new InvalidConfigurationException(bound.getKey() + " must be greater than or equal to " + b.min());
            }
        }
        String assignor = trimmed.get(STREAMS_ASSIGNOR_NAME);
        if (assignor != null && !STREAMS_ASSIGNORS.contains(assignor)) {
            throw new InvalidConfigurationException(STREAMS_ASSIGNOR_NAME + " '" + assignor + "' is not a registered"
                    + " task assignor. Registered assignors are: " + STREAMS_ASSIGNORS + ".");
        }
        ConsumerGroupConfig consumer = broker.consumerGroupConfig();
        sessionExceedsHeartbeat(numbers, CONSUMER_SESSION_TIMEOUT_MS, consumer.sessionTimeout().toMillis(),
                CONSUMER_HEARTBEAT_INTERVAL_MS, consumer.heartbeatInterval().toMillis());
        sessionExceedsHeartbeat(numbers, SHARE_SESSION_TIMEOUT_MS, broker.groupShareSessionTimeoutMs(),
                SHARE_HEARTBEAT_INTERVAL_MS, broker.groupShareHeartbeatIntervalMs());
        sessionExceedsHeartbeat(numbers, STREAMS_SESSION_TIMEOUT_MS, broker.groupStreamsSessionTimeoutMs(),
                STREAMS_HEARTBEAT_INTERVAL_MS, broker.groupStreamsHeartbeatIntervalMs());
        String dlq = trimmed.get(DLQ_TOPIC);
        if (dlq != null && dlq.startsWith("__")) {
            throw new InvalidConfigurationException(DLQ_TOPIC + ": DLQ topic name must not start with '__'");
        }
        return trimmed;
    }

    /** A value held within the broker's bounds on its config. */
    static int clamped(String name, long value, BrokerConfig broker) {
        Bounds b = bounds(broker).get(name);
        long held = b == null ? value : Math.max(b.min() == null ? value : b.min(), Math.min(value,
                b.max() == null ? value : b.max()));
        return (int) held;
    }

    /** The broker's bounds, in the order Kafka checks them. */
    private static Map<String, Bounds> bounds(BrokerConfig broker) {
        ConsumerGroupConfig consumer = broker.consumerGroupConfig();
        Map<String, Bounds> bounds = new LinkedHashMap<>();
        bounds.put(CONSUMER_HEARTBEAT_INTERVAL_MS, heartbeatBounds((int) consumer.heartbeatInterval().toMillis()));
        bounds.put(CONSUMER_SESSION_TIMEOUT_MS, sessionBounds((int) consumer.sessionTimeout().toMillis()));
        bounds.put("consumer.assignment.interval.ms", new Bounds(0, 15000));
        bounds.put(SHARE_HEARTBEAT_INTERVAL_MS, heartbeatBounds(broker.groupShareHeartbeatIntervalMs()));
        bounds.put(SHARE_SESSION_TIMEOUT_MS, sessionBounds(broker.groupShareSessionTimeoutMs()));
        bounds.put("share.record.lock.duration.ms", new Bounds(15000, 60000));
        bounds.put("share.delivery.count.limit", new Bounds(2, 10));
        bounds.put("share.partition.max.record.locks", new Bounds(100, 4000));
        bounds.put("share.assignment.interval.ms", new Bounds(0, 15000));
        bounds.put(STREAMS_HEARTBEAT_INTERVAL_MS, heartbeatBounds(broker.groupStreamsHeartbeatIntervalMs()));
        bounds.put(STREAMS_SESSION_TIMEOUT_MS, sessionBounds(broker.groupStreamsSessionTimeoutMs()));
        bounds.put("streams.num.standby.replicas", new Bounds(null, 2));
        bounds.put("streams.assignment.interval.ms", new Bounds(0, 15000));
        bounds.put("streams.task.offset.interval.ms", new Bounds(15000, null));
        bounds.put("streams.num.warmup.replicas", new Bounds(null, 20));
        return bounds;
    }

    /** Kafka's default bounds on a heartbeat, 5 to 15 seconds, widened to take in the broker's own. */
    private static Bounds heartbeatBounds(int brokerHeartbeat) {
        return new Bounds(Math.min(5000, brokerHeartbeat), Math.max(15000, brokerHeartbeat));
    }

    /** Kafka's default bounds on a session, 45 to 60 seconds, widened to take in the broker's own. */
    private static Bounds sessionBounds(int brokerSession) {
        return new Bounds(Math.min(45000, brokerSession), Math.max(60000, brokerSession));
    }

    /** The value as its type reads it, numbers kept aside for the bounds; INVALID_CONFIG as Kafka's ConfigDef says it. */
    private static String parsed(Key key, String value, Map<String, Long> numbers) {
        switch (key.type()) {
            case INT, LONG -> {
                long number;
                try {
                    number = key.type() == Type.INT ? Integer.parseInt(value) : Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw invalid(key.name(), value, "Not a number of type " + key.type());
                }
                Long floor = FLOORS.get(key.name());
                if (floor != null && number < floor) {
                    throw invalid(key.name(), value, "Value must be at least " + floor);
                }
                numbers.put(key.name(), number);
                return String.valueOf(number);
            }
            case BOOLEAN -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw invalid(key.name(), value, "Expected value to be either true or false");
                }
                return value.toLowerCase(java.util.Locale.ROOT);
            }
            case LIST -> {
                return String.join(",", tagsOf(value));
            }
            default -> {
                checkString(key.name(), value);
                return value;
            }
        }
    }

    private static void checkString(String name, String value) {
        if (name.equals("share.isolation.level") && !List.of("read_committed", "read_uncommitted").contains(value)) {
            throw invalid(name, value, "String must be one of: read_committed, read_uncommitted");
        }
        if (name.equals("share.auto.offset.reset") && !validOffsetReset(value)) {
            throw invalid(name, value, "Invalid value `" + value + "` for configuration " + name + ". The value must"
                    + " be either 'earliest', 'latest' or of the format 'by_duration:<PnDTnHnMn.nS>'.");
        }
    }

    private static boolean validOffsetReset(String value) {
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("earliest") || lower.equals("latest")) {
            return true;
        }
        if (!lower.startsWith("by_duration:")) {
            return false;
        }
        try {
            return !Duration.parse(value.substring("by_duration:".length())).isNegative();
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void sessionExceedsHeartbeat(Map<String, Long> numbers, String session, long brokerSession,
                                                String heartbeat, long brokerHeartbeat) {
        if (numbers.containsKey(session) || numbers.containsKey(heartbeat)) {
            if (numbers.getOrDefault(session, brokerSession) <= numbers.getOrDefault(heartbeat, brokerHeartbeat)) {
                throw new InvalidConfigurationException(session + " must be greater than " + heartbeat);
            }
        }
    }

    private static List<String> tagsOf(String value) {
        String trimmed = value.trim();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s*,\\s*", -1));
    }

    private static InvalidConfigurationException invalid(String name, String value, String why) {
        return new InvalidConfigurationException("Invalid value " + value + " for configuration " + name + ": " + why);
    }

}
