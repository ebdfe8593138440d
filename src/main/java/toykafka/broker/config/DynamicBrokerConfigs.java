package toykafka.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import toykafka.common.Directories;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.InvalidRequestException;

/**
 * The broker settings that change while it runs: Kafka's dynamic broker configs. Kafka changes some of its
 * settings at runtime, at two levels above its properties file: one broker's own, and the cluster-wide default
 * that every broker takes where its own level sets nothing. This broker changes the same settings
 * ({@link BrokerConfig#DYNAMIC}) the same way; every other one is static, in Kafka too, and a change to it is
 * refused in Kafka's words.
 *
 * <p>Kafka keeps each change as a {@code ConfigRecord} in its metadata log. This broker keeps both levels in
 * one file of its data directory, {@value #FILE}, written whole and renamed over the old one, so a crash
 * leaves one set or the other; it reads the file when it starts, on top of its flags, environment and
 * properties file. With storage=memory they last until the broker stops.
 */
public final class DynamicBrokerConfigs {

    /** The file in the data directory that holds both levels. */
    public static final String FILE = "dynamic-broker-configs.properties";
    private static final String DEFAULT_PREFIX = "cluster.default.";

    /** Where a value comes from, most specific first, under Kafka's names for its config sources. */
    public enum Source { DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG }

    /** The two levels a change is made at: this broker's own, or the default of every broker in the cluster. */
    public enum Level { BROKER, CLUSTER_DEFAULT }

    /** One level that gives a setting a value: Kafka's config synonym. */
    public record Synonym(String name, String value, Source source) {
    }

    private final BrokerConfig startup;
    private final Path file; // null: in memory only
    private final Map<Level, SortedMap<String, String>> levels = new EnumMap<>(Level.class);
    private final List<Consumer<BrokerConfig>> listeners = new CopyOnWriteArrayList<>();
    private volatile BrokerConfig current;

    private DynamicBrokerConfigs(BrokerConfig startup, Path file, Map<Level, SortedMap<String, String>> stored) {
        this.startup = startup;
        this.file = file;
        levels.putAll(stored);
        this.current = inForce(stored, "the file " + file);
    }

    /** Both levels from {@code dataDir}'s file (none yet when it has no file), on top of {@code startup}. */
    public static DynamicBrokerConfigs open(BrokerConfig startup, Path dataDir) {
        Path file = dataDir.resolve(FILE);
        return new DynamicBrokerConfigs(startup, file, Files.exists(file) ? read(file, startup.nodeId()) : empty());
    }

    /** Both levels empty, kept in memory only. */
    public static DynamicBrokerConfigs inMemory(BrokerConfig startup) {
        return new DynamicBrokerConfigs(startup, null, empty());
    }

    private static Map<Level, SortedMap<String, String>> empty() {
        return new EnumMap<>(Map.of(Level.BROKER, new TreeMap<>(), Level.CLUSTER_DEFAULT, new TreeMap<>()));
    }

    /** The settings in force: the startup ones, with the cluster default on top, and this broker's own on that. */
    public BrokerConfig current() {
        return current;
    }

    /** The settings as the broker read them when it started: flags, environment, properties file, defaults. */
    public BrokerConfig startup() {
        return startup;
    }

    /** The settings changed at one level, by name. */
    public SortedMap<String, String> at(Level level) {
        synchronized (levels) {
            return Collections.unmodifiableSortedMap(new TreeMap<>(levels.get(level)));
        }
    }

    /** Tells {@code listener} the settings in force after every change, until {@link #stopTelling}. */
    public void whenChanged(Consumer<BrokerConfig> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void stopTelling(Consumer<BrokerConfig> listener) {
        listeners.remove(listener);
    }

    // tag::alter[]
    /**
     * Changes one level: sets the keys of {@code set} and removes those of {@code delete} (with
     * {@code replaceAll}, the keys of {@code set} become the level's whole set, as Kafka's older AlterConfigs
     * makes them). Every key and value is checked before anything changes, then the level is written down,
     * then every listener is told. With {@code validateOnly} the check is all.
     */
    public void alter(Level level, Map<String, String> set, Set<String> delete, boolean replaceAll,
                      boolean validateOnly) {
        List<String> named = new ArrayList<>(set.keySet());
        named.addAll(delete);
        refuseStatic(level, named);
        synchronized (levels) { // read, change, write: two changes at once never lose one
            Map<Level, SortedMap<String, String>> wanted = new EnumMap<>(Level.class);
            levels.forEach((l, values) -> wanted.put(l, new TreeMap<>(values)));
            SortedMap<String, String> values = wanted.get(level);
            if (replaceAll) {
                values.clear();
            }
            delete.forEach(values::remove);
            BrokerConfig changed;
            try {
                set.forEach((name, value) -> values.put(name, checked(name, value)));
                changed = inForce(wanted, "this change");
            } catch (InvalidConfigurationException e) {
                throw new InvalidRequestException(e.getMessage()); // Kafka's error for a broker's bad value
            }
            if (validateOnly) {
                return;
            }
            write(wanted);
            levels.clear();
            levels.putAll(wanted);
            current = changed;
            listeners.forEach(listener -> listener.accept(changed)); // in the order the changes were made
        }
    }
    // end::alter[]

    /**
     * Each level that gives a setting a value, the one in force first, as Kafka's DescribeConfigs lists a
     * config's synonyms: this broker's own, the cluster default, the startup setting, and the default.
     */
    public List<Synonym> synonyms(String name) {
        List<Synonym> synonyms = new ArrayList<>();
        var inert = InertListenerSettings.named(name);
        if (inert.isPresent()) { // set at this broker's own level or not at all
            String own = at(Level.BROKER).get(name);
            if (own != null) {
                synonyms.add(new Synonym(name, own, Source.DYNAMIC_BROKER_CONFIG));
            }
            synonyms.add(new Synonym(name, inert.get().defaultValue(), Source.DEFAULT_CONFIG));
            return synonyms;
        }
        synchronized (levels) {
            String own = levels.get(Level.BROKER).get(name);
            String clusterDefault = levels.get(Level.CLUSTER_DEFAULT).get(name);
            if (own != null) {
                synonyms.add(new Synonym(name, current.get(name), Source.DYNAMIC_BROKER_CONFIG));
            }
            if (clusterDefault != null) {
                synonyms.add(new Synonym(name, clusterDefault, Source.DYNAMIC_DEFAULT_BROKER_CONFIG));
            }
        }
        if (!"default".equals(startup.sourceOf(name)) || !startup.get(name).equals(BrokerConfig.defaultOf(name))) {
            synonyms.add(new Synonym(name, startup.get(name), Source.STATIC_BROKER_CONFIG));
        }
        synonyms.add(new Synonym(name, BrokerConfig.defaultOf(name), Source.DEFAULT_CONFIG));
        return synonyms;
    }

    /**
     * Whether {@code name} is one of Kafka's SASL listener settings, which this broker keeps at a broker's own level
     * and describes, with no GSSAPI or OAUTHBEARER to apply them to.
     */
    public static boolean isInert(String name) {
        return InertListenerSettings.named(name).isPresent();
    }

    private static String checked(String name, String value) {
        return isInert(name) ? InertListenerSettings.checked(name, value) : BrokerConfig.checked(name, value);
    }

    /** Where the value in force of a setting comes from. */
    public Source sourceOf(String name) {
        return synonyms(name).get(0).source();
    }

    /**
     * Refuses a setting that is not this broker's, and one Kafka reads only at start, as Kafka refuses it
     * ("Cannot update these configs dynamically: [num.partitions]"), then says where this broker reads it.
     */
    private static void refuseStatic(Level level, List<String> names) {
        List<String> unknown = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        List<String> perBroker = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        for (String name : names) {
            Setting setting = BrokerConfig.settings().stream().filter(s -> s.name().equals(name))
                    .findFirst().orElse(null);
            if (isInert(name)) {
                if (level == Level.CLUSTER_DEFAULT) {
                    perBroker.add(name);
                }
            } else if (setting == null) {
                unknown.add(name);
            } else if (!BrokerConfig.DYNAMIC.contains(name)) {
                fixed.add(name);
                where.append(where.isEmpty() ? "" : ", ").append(name).append(": ").append(setting.flag())
                        .append(" or ").append(setting.environment());
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("unknown broker config" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + ": this broker has no such setting. The ones it changes while it"
                    + " runs are " + String.join(", ", BrokerConfig.DYNAMIC) + ", and Kafka's SASL listener settings "
                    + String.join(", ", InertListenerSettings.names()) + ", which it keeps but has no GSSAPI or"
                    + " OAUTHBEARER to apply them to (Kafka stores a key it does not know, for plugins to read; this broker has no plugins, so"
                    + " it refuses one)");
        }
        if (!perBroker.isEmpty()) {
            throw new InvalidRequestException("Cannot update these configs at default cluster level, broker id must be"
                    + " specified: [" + String.join(", ", perBroker) + "]. As in Kafka, a listener's settings are each"
                    + " broker's own: set them on the broker (its id), not as the cluster default");
        }
        if (!fixed.isEmpty()) {
            throw new InvalidRequestException("Cannot update these configs dynamically: [" + String.join(", ", fixed)
                    + "]. As in Kafka, this broker reads them once, when it starts, from a command-line flag, an"
                    + " environment variable or its properties file (" + where + "); change them there and restart."
                    + " The ones it changes while it runs are " + String.join(", ", BrokerConfig.DYNAMIC));
        }
    }

    /** The startup settings with both levels on top, each value checked; {@code from} names them in an error. */
    private BrokerConfig inForce(Map<Level, SortedMap<String, String>> wanted, String from) {
        BrokerConfig config = startup;
        for (Level level : List.of(Level.CLUSTER_DEFAULT, Level.BROKER)) {
            for (Map.Entry<String, String> entry : wanted.get(level).entrySet()) {
                if (isInert(entry.getKey())) {
                    continue; // kept and described; nothing here reads it
                }
                try {
                    config = config.withDynamic(entry.getKey(), entry.getValue(), level == Level.BROKER
                            ? "dynamic broker config" : "dynamic cluster default");
                } catch (InvalidConfigurationException e) {
                    throw new InvalidConfigurationException(e.getMessage() + " (set at the "
                            + (level == Level.BROKER ? "broker's own level" : "cluster default") + " by " + from + ")");
                }
            }
        }
        requireHostsResolve(config);
        return config;
    }

    /** A host named in max.connections.per.ip.overrides must resolve now, as the listener looks it up. */
    private static void requireHostsResolve(BrokerConfig config) {
        for (String host : config.maxConnectionsPerIpOverrides().keySet()) {
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new InvalidConfigurationException(BrokerConfig.MAX_CONNECTIONS_PER_IP_OVERRIDES + " names the"
                        + " host '" + host + "', which does not resolve: give an address, or a name that resolves");
            }
        }
    }

    private void write(Map<Level, SortedMap<String, String>> wanted) {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder("# Broker settings changed while the broker ran (AlterConfigs,"
                + " IncrementalAlterConfigs, REST Proxy's config writes): they beat the flags, environment and"
                + " properties file.\n"
                + "# broker.N.<setting> is node N's own, " + DEFAULT_PREFIX + "<setting> the cluster-wide default.\n");
        wanted.get(Level.CLUSTER_DEFAULT).forEach((name, value) -> text.append(DEFAULT_PREFIX).append(name).append('=')
                .append(value).append('\n'));
        wanted.get(Level.BROKER).forEach((name, value) -> text.append("broker.").append(startup.nodeId()).append('.')
                .append(name).append('=').append(value).append('\n'));
        try {
            Directories.writeAtomically(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    private static Map<Level, SortedMap<String, String>> read(Path file, int nodeId) {
        Properties stored = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                Object earlier = super.put(key, value);
                if (earlier != null) { // a file edited by hand: which of the two was meant is not ours to guess
                    throw new InvalidConfigurationException(file + " sets '" + key + "' twice ('" + earlier
                            + "', then '" + value + "'): keep the line you mean and remove the other");
                }
                return earlier;
            }
        };
        try (Reader reader = Files.newBufferedReader(file)) {
            stored.load(reader);
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
            throw new InvalidConfigurationException("cannot read the dynamic broker configs in " + file + ": "
                    + e.getMessage());
        }
        Map<Level, SortedMap<String, String>> levels = empty();
        String own = "broker." + nodeId + ".";
        for (String key : stored.stringPropertyNames()) {
            if (key.startsWith(DEFAULT_PREFIX)) {
                levels.get(Level.CLUSTER_DEFAULT).put(key.substring(DEFAULT_PREFIX.length()), stored.getProperty(key).trim());
            } else if (key.startsWith(own)) {
                levels.get(Level.BROKER).put(key.substring(own.length()), stored.getProperty(key).trim());
            } else {
                throw new InvalidConfigurationException(file + " holds '" + key + "', which is neither " + own
                        + "<setting> (this node's) nor " + DEFAULT_PREFIX + "<setting>: correct or remove that line");
            }
        }
        try {
            for (Level level : Level.values()) {
                refuseStatic(level, List.copyOf(levels.get(level).keySet()));
            }
            levels.values().forEach(values -> values.replaceAll(DynamicBrokerConfigs::checked));
        } catch (InvalidRequestException | InvalidConfigurationException e) {
            throw new InvalidConfigurationException(file + ": " + e.getMessage());
        }
        return levels;
    }
}
