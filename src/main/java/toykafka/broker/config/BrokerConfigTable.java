package toykafka.broker.config;

import static toykafka.broker.config.BrokerConfig.*;
import static toykafka.broker.config.ListenerEndpoints.ADVERTISED_LISTENERS;
import static toykafka.broker.config.ListenerEndpoints.CONNECTIONS_MAX_REAUTH_MS;
import static toykafka.broker.config.ListenerEndpoints.CONNECTION_FAILED_AUTHENTICATION_DELAY_MS;
import static toykafka.broker.config.ListenerEndpoints.LISTENERS;
import static toykafka.broker.config.ListenerEndpoints.LISTENER_SECURITY_PROTOCOL_MAP;
import static toykafka.broker.config.ListenerEndpoints.SASL_ENABLED_MECHANISMS;
import static toykafka.broker.config.SettingRules.DURATION;
import static toykafka.broker.config.SettingRules.SOCKET_BUFFER_RANGE;
import static toykafka.broker.config.SettingRules.duration;
import static toykafka.broker.config.SettingRules.heartbeatBelow;
import static toykafka.broker.config.SettingRules.millis;
import static toykafka.broker.config.SettingRules.socketBuffer;
import static toykafka.broker.config.SettingRules.trueOrFalse;
import static toykafka.broker.config.SettingRules.whole;

import java.util.Arrays;
import java.util.List;
import toykafka.broker.config.Setting;
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.broker.group.base.ConsumerGroupMigrationPolicy;
import toykafka.broker.security.StandardAuthorizer;
import toykafka.common.ConfigRange;

/**
 * Every setting the broker reads, one line each: its name, Kafka's name for it, its environment variable, its
 * default, the values it takes and what it does. {@link BrokerConfig} resolves them.
 */
final class BrokerConfigTable {

    /** A commit's record must fit one batch of __consumer_offsets (1 MiB), 3 bytes a character at most. */
    static final int MAX_METADATA_CHARS = 256 * 1024;

    // tag::settings[]
    static final List<Setting> ALL = List.of(
            new Setting(DATA_DIR, "log.dirs", "TOYKAFKA_DATA_DIR", "data/generated/broker", text -> !text.isBlank(),
                    "must be a directory path", "where topics, committed offsets and the archive live"),
            new Setting(STORAGE, "(none: Kafka's logs are always files; MiniKafka's memory mode)", "TOYKAFKA_STORAGE",
                    "file", text -> text.equals("file") || text.equals("memory"), "must be file (topics in the data"
                    + " directory) or memory (nothing written to disk, nothing kept after a restart)",
                    "where topics live: file, in the data directory; or memory, gone when the broker stops"),
            new Setting(HOST, "listeners (its host)", "TOYKAFKA_HOST", "127.0.0.1", text -> !text.isBlank(),
                    "must be a host name or address", "the address to listen on: loopback unless told otherwise"),
            new Setting(HTTP_PORT, "REST Proxy listeners (port 8082)", "TOYKAFKA_HTTP_PORT", "8082",
                    whole("a port", 0, 65535).noting("(0 picks a free one)"), "the HTTP port"),
            new Setting(KAFKA_PORT, "listeners (its port)", "TOYKAFKA_KAFKA_PORT", "9092",
                    whole("a port", 0, 65535).noting("(0 picks a free one)"), "the port that speaks Kafka's protocol"),
            new Setting(ADVERTISED_HOST, "advertised.listeners (its host)", "TOYKAFKA_ADVERTISED_HOST", "",
                    text -> text.chars().noneMatch(Character::isWhitespace) && !text.matches(".*[^:]:\\d+"),
                    "must be a host name or address without a port (that is advertised.port), an IPv6 address in"
                    + " brackets, or empty for the host setting",
                    "the host Metadata tells Kafka clients to connect to; empty: the host setting"),
            new Setting(ADVERTISED_PORT, "advertised.listeners (its port)", "TOYKAFKA_ADVERTISED_PORT", "0",
                    ConfigRange.whole(0, 65535), "must be a port from 1 to 65535, or 0 for the port the Kafka listener bound",
                    "the port Metadata tells Kafka clients to connect to; 0: the port the listener bound"),
            new Setting(LISTENERS, LISTENERS, "TOYKAFKA_LISTENERS", "", ListenerEndpoints::wellFormed,
                    "must be listeners separated by commas, each NAME://host:port (PLAINTEXT://127.0.0.1:9092,"
                    + "SASL_PLAINTEXT://127.0.0.1:9093), or empty for one PLAINTEXT listener on host and kafka.port",
                    "the listeners that speak Kafka's protocol, each a name (its security protocol by"
                    + " listener.security.protocol.map), a host and a port; empty: one PLAINTEXT listener on host and"
                    + " kafka.port, advertised as advertised.host and advertised.port say"),
            new Setting(ADVERTISED_LISTENERS, ADVERTISED_LISTENERS, "TOYKAFKA_ADVERTISED_LISTENERS", "",
                    ListenerEndpoints::wellFormed, "must be listeners separated by commas, each NAME://host:port with a"
                    + " name of listeners (port 0: the port that listener bound), or empty for the listeners themselves",
                    "where Metadata tells a client that came in on each listener to connect; a listener not named here"
                    + " is advertised as it listens"),
            new Setting(LISTENER_SECURITY_PROTOCOL_MAP, LISTENER_SECURITY_PROTOCOL_MAP,
                    "TOYKAFKA_LISTENER_SECURITY_PROTOCOL_MAP", ListenerEndpoints.DEFAULT_SECURITY_PROTOCOL_MAP,
                    ListenerEndpoints::wellFormedMap, "must be NAME:PROTOCOL pairs separated by commas, each protocol"
                    + " one of " + String.join(", ", ListenerEndpoints.SECURITY_PROTOCOLS),
                    "the security protocol of each listener name (Kafka's default: each protocol's own name)"),
            new Setting(SASL_ENABLED_MECHANISMS, SASL_ENABLED_MECHANISMS, "TOYKAFKA_SASL_ENABLED_MECHANISMS", "GSSAPI",
                    text -> text.matches("[A-Za-z0-9_-]+(\\s*,\\s*[A-Za-z0-9_-]+)*"),
                    "must be SASL mechanism names separated by commas",
                    "the SASL mechanisms a SASL_PLAINTEXT listener serves, unless its listener.name.<listener>"
                    + ".sasl.enabled.mechanisms says otherwise: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (Kafka's default,"
                    + " GSSAPI, is not served: a SASL listener must name its own)"),
            new Setting(CONNECTION_FAILED_AUTHENTICATION_DELAY_MS, CONNECTION_FAILED_AUTHENTICATION_DELAY_MS,
                    "TOYKAFKA_CONNECTION_FAILED_AUTHENTICATION_DELAY_MS", "100", millis(0, Integer.MAX_VALUE),
                    "how long the answer to a failed SASL authentication, and the close after it, wait, so a client"
                    + " guessing passwords guesses slowly; the broker serves others meanwhile (0: at once)"),
            new Setting(CONNECTIONS_MAX_REAUTH_MS, CONNECTIONS_MAX_REAUTH_MS, "TOYKAFKA_CONNECTIONS_MAX_REAUTH_MS", "0",
                    millis(0, Long.MAX_VALUE),
                    "how long a SASL login lasts (KIP-368): a client re-authenticates before it ends, and a connection"
                    + " past it is closed at its next request (0: for ever)"),
            new Setting(CONNECTIONS_MAX_IDLE_MS, CONNECTIONS_MAX_IDLE_MS, "TOYKAFKA_CONNECTIONS_MAX_IDLE_MS", "600000",
                    millis(1, Long.MAX_VALUE),
                    "how long a Kafka client's connection may stay silent before the broker closes it"),
            new Setting(CONSUMER_INSTANCE_TIMEOUT_MS, "REST Proxy's consumer.instance.timeout.ms",
                    "TOYKAFKA_CONSUMER_INSTANCE_TIMEOUT_MS", "300000", millis(1, Integer.MAX_VALUE),
                    "how long a REST consumer instance may go without a call before the broker deletes it (and its"
                    + " group rebalances without it)"),
            new Setting(CONSUMER_INSTANCES_MAX, "(none: each REST Proxy instance holds what its heap allows)",
                    "TOYKAFKA_CONSUMER_INSTANCES_MAX", "1000", whole("a whole number", 1, Integer.MAX_VALUE),
                    "the most REST consumer instances the broker holds at once, in all groups together; more are"
                    + " refused with 429 until some are deleted or time out (group.max.size bounds one group)"),
            new Setting(IDLE_TIMEOUT_MS, "REST Proxy's idle.timeout.ms", "TOYKAFKA_IDLE_TIMEOUT_MS", "30000",
                    millis(1, Long.MAX_VALUE),
                    "how long an HTTP connection may stay silent, within a request or between requests, before the"
                    + " broker closes it (a long poll waiting for records is not silence)"),
            new Setting(HTTP_ALLOWED_ORIGINS, "REST Proxy's access.control.allow.origin", "TOYKAFKA_HTTP_ALLOWED_ORIGINS",
                    "", text -> text.isEmpty() || Arrays.stream(text.split(",", -1)).map(String::trim)
                            .allMatch(origin -> origin.matches("https?://[^/\\s,]+")),
                    "must be origins separated by commas, each a scheme, host and port as a browser sends them"
                    + " (http://localhost:3000), or empty for none",
                    "the web pages, besides the broker's own, that a browser may let use the broker; any other"
                    + " page's requests are refused (empty: none)"),
            new Setting(AUTHENTICATION_METHOD, "REST Proxy's authentication.method", "TOYKAFKA_AUTHENTICATION_METHOD",
                    "NONE", text -> text.equals("NONE") || text.equals("BASIC"), "must be NONE or BASIC",
                    "how the HTTP port knows who asks: NONE, anyone (User:ANONYMOUS to the authorizer); BASIC, HTTP"
                    + " Basic authentication as a SASL user of the Kafka port (a PLAIN user of a listener's JAAS line"
                    + " or a SCRAM credential), refused 401 without one"),
            new Setting(AUTHENTICATION_REALM, "REST Proxy's authentication.realm", "TOYKAFKA_AUTHENTICATION_REALM",
                    "KafkaRest", text -> !text.isBlank() && text.chars().noneMatch(c -> c == '"' || c == '\\' || c < 32),
                    "must be a name without quotes, backslashes or control characters",
                    "the realm a 401 names in WWW-Authenticate, which a browser shows when it asks for credentials"),
            new Setting(NODE_ID, NODE_ID, "TOYKAFKA_NODE_ID", "1", whole("a whole number", 0, Integer.MAX_VALUE),
                    "this broker's id in Metadata, stored in the data directory's meta.properties"),
            new Setting(CLUSTER_ID, CLUSTER_ID, "TOYKAFKA_CLUSTER_ID", "", text -> text.isEmpty()
                    || MetaProperties.isClusterId(text), "must be 22 characters of URL-safe base64 (16 bytes, as"
                    + " kafka-storage random-uuid prints), or empty for the one stored in the data directory",
                    "the cluster's id, stored in the data directory's meta.properties; empty: the stored one, or a"
                    + " new random one in a new data directory"),
            new Setting(AUTHORIZER_CLASS_NAME, AUTHORIZER_CLASS_NAME, "TOYKAFKA_AUTHORIZER_CLASS_NAME", "",
                    text -> text.isEmpty() || text.equals(StandardAuthorizer.CLASS_NAME), "must be empty (no"
                    + " authorizer: everyone may do everything) or " + StandardAuthorizer.CLASS_NAME + ", Kafka's"
                    + " StandardAuthorizer, the one authorizer this broker has",
                    "the fully qualified name of a class that implements Kafka's Authorizer interface, which the"
                    + " broker uses for authorization; empty: none, and the ACL APIs answer SECURITY_DISABLED"),
            new Setting(SUPER_USERS, SUPER_USERS, "TOYKAFKA_SUPER_USERS", "", SettingRules::principals,
                    "must be principals written Type:name (User:admin), separated by semicolons",
                    "the principals the authorizer allows everything, whatever the ACLs say (User:admin;User:ops)"),
            new Setting(ALLOW_EVERYONE_IF_NO_ACL_FOUND, ALLOW_EVERYONE_IF_NO_ACL_FOUND,
                    "TOYKAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false", trueOrFalse(),
                    "whether the authorizer allows everyone to act on a resource that no ACL covers at all (an ACL"
                    + " for anyone on it, and only those ACLs decide)"),
            new Setting(AUTO_CREATE_TOPICS, AUTO_CREATE_TOPICS, "TOYKAFKA_AUTO_CREATE_TOPICS_ENABLE", "true",
                    trueOrFalse(), "whether producing to an unknown topic creates it"),
            new Setting(NUM_PARTITIONS, NUM_PARTITIONS, "TOYKAFKA_NUM_PARTITIONS", "1",
                    whole("a whole number", 1, 1000), "partitions of a topic created without a count"),
            new Setting(RETENTION_MS, RETENTION_MS, "TOYKAFKA_RETENTION_MS", "604800000", duration(-1, Long.MAX_VALUE),
                    DURATION + ", or -1 to keep records forever",
                    "retention.ms of topics that do not set their own"),
            new Setting(RETENTION_CHECK_INTERVAL_MS, RETENTION_CHECK_INTERVAL_MS,
                    "TOYKAFKA_RETENTION_CHECK_INTERVAL_MS", "300000", millis(1, Long.MAX_VALUE),
                    "how often retention deletes expired segments, archiving their records first"),
            new Setting(FLUSH_MESSAGES, FLUSH_MESSAGES, "TOYKAFKA_FLUSH_MESSAGES", "none",
                    text -> text.equals("1") || text.equals("none"),
                    "must be 1 (fsync before every acknowledgement) or none (leave it to the OS and flush.ms)",
                    "flush.messages of topics that do not set their own"),
            new Setting(FLUSH_MS, FLUSH_MS, "TOYKAFKA_FLUSH_MS", "none", text -> text.equals("none")
                    || duration(1, Long.MAX_VALUE).test(text), DURATION + ", 1 or more ms, or none",
                    "flush.ms of topics that do not set their own"),
            new Setting(SESSION_TIMEOUT_MS, SESSION_TIMEOUT_MS, "TOYKAFKA_SESSION_TIMEOUT_MS", "45000",
                    millis(1, Long.MAX_VALUE),
                    "the session of a REST consumer instance in its group: the broker heartbeats for each live"
                    + " instance, and a group drops one it has not heard of for this long"),
            new Setting(GROUP_INITIAL_REBALANCE_DELAY_MS, GROUP_INITIAL_REBALANCE_DELAY_MS,
                    "TOYKAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0", millis(0, Integer.MAX_VALUE),
                    "how long an empty group's first rebalance waits for more members (Kafka's default is 3000; 0"
                    + " here, so a REST consumer is assigned as it subscribes)"),
            new Setting(GROUP_MIN_SESSION_TIMEOUT_MS, GROUP_MIN_SESSION_TIMEOUT_MS,
                    "TOYKAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "6000", millis(1, Integer.MAX_VALUE),
                    "the shortest session timeout a Kafka consumer may ask for"),
            new Setting(GROUP_MAX_SESSION_TIMEOUT_MS, GROUP_MAX_SESSION_TIMEOUT_MS,
                    "TOYKAFKA_GROUP_MAX_SESSION_TIMEOUT_MS", "1800000", millis(1, Integer.MAX_VALUE),
                    "the longest session timeout a Kafka consumer may ask for"),
            new Setting(GROUP_MAX_SIZE, GROUP_MAX_SIZE, "TOYKAFKA_GROUP_MAX_SIZE", String.valueOf(Integer.MAX_VALUE),
                    whole("a whole number", 1, Integer.MAX_VALUE),
                    "the most members (and REST consumer instances) a group may have; more are refused with"
                    + " GROUP_MAX_SIZE_REACHED. Ids handed out and not yet used to join do not count (Kafka's"
                    + " default: no limit)"),
            new Setting(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
                    "TOYKAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS", "5000",
                    heartbeatBelow(GROUP_CONSUMER_SESSION_TIMEOUT_MS),
                    "how often a member of a consumer group of Kafka 4's protocol"
                    + " heartbeats: the broker tells it, and its own heartbeat.interval.ms is refused (5 s, as Kafka's)"),
            new Setting(GROUP_CONSUMER_SESSION_TIMEOUT_MS, GROUP_CONSUMER_SESSION_TIMEOUT_MS,
                    "TOYKAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS", "45000", millis(1, Integer.MAX_VALUE),
                    "how long a member of a consumer group of Kafka 4's protocol may stay silent before it is"
                    + " fenced and its partitions go to the others (45 s, as Kafka's)"),
            new Setting(GROUP_CONSUMER_ASSIGNORS, GROUP_CONSUMER_ASSIGNORS, "TOYKAFKA_GROUP_CONSUMER_ASSIGNORS",
                    "uniform,range", SettingRules.namesFrom(ConsumerGroupConfig.KNOWN_ASSIGNORS),
                    "must be one or more of " + String.join(", ", ConsumerGroupConfig.KNOWN_ASSIGNORS)
                    + ", separated by commas", "the server-side assignors a consumer group's members may ask for"
                    + " with group.remote.assignor; the first is used when none asks (uniform, then range, as Kafka's)"),
            new Setting(GROUP_CONSUMER_MAX_SIZE, GROUP_CONSUMER_MAX_SIZE, "TOYKAFKA_GROUP_CONSUMER_MAX_SIZE",
                    String.valueOf(Integer.MAX_VALUE), whole("a whole number", 1, Integer.MAX_VALUE),
                    "the most members a consumer group of Kafka 4's protocol may have; more are"
                    + " refused with GROUP_MAX_SIZE_REACHED (Kafka's default: no limit)"),
            new Setting(GROUP_CONSUMER_MIGRATION_POLICY, GROUP_CONSUMER_MIGRATION_POLICY,
                    "TOYKAFKA_GROUP_CONSUMER_MIGRATION_POLICY", "bidirectional",
                    new SettingRules.Rule(SettingRules.oneOf(ConsumerGroupMigrationPolicy.names()), "must be one of "
                            + String.join(", ", ConsumerGroupMigrationPolicy.names()) + ", in any case"),
                    "whether a busy group changes type member by member: upgrade turns a classic group into a"
                    + " consumer group when a member of the new protocol joins, downgrade turns it back when the last"
                    + " one leaves; a consumer group with members takes classic members in unless disabled, as Kafka"
                    + " 4.4's does (bidirectional, as Kafka's)"),
            new Setting(GROUP_STREAMS_HEARTBEAT_INTERVAL_MS, GROUP_STREAMS_HEARTBEAT_INTERVAL_MS,
                    "TOYKAFKA_GROUP_STREAMS_HEARTBEAT_INTERVAL_MS", "5000",
                    heartbeatBelow(GROUP_STREAMS_SESSION_TIMEOUT_MS),
                    "how often a member of a streams group (Kafka Streams on"
                    + " KIP-1071's protocol) heartbeats, unless the group's streams.heartbeat.interval.ms says otherwise"
                    + " (5 s, as Kafka's)"),
            new Setting(GROUP_STREAMS_SESSION_TIMEOUT_MS, GROUP_STREAMS_SESSION_TIMEOUT_MS,
                    "TOYKAFKA_GROUP_STREAMS_SESSION_TIMEOUT_MS", "45000", millis(1, Integer.MAX_VALUE),
                    "how long a member of a streams group may stay silent before it is fenced and its tasks go to the"
                    + " others, unless the group's streams.session.timeout.ms says otherwise (45 s, as Kafka's)"),
            new Setting(GROUP_SHARE_HEARTBEAT_INTERVAL_MS, GROUP_SHARE_HEARTBEAT_INTERVAL_MS,
                    "TOYKAFKA_GROUP_SHARE_HEARTBEAT_INTERVAL_MS", "5000",
                    heartbeatBelow(GROUP_SHARE_SESSION_TIMEOUT_MS),
                    "how often a member of a share group heartbeats, unless the"
                    + " group's share.heartbeat.interval.ms says otherwise (5 s, as Kafka's)"),
            new Setting(GROUP_SHARE_SESSION_TIMEOUT_MS, GROUP_SHARE_SESSION_TIMEOUT_MS,
                    "TOYKAFKA_GROUP_SHARE_SESSION_TIMEOUT_MS", "45000", millis(1, Integer.MAX_VALUE),
                    "how long a member of a share group may stay silent before it is fenced, unless the group's"
                    + " share.session.timeout.ms says otherwise (45 s, as Kafka's)"),
            new Setting(GROUP_SHARE_MAX_SHARE_SESSIONS, GROUP_SHARE_MAX_SHARE_SESSIONS,
                    "TOYKAFKA_GROUP_SHARE_MAX_SHARE_SESSIONS", "2000", whole("a whole number", 200, Integer.MAX_VALUE)
                    .noting("(Kafka's floor: a full share group, group.share.max.size=200 members, a session each)"),
                    "how many share sessions (one per share consumer fetching) may be open at once; another is"
                    + " refused with SHARE_SESSION_LIMIT_REACHED until one closes (2000, as Kafka's)"),
            new Setting(DEAD_LETTER_AUTO_CREATE, DEAD_LETTER_AUTO_CREATE,
                    "TOYKAFKA_ERRORS_DEADLETTERQUEUE_AUTO_CREATE_TOPICS_ENABLE", "false",
                    trueOrFalse(),
                    "whether a share group's dead-letter topic (its errors.deadletterqueue.topic.name) is created when"
                    + " a record is first set aside for it; if not, it must be made first, with"
                    + " errors.deadletterqueue.group.enable=true (false, as Kafka's)"),
            new Setting(DEAD_LETTER_TOPIC_PREFIX, DEAD_LETTER_TOPIC_PREFIX,
                    "TOYKAFKA_ERRORS_DEADLETTERQUEUE_TOPIC_NAME_PREFIX", "dlq.",
                    text -> text.matches("[a-zA-Z0-9._-]{0,249}"), "must be empty or the start of a topic name: up to"
                    + " 249 letters, digits, '.', '_' and '-'",
                    "the prefix every share group's dead-letter topic must have; empty for any name (dlq., as"
                    + " Kafka's)"),
            new Setting(TRANSACTION_MAX_TIMEOUT_MS, TRANSACTION_MAX_TIMEOUT_MS, "TOYKAFKA_TRANSACTION_MAX_TIMEOUT_MS",
                    "900000", millis(1, Integer.MAX_VALUE),
                    "the longest transaction.timeout.ms a transactional producer may ask for; more is refused with"
                    + " INVALID_TRANSACTION_TIMEOUT (15 minutes, as Kafka's)"),
            new Setting(TRANSACTION_ABORT_INTERVAL_MS, TRANSACTION_ABORT_INTERVAL_MS,
                    "TOYKAFKA_TRANSACTION_ABORT_INTERVAL_MS", "10000", millis(1, Integer.MAX_VALUE),
                    "how often the transaction coordinator aborts the transactions open longer than their timeout"
                    + " (10 s, as Kafka's)"),
            new Setting(TRANSACTIONAL_ID_EXPIRATION_MS, TRANSACTIONAL_ID_EXPIRATION_MS,
                    "TOYKAFKA_TRANSACTIONAL_ID_EXPIRATION_MS", "604800000", millis(1, Integer.MAX_VALUE),
                    "how long a transactional id with no transaction under way is remembered; then the coordinator"
                    + " forgets it, checking as often as it looks for timed-out transactions (7 days, as Kafka's)"),
            new Setting(OFFSETS_RETENTION_MINUTES, OFFSETS_RETENTION_MINUTES, "TOYKAFKA_OFFSETS_RETENTION_MINUTES",
                    "10080", whole("a whole number of minutes", 1, Integer.MAX_VALUE),
                    "how long a group with no members keeps its committed offsets before they"
                    + " are deleted (7 days, as Kafka's)"),
            new Setting(OFFSETS_RETENTION_CHECK_INTERVAL_MS, OFFSETS_RETENTION_CHECK_INTERVAL_MS,
                    "TOYKAFKA_OFFSETS_RETENTION_CHECK_INTERVAL_MS", "600000", millis(1, Integer.MAX_VALUE),
                    "how often the coordinator deletes the offsets whose retention ran out and drops the groups"
                    + " left with no member and no offset (10 minutes, as Kafka's)"),
            new Setting(GROUP_COORDINATOR_MEMORY_MAX_BYTES, "(none: Kafka bounds its offsets by its heap alone)",
                    "TOYKAFKA_GROUP_COORDINATOR_MEMORY_MAX_BYTES", "268435456",
                    whole("a whole number of bytes", 1, Long.MAX_VALUE),
                    "the most heap every group's committed offsets and"
                    + " members may take together, estimated (256 MiB); a commit that would add more is refused with"
                    + " INVALID_COMMIT_OFFSET_SIZE and a join with GROUP_MAX_SIZE_REACHED, so the offsets always fit"
                    + " in the heap again at start; no one client address, client id, group or transactional id may"
                    + " hold more than half of it"),
            new Setting(OFFSET_METADATA_MAX_BYTES, OFFSET_METADATA_MAX_BYTES, "TOYKAFKA_OFFSET_METADATA_MAX_BYTES",
                    "4096", whole("a whole number of characters", 0, MAX_METADATA_CHARS),
                    "the longest metadata string a commit may keep beside an offset; a longer"
                    + " one is refused with OFFSET_METADATA_TOO_LARGE. Counted in characters, as Kafka counts it"),
            new Setting(REQUEST_MAX_BYTES, REQUEST_MAX_BYTES, "TOYKAFKA_REQUEST_MAX_BYTES", "104857600",
                    whole("a whole number of bytes", 1, Integer.MAX_VALUE),
                    "the largest request the broker reads: a Kafka frame, or an HTTP body (100 MiB, Kafka's default)"),
            new Setting(QUEUED_MAX_REQUEST_BYTES, QUEUED_MAX_REQUEST_BYTES, "TOYKAFKA_QUEUED_MAX_REQUEST_BYTES",
                    "104857600", whole("a whole number of bytes", 1, Long.MAX_VALUE),
                    "the most memory each listener holds for requests still arriving or not yet answered; past it,"
                    + " the Kafka listener stops reading until answers free some, and the HTTP listener answers 503"
                    + " (100 MiB; Kafka's default is no bound)"),
            new Setting(SOCKET_SEND_BUFFER_BYTES, SOCKET_SEND_BUFFER_BYTES, "TOYKAFKA_SOCKET_SEND_BUFFER_BYTES", "102400",
                    socketBuffer(), SOCKET_BUFFER_RANGE,
                    "the send buffer (SO_SNDBUF) of each connection on the Kafka listener, or -1 for the system's own"
                    + " (100 KiB, Kafka's default: a fetch's bytes leave in pieces the client copies while they are"
                    + " still in the processor's cache, about a fifth faster over loopback than the system's own)"),
            new Setting(SOCKET_RECEIVE_BUFFER_BYTES, SOCKET_RECEIVE_BUFFER_BYTES, "TOYKAFKA_SOCKET_RECEIVE_BUFFER_BYTES",
                    "102400", socketBuffer(), SOCKET_BUFFER_RANGE,
                    "the receive buffer (SO_RCVBUF) of each connection on the Kafka listener, or -1 for the system's"
                    + " own (100 KiB, Kafka's default)"),
            new Setting(MAX_CONNECTIONS, MAX_CONNECTIONS, "TOYKAFKA_MAX_CONNECTIONS", "1000",
                    whole("a whole number", 1, Integer.MAX_VALUE),
                    "the most client connections open at once on each listener; more wait to be accepted on HTTP,"
                    + " and are closed as they arrive on Kafka's (each takes a file descriptor, so 1000 leaves room"
                    + " for the logs' files under the usual ulimit -n; Kafka's default is no limit)"),
            new Setting(MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP, "TOYKAFKA_MAX_CONNECTIONS_PER_IP", "500",
                    whole("a whole number", 1, Integer.MAX_VALUE),
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
                    "TOYKAFKA_REQUEST_ARRIVAL_TIMEOUT_MS", "10000", millis(1, Long.MAX_VALUE),
                    "how long a request may take to arrive whole on the Kafka listener where it keeps others out: a new"
                    + " connection's first request (every Kafka client sends ApiVersions at once), and a large request"
                    + " holding memory other requests wait for; past it the connection is closed"),
            new Setting(FILE_DESCRIPTOR_LIMIT, "(none: Kafka asks for ulimit -n of 100,000 or more)",
                    "TOYKAFKA_FILE_DESCRIPTOR_LIMIT", "0", ConfigRange.whole(0, Integer.MAX_VALUE),
                    "must be a whole number of file descriptors, or 0 for the process's limit (ulimit -n)",
                    "the file descriptors the broker keeps within: a create or a partition increase that would need"
                    + " more than are free, after 2 x max.connections + 100 kept for connections, is refused;"
                    + " 0: the process's limit"),
            new Setting(LOG_OPEN_FILES_MAX, "(none: Kafka keeps every segment's .log open and maps its indexes)",
                    "TOYKAFKA_LOG_OPEN_FILES_MAX", "1000", ConfigRange.whole(3, Integer.MAX_VALUE),
                    "must be a whole number of files, 3 (one segment's) or more",
                    "the most segment files (.log, .index, .timeindex) open at once besides each partition's active"
                    + " .log: the least recently used is closed, and opened again when next read"),
            new Setting(STATS_INTERVAL_MS, "(Kaf's _kaf log)", "TOYKAFKA_STATS_INTERVAL_MS", "60000",
                    duration(0, Long.MAX_VALUE), DURATION + ", or 0 to turn statistics off",
                    "how often the broker appends its statistics to the topic " + "__broker_stats"),
            new Setting(OFFSETS_SEGMENT_BYTES, OFFSETS_SEGMENT_BYTES, "TOYKAFKA_OFFSETS_TOPIC_SEGMENT_BYTES", "1048576",
                    whole("a whole number of bytes", 100, Integer.MAX_VALUE),
                    "segment.bytes of __consumer_offsets, whose sealed segments the cleaner compacts (Kafka's: 100 MiB)"),
            new Setting(CLEANER_ENABLE, CLEANER_ENABLE, "TOYKAFKA_LOG_CLEANER_ENABLE", "true",
                    trueOrFalse(), "whether a cleaner thread compacts topics with cleanup.policy=compact"),
            new Setting(CLEANER_BACKOFF_MS, CLEANER_BACKOFF_MS, "TOYKAFKA_LOG_CLEANER_BACKOFF_MS", "15000",
                    millis(1, Long.MAX_VALUE), "how long the cleaner rests when no log is dirty enough to clean"),
            new Setting(CLEANER_DEDUPE_BUFFER_SIZE, CLEANER_DEDUPE_BUFFER_SIZE,
                    "TOYKAFKA_LOG_CLEANER_DEDUPE_BUFFER_SIZE", "16777216",
                    whole("a whole number of bytes", 1024, Integer.MAX_VALUE),
                    "the cleaner's memory for keys, 24 bytes a key (Kafka's default is 128 MiB;"
                    + " a log with more keys is cleaned in several passes)"),
            new Setting(QUOTA_WINDOW_NUM, QUOTA_WINDOW_NUM, "TOYKAFKA_QUOTA_WINDOW_NUM", "11",
                    whole("a whole number of windows", 1, Integer.MAX_VALUE),
                    "the windows a client's byte rate is measured over for its quota: 10 whole ones and the current"),
            new Setting(QUOTA_WINDOW_SIZE_SECONDS, QUOTA_WINDOW_SIZE_SECONDS, "TOYKAFKA_QUOTA_WINDOW_SIZE_SECONDS", "1",
                    whole("a whole number of seconds", 1, Integer.MAX_VALUE),
                    "how long each window a client's byte rate is measured over for its quota is"));
    // end::settings[]

    private BrokerConfigTable() {
    }
}
