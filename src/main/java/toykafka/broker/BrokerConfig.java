package toykafka.broker;

import static toykafka.broker.SettingRules.DURATION;
import static toykafka.broker.SettingRules.duration;
import static toykafka.broker.SettingRules.inMillis;
import static toykafka.broker.SettingRules.whole;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.TopicConfig;

/**
 * The broker's settings, each under the name Kafka (or its REST Proxy) gives it. A setting comes from a
 * command-line flag, else an environment variable, else a properties file, else its default: the order
 * MiniKafka and most servers use, so a one-off flag beats what a deployment set. The forms a value may take
 * (whole numbers, durations) are {@link SettingRules}'.
 */
public final class BrokerConfig {

    /** One setting: its name (also the properties-file key), flag, environment variable, default and rule. */
    public record Setting(String name, String kafkaName, String environment, String defaultValue,
                          Predicate<String> accepts, String rule, String meaning) {

        /** The command-line flag: the name with dots turned into dashes. */
        public String flag() {
            return "--" + name.replace('.', '-');
        }
    }

    public static final String DATA_DIR = "data.dir";
    public static final String STORAGE = "storage";
    public static final String HOST = "host";
    public static final String HTTP_PORT = "http.port";
    public static final String KAFKA_PORT = "kafka.port";
    public static final String ADVERTISED_HOST = "advertised.host";
    public static final String ADVERTISED_PORT = "advertised.port";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String CONSUMER_INSTANCE_TIMEOUT_MS = "consumer.instance.timeout.ms";
    public static final String CONSUMER_INSTANCES_MAX = "consumer.instances.max";
    public static final String IDLE_TIMEOUT_MS = "idle.timeout.ms";
    public static final String HTTP_ALLOWED_ORIGINS = "http.allowed.origins";
    public static final String NODE_ID = "node.id";
    public static final String CLUSTER_ID = "cluster.id";
    public static final String AUTO_CREATE_TOPICS = "auto.create.topics.enable";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String RETENTION_MS = "log.retention.ms";
    public static final String RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String FLUSH_MESSAGES = "log.flush.interval.messages";
    public static final String FLUSH_MS = "log.flush.interval.ms";
    public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    public static final String REQUEST_ARRIVAL_TIMEOUT_MS = "request.arrival.timeout.ms";
    public static final String FILE_DESCRIPTOR_LIMIT = "file.descriptor.limit";
    public static final String LOG_OPEN_FILES_MAX = "log.open.files.max";
    public static final String STATS_INTERVAL_MS = "stats.interval.ms";
    public static final String OFFSETS_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String CLEANER_ENABLE = "log.cleaner.enable";
    public static final String CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";

    // tag::dynamic[]
    /**
     * The settings that change while the broker runs, at this broker's own level or the cluster default:
     * those of Kafka's dynamic broker configs this broker has. Every other setting is read once, at start.
     */
    public static final List<String> DYNAMIC = List.of(RETENTION_MS, FLUSH_MESSAGES, FLUSH_MS, MAX_CONNECTIONS,
            MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP_OVERRIDES, CLEANER_BACKOFF_MS, CLEANER_DEDUPE_BUFFER_SIZE);
    // end::dynamic[]

    // tag::settings[]
    private static final List<Setting> SETTINGS = List.of(
            new Setting(DATA_DIR, "log.dirs", "TOYKAFKA_DATA_DIR", "data/generated/broker", text -> !text.isBlank(),
                    "must be a directory path", "where topics, committed offsets and the archive live"),
            new Setting(STORAGE, "(none: Kafka's logs are always files; MiniKafka's memory mode)", "TOYKAFKA_STORAGE",
                    "file", text -> text.equals("file") || text.equals("memory"), "must be file (topics in the data"
                    + " directory) or memory (nothing written to disk, nothing kept after a restart)",
                    "where topics live: file, in the data directory; or memory, gone when the broker stops"),
            new Setting(HOST, "listeners (its host)", "TOYKAFKA_HOST", "127.0.0.1", text -> !text.isBlank(),
                    "must be a host name or address", "the address to listen on: loopback unless told otherwise"),
            new Setting(HTTP_PORT, "REST Proxy listeners (port 8082)", "TOYKAFKA_HTTP_PORT", "8082",
                    whole(0, 65535), "must be a port from 0 to 65535 (0 picks a free one)", "the HTTP port"),
            new Setting(KAFKA_PORT, "listeners (its port)", "TOYKAFKA_KAFKA_PORT", "9092", whole(0, 65535),
                    "must be a port from 0 to 65535 (0 picks a free one)", "the port that speaks Kafka's protocol"),
            new Setting(ADVERTISED_HOST, "advertised.listeners (its host)", "TOYKAFKA_ADVERTISED_HOST", "",
                    text -> text.chars().noneMatch(Character::isWhitespace) && !text.matches(".*[^:]:\\d+"),
                    "must be a host name or address without a port (that is advertised.port), an IPv6 address in"
                    + " brackets, or empty for the host setting",
                    "the host Metadata tells Kafka clients to connect to; empty: the host setting"),
            new Setting(ADVERTISED_PORT, "advertised.listeners (its port)", "TOYKAFKA_ADVERTISED_PORT", "0",
                    whole(0, 65535), "must be a port from 1 to 65535, or 0 for the port the Kafka listener bound",
                    "the port Metadata tells Kafka clients to connect to; 0: the port the listener bound"),
            new Setting(CONNECTIONS_MAX_IDLE_MS, CONNECTIONS_MAX_IDLE_MS, "TOYKAFKA_CONNECTIONS_MAX_IDLE_MS", "600000",
                    duration(1, Long.MAX_VALUE), DURATION + ", 1 or more ms",
                    "how long a Kafka client's connection may stay silent before the broker closes it"),
            new Setting(CONSUMER_INSTANCE_TIMEOUT_MS, "REST Proxy's consumer.instance.timeout.ms",
                    "TOYKAFKA_CONSUMER_INSTANCE_TIMEOUT_MS", "300000", duration(1, Integer.MAX_VALUE),
                    DURATION + ", from 1 to " + Integer.MAX_VALUE + " ms",
                    "how long a REST consumer instance may go without a call before the broker deletes it (and its"
                    + " group rebalances without it)"),
            new Setting(CONSUMER_INSTANCES_MAX, "(none: each REST Proxy instance holds what its heap allows)",
                    "TOYKAFKA_CONSUMER_INSTANCES_MAX", "1000", whole(1, Integer.MAX_VALUE),
                    "must be a whole number from 1 to " + Integer.MAX_VALUE,
                    "the most REST consumer instances the broker holds at once, in all groups together; more are"
                    + " refused with 429 until some are deleted or time out (group.max.size bounds one group)"),
            new Setting(IDLE_TIMEOUT_MS, "REST Proxy's idle.timeout.ms", "TOYKAFKA_IDLE_TIMEOUT_MS", "30000",
                    duration(1, Long.MAX_VALUE), DURATION + ", 1 or more ms",
                    "how long an HTTP connection may stay silent, within a request or between requests, before the"
                    + " broker closes it (a long poll waiting for records is not silence)"),
            new Setting(HTTP_ALLOWED_ORIGINS, "REST Proxy's access.control.allow.origin", "TOYKAFKA_HTTP_ALLOWED_ORIGINS",
                    "", text -> text.isEmpty() || Arrays.stream(text.split(",", -1)).map(String::trim)
                            .allMatch(origin -> origin.matches("https?://[^/\\s,]+")),
                    "must be origins separated by commas, each a scheme, host and port as a browser sends them"
                    + " (http://localhost:3000), or empty for none",
                    "the web pages, besides the broker's own, that a browser may let use the broker; any other"
                    + " page's requests are refused (empty: none)"),
            new Setting(NODE_ID, NODE_ID, "TOYKAFKA_NODE_ID", "1", whole(0, Integer.MAX_VALUE),
                    "must be a whole number from 0 to " + Integer.MAX_VALUE,
                    "this broker's id in Metadata, stored in the data directory's meta.properties"),
            new Setting(CLUSTER_ID, CLUSTER_ID, "TOYKAFKA_CLUSTER_ID", "", text -> text.isEmpty()
                    || MetaProperties.isClusterId(text), "must be 22 characters of URL-safe base64 (16 bytes, as"
                    + " kafka-storage random-uuid prints), or empty for the one stored in the data directory",
                    "the cluster's id, stored in the data directory's meta.properties; empty: the stored one, or a"
                    + " new random one in a new data directory"),
            new Setting(AUTO_CREATE_TOPICS, AUTO_CREATE_TOPICS, "TOYKAFKA_AUTO_CREATE_TOPICS_ENABLE", "true",
                    text -> text.equals("true") || text.equals("false"), "must be true or false",
                    "whether producing to an unknown topic creates it"),
            new Setting(NUM_PARTITIONS, NUM_PARTITIONS, "TOYKAFKA_NUM_PARTITIONS", "1", whole(1, 1000),
                    "must be a whole number from 1 to 1000", "partitions of a topic created without a count"),
            new Setting(RETENTION_MS, RETENTION_MS, "TOYKAFKA_RETENTION_MS", "604800000", duration(-1, Long.MAX_VALUE),
                    DURATION + ", or -1 to keep records forever",
                    "retention.ms of topics that do not set their own"),
            new Setting(RETENTION_CHECK_INTERVAL_MS, RETENTION_CHECK_INTERVAL_MS, "TOYKAFKA_RETENTION_CHECK_INTERVAL_MS",
                    "300000", duration(1, Long.MAX_VALUE), DURATION + ", 1 or more ms",
                    "how often retention deletes expired segments, archiving their records first"),
            new Setting(FLUSH_MESSAGES, FLUSH_MESSAGES, "TOYKAFKA_FLUSH_MESSAGES", "none",
                    text -> text.equals("1") || text.equals("none"),
                    "must be 1 (fsync before every acknowledgement) or none (leave it to the OS and flush.ms)",
                    "flush.messages of topics that do not set their own"),
            new Setting(FLUSH_MS, FLUSH_MS, "TOYKAFKA_FLUSH_MS", "none", text -> text.equals("none")
                    || duration(1, Long.MAX_VALUE).test(text), DURATION + ", 1 or more ms, or none",
                    "flush.ms of topics that do not set their own"),
            new Setting(SESSION_TIMEOUT_MS, SESSION_TIMEOUT_MS, "TOYKAFKA_SESSION_TIMEOUT_MS", "45000",
                    duration(1, Long.MAX_VALUE), DURATION + ", 1 or more ms",
                    "the session of a REST consumer instance in its group: the broker heartbeats for each live"
                    + " instance, and a group drops one it has not heard of for this long"),
            new Setting(GROUP_INITIAL_REBALANCE_DELAY_MS, GROUP_INITIAL_REBALANCE_DELAY_MS,
                    "TOYKAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0", duration(0, Integer.MAX_VALUE),
                    DURATION + ", from 0 to " + Integer.MAX_VALUE + " ms", "how long an empty group's first rebalance"
                    + " waits for more members (Kafka's default is 3000; 0 here, so a REST consumer is assigned as"
                    + " it subscribes)"),
            new Setting(GROUP_MIN_SESSION_TIMEOUT_MS, GROUP_MIN_SESSION_TIMEOUT_MS,
                    "TOYKAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "6000", duration(1, Integer.MAX_VALUE),
                    DURATION + ", from 1 to " + Integer.MAX_VALUE + " ms",
                    "the shortest session timeout a Kafka consumer may ask for"),
            new Setting(GROUP_MAX_SESSION_TIMEOUT_MS, GROUP_MAX_SESSION_TIMEOUT_MS,
                    "TOYKAFKA_GROUP_MAX_SESSION_TIMEOUT_MS", "1800000", duration(1, Integer.MAX_VALUE),
                    DURATION + ", from 1 to " + Integer.MAX_VALUE + " ms",
                    "the longest session timeout a Kafka consumer may ask for"),
            new Setting(GROUP_MAX_SIZE, GROUP_MAX_SIZE, "TOYKAFKA_GROUP_MAX_SIZE", String.valueOf(Integer.MAX_VALUE),
                    whole(1, Integer.MAX_VALUE), "must be a whole number from 1 to " + Integer.MAX_VALUE,
                    "the most members (and REST consumer instances) a group may have; more are refused with"
                    + " GROUP_MAX_SIZE_REACHED. Ids handed out and not yet used to join do not count (Kafka's"
                    + " default: no limit)"),
            new Setting(OFFSETS_RETENTION_MINUTES, OFFSETS_RETENTION_MINUTES, "TOYKAFKA_OFFSETS_RETENTION_MINUTES",
                    "10080", whole(1, Integer.MAX_VALUE), "must be a whole number of minutes from 1 to "
                    + Integer.MAX_VALUE, "how long a group with no members keeps its committed offsets before they"
                    + " are deleted and the group with them (7 days, as Kafka's)"),
            new Setting(REQUEST_MAX_BYTES, REQUEST_MAX_BYTES, "TOYKAFKA_REQUEST_MAX_BYTES", "104857600",
                    whole(1, Integer.MAX_VALUE), "must be a whole number of bytes from 1 to " + Integer.MAX_VALUE,
                    "the largest request the broker reads: a Kafka frame, or an HTTP body (100 MiB, Kafka's default)"),
            new Setting(QUEUED_MAX_REQUEST_BYTES, QUEUED_MAX_REQUEST_BYTES, "TOYKAFKA_QUEUED_MAX_REQUEST_BYTES",
                    "104857600", whole(1, Long.MAX_VALUE), "must be a whole number of bytes, 1 or more",
                    "the most memory each listener holds for requests still arriving or not yet answered; past it,"
                    + " the Kafka listener stops reading until answers free some, and the HTTP listener answers 503"
                    + " (100 MiB; Kafka's default is no bound)"),
            new Setting(MAX_CONNECTIONS, MAX_CONNECTIONS, "TOYKAFKA_MAX_CONNECTIONS", "1000",
                    whole(1, Integer.MAX_VALUE), "must be a whole number from 1 to " + Integer.MAX_VALUE,
                    "the most client connections open at once on each listener; more wait to be accepted on HTTP,"
                    + " and are closed as they arrive on Kafka's (each takes a file descriptor, so 1000 leaves room"
                    + " for the logs' files under the usual ulimit -n; Kafka's default is no limit)"),
            new Setting(MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP, "TOYKAFKA_MAX_CONNECTIONS_PER_IP", "500",
                    whole(1, Integer.MAX_VALUE), "must be a whole number from 1 to " + Integer.MAX_VALUE,
                    "the most connections one client address may hold open on the Kafka listener; more are closed as"
                    + " they arrive, so one address cannot take every connection max.connections allows (Kafka's"
                    + " default is no limit; 500 is half of max.connections)"),
            new Setting(MAX_CONNECTIONS_PER_IP_OVERRIDES, MAX_CONNECTIONS_PER_IP_OVERRIDES,
                    "TOYKAFKA_MAX_CONNECTIONS_PER_IP_OVERRIDES", "", text -> text.isEmpty()
                            || Arrays.stream(text.split(",", -1)).map(String::trim).allMatch(entry ->
                            entry.matches("[^\\s,]+:\\d{1,9}")),
                    "must be host:count pairs separated by commas (127.0.0.1:2000,build-box:50), a host name or"
                    + " address and a whole number of connections from 0, or empty for none",
                    "max.connections.per.ip for particular hosts, as Kafka takes it: host:count,host2:count (0 refuses"
                    + " a host; names are looked up when the listener starts)"),
            new Setting(REQUEST_ARRIVAL_TIMEOUT_MS, "(none: Kafka waits connections.max.idle.ms)",
                    "TOYKAFKA_REQUEST_ARRIVAL_TIMEOUT_MS", "10000", duration(1, Long.MAX_VALUE), DURATION + ", 1 or more ms",
                    "how long a request may take to arrive whole on the Kafka listener where it keeps others out: a new"
                    + " connection's first request (every Kafka client sends ApiVersions at once), and a large request"
                    + " holding memory other requests wait for; past it the connection is closed"),
            new Setting(FILE_DESCRIPTOR_LIMIT, "(none: Kafka asks for ulimit -n of 100,000 or more)",
                    "TOYKAFKA_FILE_DESCRIPTOR_LIMIT", "0", whole(0, Integer.MAX_VALUE),
                    "must be a whole number of file descriptors, or 0 for the process's limit (ulimit -n)",
                    "the file descriptors the broker keeps within: a create or a partition increase that would need"
                    + " more than are free, after 2 x max.connections + 100 kept for connections, is refused;"
                    + " 0: the process's limit"),
            new Setting(LOG_OPEN_FILES_MAX, "(none: Kafka keeps every segment's .log open and maps its indexes)",
                    "TOYKAFKA_LOG_OPEN_FILES_MAX", "1000", whole(3, Integer.MAX_VALUE),
                    "must be a whole number of files, 3 (one segment's) or more",
                    "the most segment files (.log, .index, .timeindex) open at once besides each partition's active"
                    + " .log: the least recently used is closed, and opened again when next read"),
            new Setting(STATS_INTERVAL_MS, "(Kaf's _kaf log)", "TOYKAFKA_STATS_INTERVAL_MS", "60000",
                    duration(0, Long.MAX_VALUE), DURATION + ", or 0 to turn statistics off",
                    "how often the broker appends its statistics to the topic " + "__broker_stats"),
            new Setting(OFFSETS_SEGMENT_BYTES, OFFSETS_SEGMENT_BYTES, "TOYKAFKA_OFFSETS_TOPIC_SEGMENT_BYTES", "1048576",
                    whole(100, Integer.MAX_VALUE), "must be a whole number of bytes from 100 to " + Integer.MAX_VALUE,
                    "segment.bytes of __consumer_offsets, whose sealed segments the cleaner compacts (Kafka's: 100 MiB)"),
            new Setting(CLEANER_ENABLE, CLEANER_ENABLE, "TOYKAFKA_LOG_CLEANER_ENABLE", "true",
                    text -> text.equals("true") || text.equals("false"), "must be true or false",
                    "whether a cleaner thread compacts topics with cleanup.policy=compact"),
            new Setting(CLEANER_BACKOFF_MS, CLEANER_BACKOFF_MS, "TOYKAFKA_LOG_CLEANER_BACKOFF_MS", "15000",
                    duration(1, Long.MAX_VALUE), DURATION + ", 1 or more ms",
                    "how long the cleaner rests when no log is dirty enough to clean"),
            new Setting(CLEANER_DEDUPE_BUFFER_SIZE, CLEANER_DEDUPE_BUFFER_SIZE, "TOYKAFKA_LOG_CLEANER_DEDUPE_BUFFER_SIZE",
                    "16777216", whole(1024, Integer.MAX_VALUE), "must be a whole number of bytes from 1024 to "
                    + Integer.MAX_VALUE, "the cleaner's memory for keys, 24 bytes a key (Kafka's default is 128 MiB;"
                    + " a log with more keys is cleaned in several passes)"));
    // end::settings[]

    private final SortedMap<String, String> values;
    private final Map<String, String> sources;

    private BrokerConfig(SortedMap<String, String> values, Map<String, String> sources) {
        this.values = Collections.unmodifiableSortedMap(values);
        this.sources = Collections.unmodifiableMap(sources);
    }

    public static List<Setting> settings() {
        return SETTINGS;
    }

    /** Every default, changed by the given settings (names as in the properties file). */
    public static BrokerConfig of(Map<String, String> settings) {
        return resolve(settings, Map.of(), new Properties());
    }

    /**
     * The settings from flags ({@code name -> value}, names as {@link #settings()} lists them), then the
     * environment, then the properties file, then the defaults. Every value is checked before any is used.
     */
    public static BrokerConfig resolve(Map<String, String> flags, Map<String, String> environment, Properties file) {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(file, "file");
        for (String name : flags.keySet()) {
            setting(name);
        }
        for (String key : file.stringPropertyNames()) {
            setting(key);
        }
        SortedMap<String, String> values = new TreeMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (Setting setting : SETTINGS) {
            String value;
            String source;
            if (flags.containsKey(setting.name())) {
                value = flags.get(setting.name());
                source = "flag " + setting.flag();
            } else if (environment.containsKey(setting.environment())) {
                value = environment.get(setting.environment());
                source = "environment " + setting.environment();
            } else if (file.getProperty(setting.name()) != null) {
                value = file.getProperty(setting.name());
                source = "properties file";
            } else {
                value = setting.defaultValue();
                source = "default";
            }
            value = value == null ? null : value.trim();
            if (value == null || !setting.accepts().test(value)) {
                throw new InvalidConfigurationException("invalid value '" + value + "' for " + setting.name()
                        + " (from the " + source + "): it " + setting.rule());
            }
            String millis = inMillis(setting, value);
            values.put(setting.name(), millis);
            sources.put(setting.name(), millis.equals(value) ? source : source + ": " + value);
        }
        checkSessionBounds(values);
        return new BrokerConfig(values, sources);
    }

    /** The one rule that spans two settings: the session timeouts a group allows must form a range. */
    private static void checkSessionBounds(Map<String, String> values) {
        long min = Long.parseLong(values.get(GROUP_MIN_SESSION_TIMEOUT_MS));
        long max = Long.parseLong(values.get(GROUP_MAX_SESSION_TIMEOUT_MS));
        if (min > max) {
            throw new InvalidConfigurationException(GROUP_MIN_SESSION_TIMEOUT_MS + " (" + min + ") must not be more"
                    + " than " + GROUP_MAX_SESSION_TIMEOUT_MS + " (" + max + ")");
        }
    }

    /** Reads a properties file, naming the file when it cannot. */
    public static Properties readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot read the broker's properties file " + file + ": " + e);
        }
        return properties;
    }

    private static Setting setting(String name) {
        return SETTINGS.stream().filter(setting -> setting.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidConfigurationException("unknown broker setting '" + name
                        + "': the settings are " + String.join(", ", SETTINGS.stream().map(Setting::name).toList())));
    }

    /** The same config with one setting changed. */
    public BrokerConfig with(String name, Object value) {
        SortedMap<String, String> changed = new TreeMap<>(values);
        changed.put(name, checked(name, String.valueOf(value)));
        checkSessionBounds(changed);
        return new BrokerConfig(changed, sources);
    }

    /** The same config with a setting changed while the broker runs, at the level {@code source} names. */
    BrokerConfig withDynamic(String name, String value, String source) {
        Map<String, String> changedSources = new LinkedHashMap<>(sources);
        changedSources.put(name, source);
        SortedMap<String, String> changed = new TreeMap<>(values);
        changed.put(name, checked(name, value));
        return new BrokerConfig(changed, changedSources);
    }

    /** A setting's value as the broker keeps it (durations in milliseconds), or why it is refused. */
    public static String checked(String name, String value) {
        Setting setting = setting(name);
        String text = value == null ? null : value.trim();
        if (text == null || !setting.accepts().test(text)) {
            throw new InvalidConfigurationException("invalid value '" + text + "' for " + name + ": it " + setting.rule());
        }
        return inMillis(setting, text);
    }

    /** A setting's default, as the broker keeps it. */
    public static String defaultOf(String name) {
        Setting setting = setting(name);
        return inMillis(setting, setting.defaultValue());
    }

    public String get(String name) {
        return values.get(setting(name).name());
    }

    /** Where each setting's value came from: a flag, the environment, the properties file or the default. */
    public String sourceOf(String name) {
        return sources.get(setting(name).name());
    }

    public Path dataDir() {
        return Path.of(get(DATA_DIR));
    }

    /** Whether the broker keeps its topics in memory only (storage=memory), writing nothing to disk. */
    public boolean storageInMemory() {
        return get(STORAGE).equals("memory");
    }

    public String host() {
        return get(HOST);
    }

    public int httpPort() {
        return Integer.parseInt(get(HTTP_PORT));
    }

    /** The port for Kafka's protocol; 0 lets the listener pick a free one. */
    public int kafkaPort() {
        return Integer.parseInt(get(KAFKA_PORT));
    }

    /** The host Metadata names for this broker: advertised.host, or the listen host when that is empty. */
    public String advertisedHost() {
        String advertised = get(ADVERTISED_HOST);
        return advertised.isEmpty() ? host() : advertised;
    }

    /** The port Metadata names for this broker: advertised.port, or {@code boundPort} when that is 0. */
    public int advertisedPort(int boundPort) {
        int advertised = Integer.parseInt(get(ADVERTISED_PORT));
        return advertised == 0 ? boundPort : advertised;
    }

    public long connectionsMaxIdleMs() {
        return Long.parseLong(get(CONNECTIONS_MAX_IDLE_MS));
    }

    public long consumerInstanceTimeoutMs() {
        return Long.parseLong(get(CONSUMER_INSTANCE_TIMEOUT_MS));
    }

    public int consumerInstancesMax() {
        return Integer.parseInt(get(CONSUMER_INSTANCES_MAX));
    }

    public long httpIdleTimeoutMs() {
        return Long.parseLong(get(IDLE_TIMEOUT_MS));
    }

    /** The origins, besides the broker's own, whose web pages may use the broker: comma-separated, maybe empty. */
    public String httpAllowedOrigins() {
        return get(HTTP_ALLOWED_ORIGINS);
    }

    public int nodeId() {
        return Integer.parseInt(get(NODE_ID));
    }

    /**
     * The cluster id the settings ask for, or empty to take the one the data directory holds. The broker's
     * own is {@link Broker#clusterId()}.
     */
    public Optional<String> clusterId() {
        String id = get(CLUSTER_ID);
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    public boolean autoCreateTopics() {
        return Boolean.parseBoolean(get(AUTO_CREATE_TOPICS));
    }

    public int numPartitions() {
        return Integer.parseInt(get(NUM_PARTITIONS));
    }

    public long retentionCheckIntervalMs() {
        return Long.parseLong(get(RETENTION_CHECK_INTERVAL_MS));
    }

    public long sessionTimeoutMs() {
        return Long.parseLong(get(SESSION_TIMEOUT_MS));
    }

    public long groupInitialRebalanceDelayMs() {
        return Long.parseLong(get(GROUP_INITIAL_REBALANCE_DELAY_MS));
    }

    public long groupMinSessionTimeoutMs() {
        return Long.parseLong(get(GROUP_MIN_SESSION_TIMEOUT_MS));
    }

    public long groupMaxSessionTimeoutMs() {
        return Long.parseLong(get(GROUP_MAX_SESSION_TIMEOUT_MS));
    }

    public int groupMaxSize() {
        return Integer.parseInt(get(GROUP_MAX_SIZE));
    }

    public long offsetsRetentionMinutes() {
        return Long.parseLong(get(OFFSETS_RETENTION_MINUTES));
    }

    public int requestMaxBytes() {
        return Integer.parseInt(get(REQUEST_MAX_BYTES));
    }

    public long queuedMaxRequestBytes() {
        return Long.parseLong(get(QUEUED_MAX_REQUEST_BYTES));
    }

    public int maxConnections() {
        return Integer.parseInt(get(MAX_CONNECTIONS));
    }

    public int maxConnectionsPerIp() {
        return Integer.parseInt(get(MAX_CONNECTIONS_PER_IP));
    }

    /** Hosts whose connections have their own bound: host to count, in the order given. */
    public Map<String, Integer> maxConnectionsPerIpOverrides() {
        Map<String, Integer> overrides = new LinkedHashMap<>();
        String text = get(MAX_CONNECTIONS_PER_IP_OVERRIDES);
        if (!text.isEmpty()) {
            for (String entry : text.split(",")) {
                int colon = entry.trim().lastIndexOf(':');
                overrides.put(entry.trim().substring(0, colon), Integer.parseInt(entry.trim().substring(colon + 1)));
            }
        }
        return overrides;
    }

    public long requestArrivalTimeoutMs() {
        return Long.parseLong(get(REQUEST_ARRIVAL_TIMEOUT_MS));
    }

    /** The file descriptors to keep within; 0 for the process's own limit. */
    public int fileDescriptorLimit() {
        return Integer.parseInt(get(FILE_DESCRIPTOR_LIMIT));
    }

    /** The most segment files open at once, besides each partition's active log. */
    public int logOpenFilesMax() {
        return Integer.parseInt(get(LOG_OPEN_FILES_MAX));
    }

    public long statsIntervalMs() {
        return Long.parseLong(get(STATS_INTERVAL_MS));
    }

    public int offsetsTopicSegmentBytes() {
        return Integer.parseInt(get(OFFSETS_SEGMENT_BYTES));
    }

    public boolean cleanerEnabled() {
        return Boolean.parseBoolean(get(CLEANER_ENABLE));
    }

    public long cleanerBackoffMs() {
        return Long.parseLong(get(CLEANER_BACKOFF_MS));
    }

    public int cleanerDedupeBufferSize() {
        return Integer.parseInt(get(CLEANER_DEDUPE_BUFFER_SIZE));
    }

    /**
     * The broker setting a topic config key inherits from, as Kafka names it ({@code log.retention.ms} for
     * {@code retention.ms}), or null when the broker sets no default of its own for that key.
     */
    public static String brokerSettingOf(String topicKey) {
        return switch (topicKey) {
            case TopicConfig.RETENTION_MS -> RETENTION_MS;
            case TopicConfig.FLUSH_MESSAGES -> FLUSH_MESSAGES;
            case TopicConfig.FLUSH_MS -> FLUSH_MS;
            default -> null;
        };
    }

    /**
     * What every topic inherits where it sets nothing itself: the broker's log.* settings that differ from
     * Kafka's topic defaults, as topic config keys and values.
     */
    public Map<String, String> topicDefaults() {
        Map<String, String> defaults = new TreeMap<>();
        if (!get(RETENTION_MS).equals(TopicConfig.keys().get(TopicConfig.RETENTION_MS).defaultValue())) {
            defaults.put(TopicConfig.RETENTION_MS, get(RETENTION_MS));
        }
        if (!get(FLUSH_MESSAGES).equals("none")) {
            defaults.put(TopicConfig.FLUSH_MESSAGES, get(FLUSH_MESSAGES));
        }
        if (!get(FLUSH_MS).equals("none")) {
            defaults.put(TopicConfig.FLUSH_MS, get(FLUSH_MS));
        }
        return defaults;
    }

    /** Every setting with its value, for the banner the broker prints when it starts. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        values.forEach((name, value) -> lines.add(name + "=" + value + " (" + sources.get(name) + ")"));
        return lines;
    }

    @Override
    public String toString() {
        return "BrokerConfig" + values;
    }
}
