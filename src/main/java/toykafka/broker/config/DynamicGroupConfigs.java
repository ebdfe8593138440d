package toykafka.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.streams.StreamsGroupSettings;
import toykafka.common.Directories;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.InvalidRequestException;

/**
 * Each group's own configs: Kafka's dynamic group configs ({@code kafka-configs --entity-type groups}, KIP-848),
 * which override the broker's group settings for one group. {@link GroupConfigKeys} names them and checks a group's
 * whole set before anything changes. A group need not exist to be given configs, as in Kafka: they wait for it.
 *
 * <p>Of them, a consumer group takes {@code consumer.heartbeat.interval.ms} and {@code consumer.session.timeout.ms},
 * at its next heartbeat ({@link ConsumerGroupTimings}); a streams group takes {@code streams.heartbeat.interval.ms},
 * {@code streams.session.timeout.ms}, {@code streams.num.standby.replicas}, {@code streams.initial.rebalance.delay.ms},
 * {@code streams.task.offset.interval.ms} and {@code streams.acceptable.recovery.lag} the same way
 * ({@link StreamsGroupSettings}). {@code share.session.timeout.ms} and {@code share.heartbeat.interval.ms} are
 * given out for the share groups to come ({@link #shareSessionTimeoutMs}). The other {@code share.*} ones, the
 * {@code errors.deadletterqueue.*} ones, the other {@code streams.*} ones and {@code consumer.assignment.interval.ms}
 * are kept, checked and described only: this broker has no share groups yet, assigns at once, and has one task
 * assignor. A config the group does not set takes the broker setting it overrides, where the broker has it.
 *
 * <p>Kafka keeps each change as a {@code ConfigRecord} in its metadata log. This broker keeps every group's configs in
 * one file of its data directory, {@value #FILE}, written whole and renamed over the old one, as
 * {@link DynamicBrokerConfigs} keeps its own, and reads it when it starts. With storage=memory they last until the
 * broker stops.
 */
public final class DynamicGroupConfigs implements ConsumerGroupTimings, StreamsGroupSettings {

    /** The file in the data directory that holds every group's configs. */
    public static final String FILE = "dynamic-group-configs.properties";

    /**
     * One level that gives a group config its value, the one in force first: the group's own ({@code brokerSource}
     * null), then the broker setting it overrides, at each level that sets it, as Kafka lists a config's synonyms.
     */
    public record Level(String name, String value, DynamicBrokerConfigs.Source brokerSource) {
    }

    /** A group config as DescribeConfigs gives it: its value in force, its type, and each level that sets it. */
    public record Described(String name, String value, GroupConfigKeys.Type type, List<Level> levels) {
    }

    private final DynamicBrokerConfigs broker;
    private final Path file; // null: in memory only
    private final SortedMap<String, SortedMap<String, String>> groups = new TreeMap<>();

    private DynamicGroupConfigs(DynamicBrokerConfigs broker, Path file, Map<String, SortedMap<String, String>> stored) {
        this.broker = broker;
        this.file = file;
        groups.putAll(stored);
    }

    /** Every group's configs from {@code dataDir}'s file (none yet when it has no file). */
    public static DynamicGroupConfigs open(DynamicBrokerConfigs broker, Path dataDir) {
        Path file = dataDir.resolve(FILE);
        return new DynamicGroupConfigs(broker, file, Files.exists(file) ? read(file, broker.current()) : Map.of());
    }

    /** None yet, kept in memory only. */
    public static DynamicGroupConfigs inMemory(DynamicBrokerConfigs broker) {
        return new DynamicGroupConfigs(broker, null, Map.of());
    }

    /** The configs set on one group, by name: none for a group never given any. */
    public SortedMap<String, String> of(String group) {
        synchronized (groups) {
            return Collections.unmodifiableSortedMap(new TreeMap<>(groups.getOrDefault(group, new TreeMap<>())));
        }
    }

    /** The groups that have configs of their own, by name, as Kafka's ListConfigResources names them. */
    public SortedSet<String> groups() {
        synchronized (groups) {
            return new TreeSet<>(groups.keySet());
        }
    }

    /**
     * Changes one group's configs: sets the keys of {@code set} and removes those of {@code delete} (with
     * {@code replaceAll}, the keys of {@code set} become its whole set, as Kafka's older AlterConfigs makes them). The
     * group's whole set is checked as Kafka checks it before anything changes, then written down. With
     * {@code validateOnly} the check is all.
     */
    public void alter(String group, Map<String, String> set, Set<String> delete, boolean replaceAll,
                      boolean validateOnly) {
        if (group.isEmpty()) {
            throw new InvalidRequestException("Default group resources are not allowed.");
        }
        synchronized (groups) { // read, change, write: two changes at once never lose one
            SortedMap<String, String> wanted = replaceAll ? new TreeMap<>()
                    : new TreeMap<>(groups.getOrDefault(group, new TreeMap<>()));
            delete.forEach(wanted::remove);
            wanted.putAll(set);
            SortedMap<String, String> checked = GroupConfigKeys.checked(wanted, broker.current(), true);
            if (validateOnly) {
                return;
            }
            SortedMap<String, SortedMap<String, String>> all = new TreeMap<>(groups);
            if (checked.isEmpty()) {
                all.remove(group);
            } else {
                all.put(group, checked);
            }
            write(all);
            groups.clear();
            groups.putAll(all);
        }
    }

    /**
     * Every group config Kafka describes for a group, by name: each one not internal, and an internal one the group
     * sets, with its value in force and the levels that give it one.
     */
    public List<Described> describe(String group) {
        SortedMap<String, String> own = of(group);
        List<Described> described = new ArrayList<>();
        for (GroupConfigKeys.Key key : new TreeMap<>(GroupConfigKeys.all()).values()) {
            if (key.internal() && !own.containsKey(key.name())) {
                continue;
            }
            List<Level> levels = new ArrayList<>();
            if (own.containsKey(key.name())) {
                levels.add(new Level(key.name(), own.get(key.name()), null));
            }
            levels.addAll(brokerLevels(key));
            String inForce = own.containsKey(key.name()) ? own.get(key.name()) : defaultOf(key);
            described.add(new Described(key.name(), inForce, key.type(), levels));
        }
        return described;
    }

    /** The value a group takes when it sets none: the broker's setting, or Kafka's default where the broker has none. */
    private String defaultOf(GroupConfigKeys.Key key) {
        return ours(key.brokerSetting()) ? broker.current().get(key.brokerSetting()) : key.kafkaDefault();
    }

    /** The broker setting's own levels, or Kafka's default alone for one this broker does not have. */
    private List<Level> brokerLevels(GroupConfigKeys.Key key) {
        String name = key.brokerSetting() == null ? key.name() : key.brokerSetting();
        if (!ours(key.brokerSetting())) {
            return List.of(new Level(name, key.kafkaDefault(), DynamicBrokerConfigs.Source.DEFAULT_CONFIG));
        }
        return broker.synonyms(name).stream().map(s -> new Level(s.name(), s.value(), s.source())).toList();
    }

    private static boolean ours(String brokerSetting) {
        return brokerSetting != null && BrokerConfig.settings().stream().anyMatch(s -> s.name().equals(brokerSetting));
    }

    @Override
    public Timing timingOf(String groupId) {
        BrokerConfig current = broker.current();
        ConsumerGroupConfig consumer = current.consumerGroupConfig();
        SortedMap<String, String> own;
        synchronized (groups) {
            own = groups.get(groupId);
        }
        long heartbeat = consumer.heartbeatInterval().toMillis();
        long session = consumer.sessionTimeout().toMillis();
        if (own != null) {
            heartbeat = Long.parseLong(own.getOrDefault(GroupConfigKeys.CONSUMER_HEARTBEAT_INTERVAL_MS, "" + heartbeat));
            session = Long.parseLong(own.getOrDefault(GroupConfigKeys.CONSUMER_SESSION_TIMEOUT_MS, "" + session));
        }
        // within the broker's bounds as they are now, as Kafka evaluates a group's configs when it uses them
        return new Timing(GroupConfigKeys.clamped(GroupConfigKeys.CONSUMER_HEARTBEAT_INTERVAL_MS, heartbeat, current),
                GroupConfigKeys.clamped(GroupConfigKeys.CONSUMER_SESSION_TIMEOUT_MS, session, current));
    }

    /**
     * A streams group's settings: its own configs, else the broker's group.streams.* settings where it has them
     * (the session and the heartbeat), else Kafka's defaults.
     */
    @Override
    public Settings settingsOf(String groupId) {
        SortedMap<String, String> set = own(groupId);
        BrokerConfig current = broker.current();
        return new Settings(
                GroupConfigKeys.clamped(GroupConfigKeys.STREAMS_HEARTBEAT_INTERVAL_MS,
                        number(set, GroupConfigKeys.STREAMS_HEARTBEAT_INTERVAL_MS), current),
                GroupConfigKeys.clamped(GroupConfigKeys.STREAMS_SESSION_TIMEOUT_MS,
                        number(set, GroupConfigKeys.STREAMS_SESSION_TIMEOUT_MS), current),
                GroupConfigKeys.clamped("streams.num.standby.replicas", number(set, "streams.num.standby.replicas"),
                        current),
                (int) number(set, "streams.initial.rebalance.delay.ms"),
                GroupConfigKeys.clamped("streams.task.offset.interval.ms",
                        number(set, "streams.task.offset.interval.ms"), current),
                number(set, "streams.acceptable.recovery.lag"));
    }

    /** How long a member of the share group may stay silent: its share.session.timeout.ms, else the broker's. */
    public int shareSessionTimeoutMs(String groupId) {
        return GroupConfigKeys.clamped(GroupConfigKeys.SHARE_SESSION_TIMEOUT_MS,
                number(own(groupId), GroupConfigKeys.SHARE_SESSION_TIMEOUT_MS), broker.current());
    }

    /** How often a member of the share group heartbeats: its share.heartbeat.interval.ms, else the broker's. */
    public int shareHeartbeatIntervalMs(String groupId) {
        return GroupConfigKeys.clamped(GroupConfigKeys.SHARE_HEARTBEAT_INTERVAL_MS,
                number(own(groupId), GroupConfigKeys.SHARE_HEARTBEAT_INTERVAL_MS), broker.current());
    }

    /** The configs the group sets, none for a group never given any. */
    private SortedMap<String, String> own(String groupId) {
        synchronized (groups) {
            SortedMap<String, String> own = groups.get(groupId);
            return own == null ? new TreeMap<>() : own;
        }
    }

    /** A number-valued group config: the group's own, else its default. */
    private long number(SortedMap<String, String> own, String name) {
        String value = own.get(name);
        return Long.parseLong(value != null ? value : defaultOf(GroupConfigKeys.all().get(name)));
    }

    private void write(SortedMap<String, SortedMap<String, String>> all) {
        if (file == null) {
            return;
        }
        java.util.Set<Map.Entry<Object, Object>> ordered = new java.util.LinkedHashSet<>();
        all.forEach((group, configs) -> configs.forEach((name, value) -> ordered.add(Map.entry(group + "." + name,
                value))));
        Properties lines = new Properties() {
            @Override
            public java.util.Set<Map.Entry<Object, Object>> entrySet() { // written in order, for a reader
                return ordered;
            }
        };
        StringWriter text = new StringWriter();
        try {
            lines.store(text, "Each group's own configs (kafka-configs --entity-type groups): <group>.<config>=<value>."
                    + " They beat the broker's group.* settings for that group.");
            Directories.writeAtomically(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    private static Map<String, SortedMap<String, String>> read(Path file, BrokerConfig brokerConfig) {
        Properties stored = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            stored.load(reader);
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
            throw new InvalidConfigurationException("cannot read the group configs in " + file + ": " + e.getMessage());
        }
        SortedMap<String, SortedMap<String, String>> groups = new TreeMap<>();
        for (String key : stored.stringPropertyNames()) {
            String config = GroupConfigKeys.all().keySet().stream().filter(name -> key.endsWith("." + name))
                    .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
            if (config == null || key.length() == config.length() + 1) {
                throw new InvalidConfigurationException(file + " holds '" + key + "', which is not <group>.<config>"
                        + " with one of the group configs " + String.join(", ", GroupConfigKeys.all().keySet())
                        + ": correct or remove that line");
            }
            String group = key.substring(0, key.length() - config.length() - 1);
            groups.computeIfAbsent(group, g -> new TreeMap<>()).put(config, stored.getProperty(key));
        }
        for (Map.Entry<String, SortedMap<String, String>> group : groups.entrySet()) {
            try {
                // bounds are the broker's, which may have changed since: its values are kept and held within them
                group.setValue(GroupConfigKeys.checked(group.getValue(), brokerConfig, false));
            } catch (InvalidConfigurationException e) {
                throw new InvalidConfigurationException(file + ", group '" + group.getKey() + "': " + e.getMessage());
            }
        }
        return groups;
    }
}
