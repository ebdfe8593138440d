package toykafka.broker.config;

import static toykafka.broker.config.SettingRules.inMillis;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.broker.group.base.ConsumerGroupMigrationPolicy;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.security.StandardAuthorizer;
import toykafka.common.InvalidConfigurationException;

/**
 * The broker's settings, each under the name Kafka (or its REST Proxy) gives it. A setting comes from a
 * command-line flag, else an environment variable, else a properties file, else its default: the order
 * MiniKafka and most servers use, so a one-off flag beats what a deployment set. The forms a value may take
 * (whole numbers, durations) are {@link SettingRules}'.
 */
public final class BrokerConfig {

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
    public static final String AUTHENTICATION_METHOD = "authentication.method";
    public static final String AUTHENTICATION_REALM = "authentication.realm";
    public static final String NODE_ID = "node.id";
    public static final String CLUSTER_ID = "cluster.id";
    public static final String AUTO_CREATE_TOPICS = "auto.create.topics.enable";
    public static final String AUTHORIZER_CLASS_NAME = "authorizer.class.name";
    public static final String SUPER_USERS = StandardAuthorizer.SUPER_USERS_CONFIG;
    public static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND =
            StandardAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG;
    /** The authorizer's settings, not Kafka's broker's: its DescribeConfigs shows them only when given. */
    public static final List<String> AUTHORIZER_OWN = List.of(SUPER_USERS, ALLOW_EVERYONE_IF_NO_ACL_FOUND);
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
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";
    public static final String GROUP_CONSUMER_MAX_SIZE = "group.consumer.max.size";
    public static final String GROUP_CONSUMER_MIGRATION_POLICY = ConsumerGroupMigrationPolicy.SETTING;
    public static final String GROUP_STREAMS_HEARTBEAT_INTERVAL_MS = "group.streams.heartbeat.interval.ms";
    public static final String GROUP_STREAMS_SESSION_TIMEOUT_MS = "group.streams.session.timeout.ms";
    public static final String GROUP_SHARE_HEARTBEAT_INTERVAL_MS = "group.share.heartbeat.interval.ms";
    public static final String GROUP_SHARE_SESSION_TIMEOUT_MS = "group.share.session.timeout.ms";
    public static final String GROUP_SHARE_MAX_SHARE_SESSIONS = "group.share.max.share.sessions";
    public static final String DEAD_LETTER_AUTO_CREATE = "errors.deadletterqueue.auto.create.topics.enable";
    public static final String DEAD_LETTER_TOPIC_PREFIX = "errors.deadletterqueue.topic.name.prefix";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTION_ABORT_INTERVAL_MS = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String GROUP_COORDINATOR_MEMORY_MAX_BYTES = GroupConfig.MEMORY_MAX_BYTES;
    public static final String REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
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
    public static final String QUOTA_WINDOW_NUM = "quota.window.num";
    public static final String QUOTA_WINDOW_SIZE_SECONDS = "quota.window.size.seconds";

    // tag::dynamic[]
    /**
     * The settings that change while the broker runs, at this broker's own level or the cluster default:
     * those of Kafka's dynamic broker configs this broker has. Every other setting is read once, at start.
     */
    public static final List<String> DYNAMIC = List.of(RETENTION_MS, FLUSH_MESSAGES, FLUSH_MS, MAX_CONNECTIONS,
            MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP_OVERRIDES, CLEANER_BACKOFF_MS, CLEANER_DEDUPE_BUFFER_SIZE);
    // end::dynamic[]

    /** Every setting, in the order {@code --help} lists them: {@link BrokerConfigTable}'s list. */
    private static final List<Setting> SETTINGS = BrokerConfigTable.ALL;

    private final SortedMap<String, String> values;
    private final Map<String, String> sources;
    /** The TLS and listener.name.* settings: kept apart, never listed or printed, as they hold secrets. */
    private final ListenerSettings perListener;

    private BrokerConfig(SortedMap<String, String> values, Map<String, String> sources, ListenerSettings perListener) {
        this.values = Collections.unmodifiableSortedMap(values);
        this.sources = Collections.unmodifiableMap(sources);
        this.perListener = perListener;
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
        ListenerSettings perListener = new ListenerSettings(); // a flag beats the file for these too
        file.stringPropertyNames().stream().filter(key -> !perListener.keep(key, file.getProperty(key)))
                .forEach(BrokerConfig::setting);
        flags.keySet().stream().filter(name -> !perListener.keep(name, flags.get(name))).forEach(BrokerConfig::setting);
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
        SessionBounds.check(values);
        BrokerConfig config = new BrokerConfig(values, sources, perListener);
        ListenerEndpoints.of(config); // a malformed listener is refused now, before anything starts
        return config;
    }

    /** Reads a properties file, naming the file when it cannot. */
    public static Properties readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
            throw new InvalidConfigurationException("cannot read the broker's properties file " + file + ": "
                    + e.getMessage());
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
        SessionBounds.check(changed);
        return new BrokerConfig(changed, sources, perListener);
    }

    /** The same config with a setting changed while the broker runs, at the level {@code source} names. */
    BrokerConfig withDynamic(String name, String value, String source) {
        Map<String, String> changedSources = new LinkedHashMap<>(sources);
        changedSources.put(name, source);
        SortedMap<String, String> changed = new TreeMap<>(values);
        changed.put(name, checked(name, value));
        return new BrokerConfig(changed, changedSources, perListener);
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

    // a setting's value read as its type, as Kafka's AbstractConfig reads one: the table already refused any other

    private int getInt(String name) {
        return Integer.parseInt(get(name));
    }

    private long getLong(String name) {
        return Long.parseLong(get(name));
    }

    private boolean getBoolean(String name) {
        return Boolean.parseBoolean(get(name));
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
        return getInt(HTTP_PORT);
    }

    /** The port for Kafka's protocol; 0 lets the listener pick a free one. */
    public int kafkaPort() {
        return getInt(KAFKA_PORT);
    }

    /**
     * A setting of one listener, as Kafka reads it: {@code listener.name.<listener>.<setting>} when set, else the
     * broker-wide {@code <setting>} when {@code fallBack} is a setting of the table, else null.
     */
    public String listenerSetting(String listenerName, String setting, boolean fallBack) {
        String own = perListener.own(listenerName, setting);
        return own != null || !fallBack ? own : get(setting);
    }

    /**
     * A listener's settings of one family ({@code ssl.}), Kafka's way: {@code listener.name.<listener>.<setting>}
     * where given, else the broker-wide setting.
     */
    public Map<String, String> listenerSettings(String listenerName, String family) {
        return perListener.family(listenerName, family);
    }

    /** The host Metadata names for this broker: advertised.host, or the listen host when that is empty. */
    public String advertisedHost() {
        String advertised = get(ADVERTISED_HOST);
        return advertised.isEmpty() ? host() : advertised;
    }

    /** The port Metadata names for this broker: advertised.port, or {@code boundPort} when that is 0. */
    public int advertisedPort(int boundPort) {
        int advertised = getInt(ADVERTISED_PORT);
        return advertised == 0 ? boundPort : advertised;
    }

    public long connectionsMaxIdleMs() {
        return getLong(CONNECTIONS_MAX_IDLE_MS);
    }

    public long consumerInstanceTimeoutMs() {
        return getLong(CONSUMER_INSTANCE_TIMEOUT_MS);
    }

    public int consumerInstancesMax() {
        return getInt(CONSUMER_INSTANCES_MAX);
    }

    public long httpIdleTimeoutMs() {
        return getLong(IDLE_TIMEOUT_MS);
    }

    /** The origins, besides the broker's own, whose web pages may use the broker: comma-separated, maybe empty. */
    public String httpAllowedOrigins() {
        return get(HTTP_ALLOWED_ORIGINS);
    }

    public int nodeId() {
        return getInt(NODE_ID);
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
        return getBoolean(AUTO_CREATE_TOPICS);
    }

    public int numPartitions() {
        return getInt(NUM_PARTITIONS);
    }

    public int transactionMaxTimeoutMs() {
        return getInt(TRANSACTION_MAX_TIMEOUT_MS);
    }

    public long transactionAbortIntervalMs() {
        return getLong(TRANSACTION_ABORT_INTERVAL_MS);
    }

    public long transactionalIdExpirationMs() {
        return getLong(TRANSACTIONAL_ID_EXPIRATION_MS);
    }

    public long retentionCheckIntervalMs() {
        return getLong(RETENTION_CHECK_INTERVAL_MS);
    }

    public long sessionTimeoutMs() {
        return getLong(SESSION_TIMEOUT_MS);
    }

    public long groupInitialRebalanceDelayMs() {
        return getLong(GROUP_INITIAL_REBALANCE_DELAY_MS);
    }

    public long groupMinSessionTimeoutMs() {
        return getLong(GROUP_MIN_SESSION_TIMEOUT_MS);
    }

    public long groupMaxSessionTimeoutMs() {
        return getLong(GROUP_MAX_SESSION_TIMEOUT_MS);
    }

    public int groupMaxSize() {
        return getInt(GROUP_MAX_SIZE);
    }

    public long offsetsRetentionMinutes() {
        return getLong(OFFSETS_RETENTION_MINUTES);
    }

    /**
     * The group coordinator's settings. REST Proxy's consumer instances join with session.timeout.ms, so the
     * session timeouts a group allows always include it, whatever the bounds for Kafka's consumers say.
     */
    public GroupConfig groupConfig() {
        long session = sessionTimeoutMs();
        return new GroupConfig(Duration.ofMillis(groupInitialRebalanceDelayMs()),
                Duration.ofMillis(Math.min(session, groupMinSessionTimeoutMs())),
                Duration.ofMillis(Math.max(Math.min(session, Integer.MAX_VALUE), groupMaxSessionTimeoutMs())),
                groupMaxSize(), Duration.ofMinutes(offsetsRetentionMinutes()), groupCoordinatorMemoryMaxBytes(),
                Duration.ofMillis(offsetsRetentionCheckIntervalMs()), consumerGroupConfig());
    }

    /** The settings of Kafka 4's consumer groups. */
    public ConsumerGroupConfig consumerGroupConfig() {
        return new ConsumerGroupConfig(Duration.ofMillis(getLong(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS)),
                Duration.ofMillis(getLong(GROUP_CONSUMER_SESSION_TIMEOUT_MS)),
                Arrays.stream(get(GROUP_CONSUMER_ASSIGNORS).split(",")).map(String::trim).toList(),
                getInt(GROUP_CONSUMER_MAX_SIZE),
                ConsumerGroupMigrationPolicy.parse(get(GROUP_CONSUMER_MIGRATION_POLICY)));
    }

    /** How often a member of a streams group heartbeats, unless its group config says otherwise. */
    public int groupStreamsHeartbeatIntervalMs() {
        return getInt(GROUP_STREAMS_HEARTBEAT_INTERVAL_MS);
    }

    /** How long a member of a streams group may stay silent, unless its group config says otherwise. */
    public int groupStreamsSessionTimeoutMs() {
        return getInt(GROUP_STREAMS_SESSION_TIMEOUT_MS);
    }

    /** How often a member of a share group heartbeats, unless its group config says otherwise. */
    public int groupShareHeartbeatIntervalMs() {
        return getInt(GROUP_SHARE_HEARTBEAT_INTERVAL_MS);
    }

    /** How long a member of a share group may stay silent, unless its group config says otherwise. */
    public int groupShareSessionTimeoutMs() {
        return getInt(GROUP_SHARE_SESSION_TIMEOUT_MS);
    }

    /** How many share sessions may be open at once, in all share groups together. */
    public int groupShareMaxShareSessions() {
        return getInt(GROUP_SHARE_MAX_SHARE_SESSIONS);
    }

    /** Whether a share group's dead-letter topic is created when it is first written to. */
    public boolean deadLetterAutoCreate() {
        return getBoolean(DEAD_LETTER_AUTO_CREATE);
    }

    /** The prefix every share group's dead-letter topic must have; empty for any name. */
    public String deadLetterTopicPrefix() {
        return get(DEAD_LETTER_TOPIC_PREFIX);
    }

    public long offsetsRetentionCheckIntervalMs() {
        return getLong(OFFSETS_RETENTION_CHECK_INTERVAL_MS);
    }

    /** The most heap, estimated, every group's committed offsets may take together. */
    public long groupCoordinatorMemoryMaxBytes() {
        return getLong(GROUP_COORDINATOR_MEMORY_MAX_BYTES);
    }

    /** The longest metadata string a commit may carry, in characters as Kafka counts them. */
    public int offsetMetadataMaxChars() {
        return getInt(OFFSET_METADATA_MAX_BYTES);
    }

    public int requestMaxBytes() {
        return getInt(REQUEST_MAX_BYTES);
    }

    public long queuedMaxRequestBytes() {
        return getLong(QUEUED_MAX_REQUEST_BYTES);
    }

    /** SO_SNDBUF of each connection on the Kafka listener, or -1 for the system's own (which it grows as it likes). */
    public int socketSendBufferBytes() {
        return getInt(SOCKET_SEND_BUFFER_BYTES);
    }

    /** SO_RCVBUF of each connection on the Kafka listener, or -1 for the system's own. */
    public int socketReceiveBufferBytes() {
        return getInt(SOCKET_RECEIVE_BUFFER_BYTES);
    }

    public int maxConnections() {
        return getInt(MAX_CONNECTIONS);
    }

    public int maxConnectionsPerIp() {
        return getInt(MAX_CONNECTIONS_PER_IP);
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
        return getLong(REQUEST_ARRIVAL_TIMEOUT_MS);
    }

    /** The file descriptors to keep within; 0 for the process's own limit. */
    public int fileDescriptorLimit() {
        return getInt(FILE_DESCRIPTOR_LIMIT);
    }

    /** The most segment files open at once, besides each partition's active log. */
    public int logOpenFilesMax() {
        return getInt(LOG_OPEN_FILES_MAX);
    }

    public long statsIntervalMs() {
        return getLong(STATS_INTERVAL_MS);
    }

    public int offsetsTopicSegmentBytes() {
        return getInt(OFFSETS_SEGMENT_BYTES);
    }

    public boolean cleanerEnabled() {
        return getBoolean(CLEANER_ENABLE);
    }

    public long cleanerBackoffMs() {
        return getLong(CLEANER_BACKOFF_MS);
    }

    public int cleanerDedupeBufferSize() {
        return getInt(CLEANER_DEDUPE_BUFFER_SIZE);
    }

    /** The windows a client's rate is measured over, and the length of each, for its quota. */
    public int quotaWindowNum() {
        return getInt(QUOTA_WINDOW_NUM);
    }

    public int quotaWindowSizeSeconds() {
        return getInt(QUOTA_WINDOW_SIZE_SECONDS);
    }

    /** What every topic inherits where it sets nothing itself ({@link TopicInheritance}). */
    public Map<String, String> topicDefaults() {
        return TopicInheritance.defaultsOf(this);
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
