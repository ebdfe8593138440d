package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.Setting;
import toykafka.broker.group.base.ConsumerGroupMigrationPolicy;
import toykafka.check.MessageFacts;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.TopicConfig;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerConfigTest {

    private static Properties file(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }

    @Test
    void a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
        Map<String, String> environment = Map.of("TOYKAFKA_RETENTION_MS", "2000", "TOYKAFKA_HTTP_PORT", "9001");
        Properties file = new Properties();
        file.setProperty("log.retention.ms", "3000");
        file.setProperty("http.port", "9002");
        file.setProperty("num.partitions", "4");

        BrokerConfig config = BrokerConfig.resolve(Map.of("log.retention.ms", "1000"), environment, file);

        assertEquals("1000", config.get("log.retention.ms"));
        assertEquals("flag --log-retention-ms", config.sourceOf("log.retention.ms"));
        assertEquals(9001, config.httpPort());
        assertEquals("environment TOYKAFKA_HTTP_PORT", config.sourceOf("http.port"));
        assertEquals(4, config.numPartitions());
        assertEquals("properties file", config.sourceOf("num.partitions"));
        assertEquals("127.0.0.1", config.host(), "loopback unless told otherwise");
        assertEquals("default", config.sourceOf("host"));
    }

    @Test
    void a_bad_value_is_refused_with_its_source_and_the_rule() {
        var refused = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.resolve(Map.of(), Map.of("TOYKAFKA_HTTP_PORT", "99999"), new Properties()));
        assertTrue(refused.getMessage().contains("environment TOYKAFKA_HTTP_PORT"), refused.getMessage());
        assertTrue(refused.getMessage().contains("0 to 65535"), refused.getMessage());
    }

    @Test
    void group_consumer_migration_policy_takes_kafkas_four_values_in_any_case_and_refuses_others_naming_them() {
        assertEquals(ConsumerGroupMigrationPolicy.BIDIRECTIONAL,
                BrokerConfig.of(Map.of()).consumerGroupConfig().migrationPolicy(), "Kafka's default");
        assertEquals(ConsumerGroupMigrationPolicy.DOWNGRADE, BrokerConfig.of(Map.of(
                "group.consumer.migration.policy", "DownGrade")).consumerGroupConfig().migrationPolicy());
        var refused = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.of(Map.of("group.consumer.migration.policy", "sideways")));
        assertTrue(refused.getMessage().contains("must be one of bidirectional, upgrade, downgrade, disabled"),
                refused.getMessage());
    }

    @Test
    void an_unknown_setting_is_refused_with_the_list_of_settings() {
        var refused = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.resolve(Map.of(), Map.of(), file("log.retention.hours", "1")));
        assertTrue(refused.getMessage().contains("log.retention.ms"), refused.getMessage());
    }

    @Test
    void the_log_settings_become_the_defaults_of_new_topics() {
        BrokerConfig config = BrokerConfig.of(Map.of("log.retention.ms", "60000", "log.flush.interval.messages", "1"));
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "60000", TopicConfig.FLUSH_MESSAGES, "1"), config.topicDefaults());
        assertEquals(Map.of(), BrokerConfig.of(Map.of()).topicDefaults(),
                "by default topics keep Kafka's own defaults: seven days, and fsync left to the operating system");
    }

    @Test
    void the_group_settings_carry_kafkas_names_and_defaults_and_the_session_bounds_must_form_a_range() {
        BrokerConfig config = BrokerConfig.of(Map.of());
        assertEquals(6000, config.groupMinSessionTimeoutMs());
        assertEquals(1_800_000, config.groupMaxSessionTimeoutMs());
        assertEquals(0, config.groupInitialRebalanceDelayMs(), "REST consumer instances are assigned as they subscribe");
        var refused = assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "9000", BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "8000")));
        MessageFacts.assertMentions(refused, BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS,
                BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, 9000, 8000);
        assertThrows(InvalidConfigurationException.class,
                () -> config.with(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, 2_000_000), "with() checks the range too");
    }

    @Test
    void the_streams_and_share_group_sessions_carry_kafkas_names_and_defaults_and_come_from_the_environment() {
        BrokerConfig config = BrokerConfig.of(Map.of());
        assertEquals(45000, config.groupStreamsSessionTimeoutMs());
        assertEquals(5000, config.groupStreamsHeartbeatIntervalMs());
        assertEquals(45000, config.groupShareSessionTimeoutMs());
        assertEquals(5000, config.groupShareHeartbeatIntervalMs());
        assertEquals("group.streams.session.timeout.ms", BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS);
        assertEquals("group.share.heartbeat.interval.ms", BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS);

        BrokerConfig fast = BrokerConfig.resolve(Map.of(), Map.of("TOYKAFKA_GROUP_STREAMS_SESSION_TIMEOUT_MS", "6s",
                "TOYKAFKA_GROUP_STREAMS_HEARTBEAT_INTERVAL_MS", "1000", "TOYKAFKA_GROUP_SHARE_SESSION_TIMEOUT_MS", "7000",
                "TOYKAFKA_GROUP_SHARE_HEARTBEAT_INTERVAL_MS", "2000"), new Properties());
        assertEquals(6000, fast.groupStreamsSessionTimeoutMs());
        assertEquals(1000, fast.groupStreamsHeartbeatIntervalMs());
        assertEquals(7000, fast.groupShareSessionTimeoutMs());
        assertEquals(2000, fast.groupShareHeartbeatIntervalMs());
    }

    @Test
    void share_sessions_are_kafkas_2000_at_most_and_never_fewer_than_a_full_share_group_has_members() {
        assertEquals(2000, BrokerConfig.of(Map.of()).groupShareMaxShareSessions());
        assertEquals("group.share.max.share.sessions", BrokerConfig.GROUP_SHARE_MAX_SHARE_SESSIONS);
        assertEquals(200, BrokerConfig.of(Map.of(BrokerConfig.GROUP_SHARE_MAX_SHARE_SESSIONS, "200"))
                .groupShareMaxShareSessions());
        for (String bad : List.of("199", "0", "-1", "2147483648", "many")) {
            var refused = assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.of(Map.of(
                    BrokerConfig.GROUP_SHARE_MAX_SHARE_SESSIONS, bad)));
            MessageFacts.assertMentions(refused, BrokerConfig.GROUP_SHARE_MAX_SHARE_SESSIONS, bad, 200,
                    "group.share.max.size");
        }
    }

    @Test
    void a_group_session_or_heartbeat_out_of_range_is_refused_naming_the_setting_and_the_range() {
        for (String name : List.of(BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS,
                BrokerConfig.GROUP_STREAMS_HEARTBEAT_INTERVAL_MS, BrokerConfig.GROUP_SHARE_SESSION_TIMEOUT_MS,
                BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS)) {
            for (String bad : List.of("0", "-5", "2147483648", "soon")) {
                var refused = assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.of(Map.of(name, bad)));
                MessageFacts.assertMentions(refused, name, bad, 1, Integer.MAX_VALUE);
            }
        }
    }

    @Test
    void each_kind_of_groups_heartbeat_must_be_shorter_than_its_session_as_kafka_requires() {
        List<List<String>> pairs = List.of(
                List.of(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS),
                List.of(BrokerConfig.GROUP_STREAMS_HEARTBEAT_INTERVAL_MS, BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS),
                List.of(BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS, BrokerConfig.GROUP_SHARE_SESSION_TIMEOUT_MS));
        for (List<String> pair : pairs) {
            var equal = assertThrows(InvalidConfigurationException.class,
                    () -> BrokerConfig.of(Map.of(pair.get(0), "6000", pair.get(1), "6000")));
            MessageFacts.assertMentions(equal, pair.get(0), pair.get(1), 6000, 5999);
            var longer = assertThrows(InvalidConfigurationException.class,
                    () -> BrokerConfig.of(Map.of(pair.get(0), "50000")), "against the default session");
            MessageFacts.assertMentions(longer, pair.get(0), pair.get(1), 50000, 45000);
            assertThrows(InvalidConfigurationException.class,
                    () -> BrokerConfig.of(Map.of()).with(pair.get(1), 5000), "with() checks it too");
            assertEquals("5999", BrokerConfig.of(Map.of(pair.get(0), "5999", pair.get(1), "6000")).get(pair.get(0)));
        }
    }

    @Test
    void the_kafka_listener_settings_carry_kafkas_names_and_defaults() {
        BrokerConfig config = BrokerConfig.of(Map.of());
        assertEquals(9092, config.kafkaPort());
        assertEquals("127.0.0.1", config.advertisedHost(), "the listen host unless advertised.host is set");
        assertEquals(51234, config.advertisedPort(51234), "the bound port unless advertised.port is set");
        assertEquals(600_000, config.connectionsMaxIdleMs(), "Kafka's default: ten minutes");
        assertEquals(1, config.nodeId());
        assertEquals(Optional.empty(), config.clusterId(), "the data directory's, or a new one");
        for (String name : List.of(BrokerConfig.KAFKA_PORT, BrokerConfig.ADVERTISED_HOST, BrokerConfig.ADVERTISED_PORT,
                BrokerConfig.CONNECTIONS_MAX_IDLE_MS, BrokerConfig.NODE_ID, BrokerConfig.CLUSTER_ID)) {
            assertEquals("default", config.sourceOf(name), name);
        }
        assertEquals("listeners (its port)", setting(BrokerConfig.KAFKA_PORT).kafkaName());
        assertTrue(setting(BrokerConfig.ADVERTISED_HOST).kafkaName().startsWith("advertised.listeners"));
        assertEquals("--kafka-port", setting(BrokerConfig.KAFKA_PORT).flag());
        assertEquals("TOYKAFKA_KAFKA_PORT", setting(BrokerConfig.KAFKA_PORT).environment());
    }

    @Test
    void the_kafka_listener_settings_come_from_a_flag_the_environment_or_the_file() {
        Properties file = new Properties();
        file.setProperty(BrokerConfig.KAFKA_PORT, "9093");
        file.setProperty(BrokerConfig.ADVERTISED_HOST, "file.example");
        file.setProperty(BrokerConfig.NODE_ID, "4");
        Map<String, String> environment = Map.of("TOYKAFKA_KAFKA_PORT", "9094", "TOYKAFKA_ADVERTISED_PORT", "19092",
                "TOYKAFKA_CONNECTIONS_MAX_IDLE_MS", "1000");
        BrokerConfig config = BrokerConfig.resolve(Map.of(BrokerConfig.KAFKA_PORT, "0", BrokerConfig.ADVERTISED_HOST,
                "kafka.example"), environment, file);
        assertEquals(0, config.kafkaPort(), "a flag beats the environment and the file; 0 picks a free port");
        assertEquals("kafka.example", config.advertisedHost());
        assertEquals(19092, config.advertisedPort(51234));
        assertEquals(1000, config.connectionsMaxIdleMs());
        assertEquals(4, config.nodeId());
        assertEquals("properties file", config.sourceOf(BrokerConfig.NODE_ID));
    }

    @Test
    void a_bad_kafka_listener_value_is_refused_naming_the_range() {
        var port = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.of(Map.of(BrokerConfig.KAFKA_PORT, "70000")));
        MessageFacts.assertMentions(port, BrokerConfig.KAFKA_PORT, 70000, 0, 65535);
        var idle = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.of(Map.of(BrokerConfig.CONNECTIONS_MAX_IDLE_MS, "0")));
        MessageFacts.assertMentions(idle, BrokerConfig.CONNECTIONS_MAX_IDLE_MS, "1 or more");
        var node = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.of(Map.of(BrokerConfig.NODE_ID, "-1")));
        MessageFacts.assertMentions(node, BrokerConfig.NODE_ID, 0, Integer.MAX_VALUE);
        var host = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.of(Map.of(BrokerConfig.ADVERTISED_HOST, "kafka.example:9092")));
        MessageFacts.assertMentions(host, BrokerConfig.ADVERTISED_HOST, BrokerConfig.ADVERTISED_PORT);
        assertEquals("[::1]", BrokerConfig.of(Map.of(BrokerConfig.ADVERTISED_HOST, "[::1]")).advertisedHost());
        for (String buffer : List.of(BrokerConfig.SOCKET_SEND_BUFFER_BYTES, BrokerConfig.SOCKET_RECEIVE_BUFFER_BYTES)) {
            for (String bad : List.of("0", "-2", "a lot")) {
                var refused = assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.of(Map.of(buffer, bad)));
                MessageFacts.assertMentions(refused, buffer, bad, -1, Integer.MAX_VALUE);
            }
        }
    }

    @Test
    void the_socket_buffers_are_kafkas_100_kib_by_default_and_minus_one_leaves_them_to_the_system() {
        BrokerConfig defaults = BrokerConfig.of(Map.of());
        assertEquals(102_400, defaults.socketSendBufferBytes());
        assertEquals(102_400, defaults.socketReceiveBufferBytes());
        BrokerConfig system = BrokerConfig.of(Map.of(BrokerConfig.SOCKET_SEND_BUFFER_BYTES, "-1",
                BrokerConfig.SOCKET_RECEIVE_BUFFER_BYTES, "-1"));
        assertEquals(-1, system.socketSendBufferBytes());
        assertEquals(-1, system.socketReceiveBufferBytes());
        assertEquals("socket.send.buffer.bytes", setting(BrokerConfig.SOCKET_SEND_BUFFER_BYTES).kafkaName());
    }

    @Test
    void the_allowed_origins_come_from_a_flag_the_environment_or_the_file_and_must_be_origins() {
        assertEquals("", BrokerConfig.of(Map.of()).httpAllowedOrigins(), "no web page but the broker's own, by default");
        assertEquals("--http-allowed-origins", setting(BrokerConfig.HTTP_ALLOWED_ORIGINS).flag());
        Properties file = new Properties();
        file.setProperty(BrokerConfig.HTTP_ALLOWED_ORIGINS, "http://file.example");
        assertEquals("http://file.example", BrokerConfig.resolve(Map.of(), Map.of(), file).httpAllowedOrigins());
        BrokerConfig fromEnvironment = BrokerConfig.resolve(Map.of(), Map.of("TOYKAFKA_HTTP_ALLOWED_ORIGINS",
                "http://localhost:3000, https://shop.example"), file);
        assertEquals("http://localhost:3000, https://shop.example", fromEnvironment.httpAllowedOrigins());
        assertEquals("http://flag.example:8000", BrokerConfig.resolve(Map.of(BrokerConfig.HTTP_ALLOWED_ORIGINS,
                "http://flag.example:8000"), Map.of(), file).httpAllowedOrigins());
        var path = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.of(Map.of(BrokerConfig.HTTP_ALLOWED_ORIGINS, "http://shop.example/orders")));
        MessageFacts.assertMentions(path, BrokerConfig.HTTP_ALLOWED_ORIGINS, "http://localhost:3000");
        assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.of(Map.of(BrokerConfig.HTTP_ALLOWED_ORIGINS, "shop.example")), "an origin has a scheme");
    }

    private static Setting setting(String name) {
        return BrokerConfig.settings().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void every_setting_has_a_flag_an_environment_variable_a_kafka_name_and_a_valid_default() {
        for (Setting setting : BrokerConfig.settings()) {
            assertTrue(setting.flag().startsWith("--"), setting.name());
            assertTrue(setting.environment().startsWith("TOYKAFKA_"), setting.name());
            assertTrue(!setting.kafkaName().isBlank(), setting.name());
            assertTrue(setting.accepts().test(setting.defaultValue()), setting.name() + "'s default breaks its own rule");
        }
    }

    @Test
    void a_duration_takes_a_unit_from_the_environment_a_flag_or_the_file_and_a_bare_number_stays_milliseconds() {
        BrokerConfig config = BrokerConfig.resolve(Map.of("session.timeout.ms", "2m"),
                Map.of("TOYKAFKA_RETENTION_MS", "3s", "TOYKAFKA_STATS_INTERVAL_MS", "1500"),
                file("log.retention.check.interval.ms", "1h"));
        assertEquals("3000", config.get("log.retention.ms"), "MiniKafka's 3s");
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "3000"), config.topicDefaults(),
                "topics get Kafka's own form, milliseconds");
        assertEquals(120_000, config.sessionTimeoutMs());
        assertEquals(3_600_000, config.retentionCheckIntervalMs());
        assertEquals(1500, config.statsIntervalMs(), "a bare number is milliseconds, as Kafka's are");
        assertEquals("environment TOYKAFKA_RETENTION_MS: 3s", config.sourceOf("log.retention.ms"),
                "the banner shows what was typed");
        assertEquals("604800000", BrokerConfig.of(Map.of("log.retention.ms", "7d")).get("log.retention.ms"));
        assertEquals("250", BrokerConfig.of(Map.of("log.flush.interval.ms", "250ms")).get("log.flush.interval.ms"));
        assertEquals("-1", BrokerConfig.of(Map.of("log.retention.ms", "-1")).get("log.retention.ms"), "forever");
        assertEquals(5000, BrokerConfig.of(Map.of()).with("log.cleaner.backoff.ms", "5s").cleanerBackoffMs());
    }

    @Test
    void a_duration_that_is_not_one_is_refused_naming_the_accepted_forms() {
        for (String bad : List.of("3 weeks", "3sec", "-1s", "1.5s", "s", "106751991167301d")) {
            var refused = assertThrows(InvalidConfigurationException.class,
                    () -> BrokerConfig.resolve(Map.of(), Map.of("TOYKAFKA_RETENTION_MS", bad), new Properties()), bad);
            for (String form : List.of("ms", "3s", "5m", "2h", "7d", "milliseconds")) {
                assertTrue(refused.getMessage().contains(form), refused.getMessage());
            }
        }
        assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.of(Map.of("session.timeout.ms", "0s")),
                "1 or more ms");
        assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.of(Map.of("group.max.session.timeout.ms", "30d")), "past the int range");
    }

    @Test
    void storage_is_file_or_memory_from_a_flag_or_the_environment() {
        assertEquals("file", BrokerConfig.of(Map.of()).get(BrokerConfig.STORAGE));
        assertTrue(BrokerConfig.resolve(Map.of(), Map.of("TOYKAFKA_STORAGE", "memory"), new Properties()).storageInMemory());
        assertTrue(BrokerConfig.of(Map.of("storage", "memory")).storageInMemory());
        var refused = assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.of(Map.of("storage", "ram")));
        assertTrue(refused.getMessage().contains("file") && refused.getMessage().contains("memory"), refused.getMessage());
    }
}
