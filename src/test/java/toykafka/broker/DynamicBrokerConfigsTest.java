package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.DynamicBrokerConfigs.Level;
import toykafka.broker.config.DynamicBrokerConfigs.Source;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;

/**
 * The settings that change while the broker runs, at this broker's level and the cluster default: which win,
 * what is refused, what the topics inherit at once, and what a restart finds in the data directory.
 */
class DynamicBrokerConfigsTest {

    @TempDir
    Path dataDir;

    private BrokerConfig config(Map<String, String> settings) {
        return BrokerConfig.of(settings).with(BrokerConfig.DATA_DIR, dataDir).with(BrokerConfig.STATS_INTERVAL_MS, 0);
    }

    private Broker start() {
        return Broker.start(config(Map.of(BrokerConfig.RETENTION_MS, "86400000")));
    }

    @Test
    void the_brokers_own_level_beats_the_cluster_default_which_beats_the_start() {
        try (Broker broker = start()) {
            DynamicBrokerConfigs dynamic = broker.dynamicConfigs();
            dynamic.alter(Level.CLUSTER_DEFAULT, Map.of(BrokerConfig.RETENTION_MS, "3600000"), Set.of(), false, false);
            assertEquals("3600000", broker.config().get(BrokerConfig.RETENTION_MS));
            dynamic.alter(Level.BROKER, Map.of(BrokerConfig.RETENTION_MS, "60000"), Set.of(), false, false);
            assertEquals("60000", broker.config().get(BrokerConfig.RETENTION_MS));
            assertEquals(List.of(Source.DYNAMIC_BROKER_CONFIG + " 60000", Source.DYNAMIC_DEFAULT_BROKER_CONFIG + " 3600000",
                    Source.STATIC_BROKER_CONFIG + " 86400000", Source.DEFAULT_CONFIG + " 604800000"),
                    dynamic.synonyms(BrokerConfig.RETENTION_MS).stream().map(s -> s.source() + " " + s.value()).toList());

            dynamic.alter(Level.BROKER, Map.of(), Set.of(BrokerConfig.RETENTION_MS), false, false);
            assertEquals("3600000", broker.config().get(BrokerConfig.RETENTION_MS), "deleted: the level below again");
            assertEquals(Source.DYNAMIC_DEFAULT_BROKER_CONFIG, dynamic.sourceOf(BrokerConfig.RETENTION_MS));
            assertEquals("86400000", dynamic.startup().get(BrokerConfig.RETENTION_MS), "the start's value is kept");
        }
    }

    @Test
    void a_topic_that_sets_nothing_inherits_the_change_at_once_and_one_that_sets_its_own_keeps_it() {
        try (Broker broker = start()) {
            broker.createTopic("inherits", 1, Map.of(), OnDuplicate.FAIL);
            broker.createTopic("own", 1, Map.of(TopicConfig.RETENTION_MS, "7200000"), OnDuplicate.FAIL);
            broker.dynamicConfigs().alter(Level.BROKER, Map.of(BrokerConfig.RETENTION_MS, "60000",
                    BrokerConfig.FLUSH_MESSAGES, "1"), Set.of(), false, false);

            Broker.TopicInfo inherits = broker.describeTopic("inherits");
            assertEquals("60000", inherits.config().get(TopicConfig.RETENTION_MS));
            assertEquals("1", inherits.config().get(TopicConfig.FLUSH_MESSAGES));
            assertEquals(Map.of(), inherits.overrides(), "nothing is stored on the topic");
            assertEquals("7200000", broker.describeTopic("own").config().get(TopicConfig.RETENTION_MS));
            broker.createTopic("later", 1, Map.of(), OnDuplicate.FAIL);
            assertEquals("60000", broker.describeTopic("later").config().get(TopicConfig.RETENTION_MS));
        }
    }

    @Test
    void a_restart_finds_both_levels_in_the_data_directory() throws IOException {
        try (Broker broker = start()) {
            broker.dynamicConfigs().alter(Level.CLUSTER_DEFAULT, Map.of(BrokerConfig.MAX_CONNECTIONS_PER_IP, "50"),
                    Set.of(), false, false);
            broker.dynamicConfigs().alter(Level.BROKER, Map.of(BrokerConfig.CLEANER_BACKOFF_MS, "2s"), Set.of(), false,
                    false);
        }
        String file = Files.readString(dataDir.resolve(DynamicBrokerConfigs.FILE));
        assertTrue(file.contains("cluster.default.max.connections.per.ip=50\n"), file);
        assertTrue(file.contains("broker.1.log.cleaner.backoff.ms=2000\n"), "kept in milliseconds: " + file);
        try (Broker again = start()) {
            assertEquals(50, again.config().maxConnectionsPerIp());
            assertEquals(2000, again.config().cleanerBackoffMs());
            assertEquals(Map.of(BrokerConfig.MAX_CONNECTIONS_PER_IP, "50"),
                    again.dynamicConfigs().at(Level.CLUSTER_DEFAULT));
            assertTrue(again.config().sourceOf(BrokerConfig.CLEANER_BACKOFF_MS).startsWith("dynamic broker config"),
                    again.config().sourceOf(BrokerConfig.CLEANER_BACKOFF_MS));
        }
    }

    @Test
    void a_static_an_unknown_or_a_bad_setting_is_refused_and_nothing_changes() {
        try (Broker broker = start()) {
            DynamicBrokerConfigs dynamic = broker.dynamicConfigs();
            InvalidRequestException fixed = assertThrows(InvalidRequestException.class, () -> dynamic.alter(Level.BROKER,
                    Map.of(BrokerConfig.RETENTION_MS, "60000", BrokerConfig.NUM_PARTITIONS, "3"), Set.of(), false, false));
            assertTrue(fixed.getMessage().startsWith("Cannot update these configs dynamically: [num.partitions]"),
                    fixed.getMessage());
            assertTrue(fixed.getMessage().contains("--num-partitions"), "says where it is set: " + fixed.getMessage());
            InvalidRequestException unknown = assertThrows(InvalidRequestException.class, () -> dynamic.alter(
                    Level.CLUSTER_DEFAULT, Map.of("log.retention.hours", "1"), Set.of(), false, false));
            assertTrue(unknown.getMessage().contains("log.retention.hours") && unknown.getMessage().contains(
                    BrokerConfig.RETENTION_MS), "names the ones there are: " + unknown.getMessage());
            InvalidRequestException bad = assertThrows(InvalidRequestException.class, () -> dynamic.alter(Level.BROKER,
                    Map.of(BrokerConfig.CLEANER_DEDUPE_BUFFER_SIZE, "100"), Set.of(), false, false));
            assertTrue(bad.getMessage().contains("from 1024"), "names the valid range: " + bad.getMessage());
            assertThrows(InvalidRequestException.class, () -> dynamic.alter(Level.BROKER,
                    Map.of(BrokerConfig.MAX_CONNECTIONS_PER_IP_OVERRIDES, "no-such-host.invalid:5"), Set.of(), false, false));

            dynamic.alter(Level.BROKER, Map.of(BrokerConfig.RETENTION_MS, "60000"), Set.of(), false, true);
            assertEquals("86400000", broker.config().get(BrokerConfig.RETENTION_MS), "validate only changes nothing");
            assertEquals(Map.of(), dynamic.at(Level.BROKER));
            assertFalse(Files.exists(dataDir.resolve(DynamicBrokerConfigs.FILE)), "nothing was written");
        }
    }

    @Test
    void kafkas_sasl_listener_settings_are_kept_at_the_brokers_own_level_checked_and_inert() throws IOException {
        String relogin = "sasl.kerberos.min.time.before.relogin";
        try (Broker broker = start()) {
            DynamicBrokerConfigs dynamic = broker.dynamicConfigs();
            BrokerConfig before = broker.config();
            dynamic.alter(Level.BROKER, Map.of(relogin, "58000"), Set.of(), false, false);
            assertEquals(Map.of(relogin, "58000"), dynamic.at(Level.BROKER));
            assertEquals(List.of("DYNAMIC_BROKER_CONFIG 58000", "DEFAULT_CONFIG 60000"),
                    dynamic.synonyms(relogin).stream().map(s -> s.source() + " " + s.value()).toList());
            assertEquals(before.get(BrokerConfig.RETENTION_MS), broker.config().get(BrokerConfig.RETENTION_MS));

            InvalidRequestException clusterWide = assertThrows(InvalidRequestException.class, () -> dynamic.alter(
                    Level.CLUSTER_DEFAULT, Map.of(relogin, "58000"), Set.of(), false, false));
            assertTrue(clusterWide.getMessage().startsWith("Cannot update these configs at default cluster level, broker"
                    + " id must be specified: [" + relogin + "]"), clusterWide.getMessage());
            InvalidRequestException notANumber = assertThrows(InvalidRequestException.class, () -> dynamic.alter(
                    Level.BROKER, Map.of(relogin, "soon"), Set.of(), false, false));
            assertTrue(notANumber.getMessage().contains("soon") && notANumber.getMessage().contains("whole number"),
                    notANumber.getMessage());
            InvalidRequestException outOfRange = assertThrows(InvalidRequestException.class, () -> dynamic.alter(
                    Level.BROKER, Map.of("sasl.login.refresh.window.factor", "2"), Set.of(), false, false));
            assertTrue(outOfRange.getMessage().contains("from 0.5 to 1.0"), "names the range: " + outOfRange.getMessage());
            assertEquals(Map.of(relogin, "58000"), dynamic.at(Level.BROKER), "the refusals changed nothing");
        }
        try (Broker again = start()) {
            assertEquals(Map.of(relogin, "58000"), again.dynamicConfigs().at(Level.BROKER), "kept across a restart");
            again.dynamicConfigs().alter(Level.BROKER, Map.of(), Set.of(relogin), false, false);
            assertEquals(Map.of(), again.dynamicConfigs().at(Level.BROKER));
        }
    }

    @Test
    void replacing_a_level_whole_puts_back_what_it_leaves_out() {
        try (Broker broker = start()) {
            DynamicBrokerConfigs dynamic = broker.dynamicConfigs();
            dynamic.alter(Level.BROKER, Map.of(BrokerConfig.RETENTION_MS, "60000", BrokerConfig.MAX_CONNECTIONS, "10"),
                    Set.of(), false, false);
            dynamic.alter(Level.BROKER, Map.of(BrokerConfig.MAX_CONNECTIONS, "20"), Set.of(), true, false);
            assertEquals(Map.of(BrokerConfig.MAX_CONNECTIONS, "20"), dynamic.at(Level.BROKER));
            assertEquals("86400000", broker.config().get(BrokerConfig.RETENTION_MS));
        }
    }

    @Test
    void a_file_edited_by_hand_with_a_static_setting_or_a_stranger_line_stops_the_start_naming_it() throws IOException {
        Path file = dataDir.resolve(DynamicBrokerConfigs.FILE);
        Files.createDirectories(dataDir);
        Files.writeString(file, "broker.1.num.partitions=3\n");
        InvalidConfigurationException fixed = assertThrows(InvalidConfigurationException.class, this::start);
        assertTrue(fixed.getMessage().contains(file.toString()) && fixed.getMessage().contains("num.partitions"),
                fixed.getMessage());
        Files.writeString(file, "broker.2.log.retention.ms=1000\n");
        InvalidConfigurationException stranger = assertThrows(InvalidConfigurationException.class, this::start);
        assertTrue(stranger.getMessage().contains("broker.2.log.retention.ms"), stranger.getMessage());
        Files.writeString(file, "cluster.default.log.retention.ms=soon\n");
        InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class, this::start);
        assertTrue(bad.getMessage().contains("soon"), bad.getMessage());
        Files.writeString(file, "cluster.default.log.retention.ms=1000\ncluster.default.log.retention.ms=2000\n");
        InvalidConfigurationException twice = assertThrows(InvalidConfigurationException.class, this::start);
        assertTrue(twice.getMessage().contains(file.toString()) && twice.getMessage().contains("twice")
                && twice.getMessage().contains("1000") && twice.getMessage().contains("2000"), twice.getMessage());
        Files.writeString(file, "cluster.default.log.retention.ms=1000\\u00zz\n");
        InvalidConfigurationException escape = assertThrows(InvalidConfigurationException.class, this::start);
        assertTrue(escape.getMessage().contains(file.toString()), escape.getMessage());
    }

    @Test
    void in_memory_the_changes_hold_until_the_broker_stops_and_nothing_is_written() {
        try (Broker broker = Broker.start(config(Map.of(BrokerConfig.STORAGE, "memory")))) {
            broker.dynamicConfigs().alter(Level.BROKER, Map.of(BrokerConfig.MAX_CONNECTIONS, "10"), Set.of(), false,
                    false);
            assertEquals(10, broker.config().maxConnections());
        }
        assertFalse(Files.exists(dataDir.resolve(DynamicBrokerConfigs.FILE)));
    }

    @Test
    void every_listener_is_told_the_settings_in_force_after_a_change() {
        try (Broker broker = start()) {
            List<Integer> told = new ArrayList<>();
            broker.dynamicConfigs().whenChanged(config -> told.add(config.maxConnections()));
            broker.dynamicConfigs().alter(Level.CLUSTER_DEFAULT, Map.of(BrokerConfig.MAX_CONNECTIONS, "10"), Set.of(),
                    false, false);
            broker.dynamicConfigs().alter(Level.CLUSTER_DEFAULT, Map.of(BrokerConfig.MAX_CONNECTIONS, "20"), Set.of(),
                    false, true);
            assertEquals(List.of(10), told, "a validation alone tells no one");
        }
    }
}
