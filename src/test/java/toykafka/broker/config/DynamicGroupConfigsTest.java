package toykafka.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.streams.StreamsGroupSettings;
import toykafka.common.ApiException;
import toykafka.common.Errors;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DynamicGroupConfigsTest {

    @TempDir
    Path dataDir;

    private final DynamicBrokerConfigs broker = DynamicBrokerConfigs.inMemory(BrokerConfig.of(Map.of()));
    private final DynamicGroupConfigs configs = DynamicGroupConfigs.inMemory(broker);

    @Test
    void a_group_takes_the_brokers_settings_until_it_sets_its_own_and_a_group_that_does_not_exist_may_set_them() {
        assertEquals(new ConsumerGroupTimings.Timing(5000, 45000), configs.timingOf("kitchen"));

        configs.alter("kitchen", Map.of("consumer.session.timeout.ms", "50000", "consumer.heartbeat.interval.ms",
                " 6000 "), Set.of(), false, false);

        assertEquals(new ConsumerGroupTimings.Timing(6000, 50000), configs.timingOf("kitchen"));
        assertEquals(Map.of("consumer.session.timeout.ms", "50000", "consumer.heartbeat.interval.ms", "6000"),
                configs.of("kitchen"));
        assertEquals(Set.of("kitchen"), configs.groups());
        assertEquals(new ConsumerGroupTimings.Timing(5000, 45000), configs.timingOf("bar"));

        configs.alter("kitchen", Map.of(), Set.of("consumer.session.timeout.ms", "consumer.heartbeat.interval.ms"),
                false, false);
        assertEquals(Set.of(), configs.groups(), "a group with no configs left is no longer listed");
    }

    @Test
    void a_value_outside_the_brokers_bounds_is_refused_naming_the_config_and_its_range_and_nothing_changes() {
        assertRefused("consumer.session.timeout.ms must be in the range 45000 to 60000 inclusive.",
                Map.of("consumer.session.timeout.ms", "30000"));
        assertRefused("consumer.heartbeat.interval.ms must be in the range 5000 to 15000 inclusive.",
                Map.of("consumer.heartbeat.interval.ms", "20000"));
        assertRefused("share.record.lock.duration.ms must be in the range 15000 to 60000 inclusive.",
                Map.of("share.record.lock.duration.ms", "10000"));
        assertRefused("streams.num.standby.replicas must be less than or equal to 2",
                Map.of("streams.num.standby.replicas", "3"));
        assertRefused("streams.task.offset.interval.ms must be greater than or equal to 15000",
                Map.of("streams.task.offset.interval.ms", "1000"));
        assertRefused("Invalid value 0 for configuration consumer.session.timeout.ms: Value must be at least 1",
                Map.of("consumer.session.timeout.ms", "0"));
        assertRefused("Invalid value soon for configuration consumer.session.timeout.ms: Not a number of type INT",
                Map.of("consumer.session.timeout.ms", "soon"));
        assertRefused("Invalid value maybe for configuration share.renew.acknowledge.enable: Expected value to be"
                + " either true or false", Map.of("share.renew.acknowledge.enable", "maybe"));
        assertRefused("Invalid value all for configuration share.isolation.level: String must be one of:"
                + " read_committed, read_uncommitted", Map.of("share.isolation.level", "all"));
        assertRefused("streams.assignor.name 'greedy' is not a registered task assignor. Registered assignors are:"
                + " [sticky].", Map.of("streams.assignor.name", "greedy"));
        assertRefused("streams.rack.aware.assignment.tags must not contain duplicate tag keys.",
                Map.of("streams.rack.aware.assignment.tags", "zone,rack,zone"));
        assertRefused("errors.deadletterqueue.topic.name: DLQ topic name must not start with '__'",
                Map.of("errors.deadletterqueue.topic.name", "__dead"));
        assertEquals(Set.of(), configs.groups());
    }

    @Test
    void the_session_must_outlast_the_heartbeat_the_other_taken_from_the_broker_when_the_group_sets_one() {
        DynamicGroupConfigs fast = DynamicGroupConfigs.inMemory(DynamicBrokerConfigs.inMemory(BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "200", BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS,
                "6000"))));
        ApiException refused = assertThrows(ApiException.class, () -> fast.alter("kitchen",
                Map.of("consumer.heartbeat.interval.ms", "6000"), Set.of(), false, false), "the broker's session");
        assertEquals("consumer.session.timeout.ms must be greater than consumer.heartbeat.interval.ms",
                refused.getMessage());
        refused = assertThrows(ApiException.class, () -> fast.alter("kitchen", Map.of("consumer.heartbeat.interval.ms",
                "8000", "consumer.session.timeout.ms", "7000"), Set.of(), false, false), "the group's own heartbeat");
        assertEquals("consumer.session.timeout.ms must be greater than consumer.heartbeat.interval.ms",
                refused.getMessage());
        fast.alter("kitchen", Map.of("consumer.heartbeat.interval.ms", "5000"), Set.of(), false, false);
        assertEquals(new ConsumerGroupTimings.Timing(5000, 6000), fast.timingOf("kitchen"));
    }

    @Test
    void an_unknown_name_is_refused_in_kafkas_words_listing_the_group_configs() {
        ApiException refused = assertThrows(ApiException.class, () -> configs.alter("kitchen",
                Map.of("session.timeout.ms", "50000"), Set.of(), false, false));
        assertEquals(Errors.INVALID_CONFIG, refused.error());
        assertTrue(refused.getMessage().startsWith("Unknown group config name: session.timeout.ms."),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("consumer.session.timeout.ms"), refused.getMessage());
    }

    @Test
    void the_empty_group_name_is_refused_and_validate_only_changes_nothing() {
        ApiException refused = assertThrows(ApiException.class, () -> configs.alter("", Map.of(
                "consumer.session.timeout.ms", "50000"), Set.of(), false, false));
        assertEquals(Errors.INVALID_REQUEST, refused.error());
        assertEquals("Default group resources are not allowed.", refused.getMessage());

        configs.alter("kitchen", Map.of("consumer.session.timeout.ms", "50000"), Set.of(), false, true);
        assertEquals(Map.of(), configs.of("kitchen"));
    }

    @Test
    void replacing_the_whole_set_returns_every_config_left_out_to_its_default() {
        configs.alter("kitchen", Map.of("consumer.session.timeout.ms", "50000", "share.delivery.count.limit", "3"),
                Set.of(), false, false);
        configs.alter("kitchen", Map.of("share.delivery.count.limit", "4"), Set.of(), true, false);
        assertEquals(Map.of("share.delivery.count.limit", "4"), configs.of("kitchen"));
    }

    @Test
    void the_bounds_stretch_to_take_in_the_brokers_own_setting() {
        DynamicGroupConfigs fast = DynamicGroupConfigs.inMemory(DynamicBrokerConfigs.inMemory(BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "200", BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS,
                "6000"))));
        fast.alter("kitchen", Map.of("consumer.heartbeat.interval.ms", "1000"), Set.of(), false, false);
        assertEquals(new ConsumerGroupTimings.Timing(1000, 6000), fast.timingOf("kitchen"));
        ApiException refused = assertThrows(ApiException.class, () -> fast.alter("kitchen",
                Map.of("consumer.heartbeat.interval.ms", "100"), Set.of(), false, false));
        assertEquals("consumer.heartbeat.interval.ms must be in the range 200 to 15000 inclusive.", refused.getMessage());
    }

    @Test
    void streams_and_share_groups_take_kafkas_session_and_heartbeat_from_a_broker_left_at_its_defaults() {
        assertEquals(StreamsGroupSettings.KAFKA_DEFAULTS, configs.settingsOf("counter"));
        assertEquals(45000, configs.shareSessionTimeoutMs("queue"));
        assertEquals(5000, configs.shareHeartbeatIntervalMs("queue"));
    }

    @Test
    void streams_and_share_groups_take_the_brokers_session_and_heartbeat_until_they_set_their_own() {
        DynamicGroupConfigs fast = DynamicGroupConfigs.inMemory(DynamicBrokerConfigs.inMemory(BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS, "6000",
                BrokerConfig.GROUP_STREAMS_HEARTBEAT_INTERVAL_MS, "1000",
                BrokerConfig.GROUP_SHARE_SESSION_TIMEOUT_MS, "8000",
                BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS, "2000"))));
        assertEquals(6000, fast.settingsOf("counter").sessionTimeoutMs());
        assertEquals(1000, fast.settingsOf("counter").heartbeatIntervalMs());
        assertEquals(8000, fast.shareSessionTimeoutMs("queue"));
        assertEquals(2000, fast.shareHeartbeatIntervalMs("queue"));

        fast.alter("counter", Map.of("streams.session.timeout.ms", "50000"), Set.of(), false, false);
        fast.alter("queue", Map.of("share.heartbeat.interval.ms", "3000"), Set.of(), false, false);
        assertEquals(50000, fast.settingsOf("counter").sessionTimeoutMs(), "the group's own");
        assertEquals(1000, fast.settingsOf("counter").heartbeatIntervalMs(), "the broker's still");
        assertEquals(8000, fast.shareSessionTimeoutMs("queue"), "the broker's still");
        assertEquals(3000, fast.shareHeartbeatIntervalMs("queue"), "the group's own");
        assertEquals(2000, fast.shareHeartbeatIntervalMs("other"), "another group's configs are not this one's");
    }

    @Test
    void the_streams_and_share_bounds_stretch_to_take_in_the_brokers_own_and_the_session_must_outlast_the_heartbeat() {
        DynamicGroupConfigs fast = DynamicGroupConfigs.inMemory(DynamicBrokerConfigs.inMemory(BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS, "6000",
                BrokerConfig.GROUP_STREAMS_HEARTBEAT_INTERVAL_MS, "1000",
                BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS, "2000"))));
        fast.alter("counter", Map.of("streams.session.timeout.ms", "7000"), Set.of(), false, false);
        assertEquals(7000, fast.settingsOf("counter").sessionTimeoutMs());
        ApiException refused = assertThrows(ApiException.class, () -> fast.alter("counter",
                Map.of("streams.session.timeout.ms", "5000"), Set.of(), false, false));
        assertEquals("streams.session.timeout.ms must be in the range 6000 to 60000 inclusive.", refused.getMessage());
        refused = assertThrows(ApiException.class, () -> fast.alter("other",
                Map.of("streams.heartbeat.interval.ms", "6000"), Set.of(), false, false), "the broker's session");
        assertEquals("streams.session.timeout.ms must be greater than streams.heartbeat.interval.ms",
                refused.getMessage());
        refused = assertThrows(ApiException.class, () -> fast.alter("queue",
                Map.of("share.heartbeat.interval.ms", "1000"), Set.of(), false, false));
        assertEquals("share.heartbeat.interval.ms must be in the range 2000 to 15000 inclusive.", refused.getMessage());
        refused = assertThrows(ApiException.class, () -> configs.alter("counter",
                Map.of("streams.session.timeout.ms", "6000"), Set.of(), false, false), "a broker at Kafka's defaults");
        assertEquals("streams.session.timeout.ms must be in the range 45000 to 60000 inclusive.", refused.getMessage());
    }

    @Test
    void a_stored_session_outside_a_restarted_brokers_bounds_is_held_within_them() {
        DynamicGroupConfigs fast = DynamicGroupConfigs.open(DynamicBrokerConfigs.inMemory(BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS, "6000",
                BrokerConfig.GROUP_SHARE_SESSION_TIMEOUT_MS, "6000"))), dataDir);
        fast.alter("counter", Map.of("streams.session.timeout.ms", "7000"), Set.of(), false, false);
        fast.alter("queue", Map.of("share.session.timeout.ms", "7000"), Set.of(), false, false);

        DynamicGroupConfigs restarted = DynamicGroupConfigs.open(broker, dataDir);
        assertEquals(Map.of("streams.session.timeout.ms", "7000"), restarted.of("counter"), "kept as set");
        assertEquals(45000, restarted.settingsOf("counter").sessionTimeoutMs(), "Kafka's least, by default");
        assertEquals(45000, restarted.shareSessionTimeoutMs("queue"));
    }

    @Test
    void describe_names_the_brokers_streams_and_share_settings_as_the_level_below_the_group() {
        DynamicGroupConfigs fast = DynamicGroupConfigs.inMemory(DynamicBrokerConfigs.inMemory(BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS, "6000"))));
        List<DynamicGroupConfigs.Described> described = fast.describe("counter");
        DynamicGroupConfigs.Described session = find(described, "streams.session.timeout.ms");
        assertEquals("6000", session.value());
        assertEquals(List.of(new DynamicGroupConfigs.Level("group.streams.session.timeout.ms", "6000",
                DynamicBrokerConfigs.Source.STATIC_BROKER_CONFIG), new DynamicGroupConfigs.Level(
                "group.streams.session.timeout.ms", "45000", DynamicBrokerConfigs.Source.DEFAULT_CONFIG)),
                session.levels());
        assertEquals(List.of(new DynamicGroupConfigs.Level("group.share.heartbeat.interval.ms", "5000",
                DynamicBrokerConfigs.Source.DEFAULT_CONFIG)), find(described, "share.heartbeat.interval.ms").levels());
    }

    @Test
    void describe_gives_every_config_but_the_internal_ones_with_its_source_and_the_levels_that_set_it() {
        DynamicGroupConfigs ours = DynamicGroupConfigs.inMemory(DynamicBrokerConfigs.inMemory(BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "500"))));
        ours.alter("kitchen", Map.of("consumer.session.timeout.ms", "50000", "streams.num.warmup.replicas", "3"),
                Set.of(), false, false);
        List<DynamicGroupConfigs.Described> described = ours.describe("kitchen");

        assertEquals(22, described.size(), "Kafka 4.4's 21 group configs not internal, and the internal one set");
        DynamicGroupConfigs.Described session = find(described, "consumer.session.timeout.ms");
        assertEquals("50000", session.value());
        assertEquals(List.of(new DynamicGroupConfigs.Level("consumer.session.timeout.ms", "50000", null),
                new DynamicGroupConfigs.Level("group.consumer.session.timeout.ms", "45000",
                        DynamicBrokerConfigs.Source.DEFAULT_CONFIG)), session.levels());
        DynamicGroupConfigs.Described heartbeat = find(described, "consumer.heartbeat.interval.ms");
        assertEquals("500", heartbeat.value());
        assertEquals(DynamicBrokerConfigs.Source.STATIC_BROKER_CONFIG, heartbeat.levels().get(0).brokerSource());
        DynamicGroupConfigs.Described reset = find(described, "share.auto.offset.reset");
        assertEquals(List.of(new DynamicGroupConfigs.Level("share.auto.offset.reset", "latest",
                DynamicBrokerConfigs.Source.DEFAULT_CONFIG)), reset.levels());
        assertEquals("sticky", find(described, "streams.assignor.name").value());
        assertEquals(GroupConfigKeys.Type.LIST, find(described, "streams.rack.aware.assignment.tags").type());
        assertEquals("3", find(described, "streams.num.warmup.replicas").value());
        assertNull(described.stream().filter(d -> d.name().equals("streams.acceptable.recovery.lag")).findFirst()
                .orElse(null), "an internal config the group does not set is left out");
    }

    @Test
    void the_configs_survive_a_reopen_of_the_data_directory_and_storage_in_memory_writes_nothing() throws IOException {
        DynamicGroupConfigs onDisk = DynamicGroupConfigs.open(broker, dataDir);
        onDisk.alter("orders.eu", Map.of("consumer.session.timeout.ms", "50000"), Set.of(), false, false);
        onDisk.alter("a b=c", Map.of("share.auto.offset.reset", "by_duration:PT1H"), Set.of(), false, false);

        DynamicGroupConfigs reopened = DynamicGroupConfigs.open(broker, dataDir);
        assertEquals(Map.of("consumer.session.timeout.ms", "50000"), reopened.of("orders.eu"));
        assertEquals(Map.of("share.auto.offset.reset", "by_duration:PT1H"), reopened.of("a b=c"));
        assertEquals(new ConsumerGroupTimings.Timing(5000, 50000), reopened.timingOf("orders.eu"));

        configs.alter("kitchen", Map.of("consumer.session.timeout.ms", "50000"), Set.of(), false, false);
        assertFalse(Files.exists(dataDir.resolve("kitchen")));
        assertFalse(Files.readString(dataDir.resolve(DynamicGroupConfigs.FILE)).contains("kitchen"));
    }

    @Test
    void a_file_line_that_names_no_group_config_is_refused_at_start_naming_the_line() throws IOException {
        Files.writeString(dataDir.resolve(DynamicGroupConfigs.FILE), "kitchen.session.timeout.ms=50000\n");
        ApiException refused = assertThrows(ApiException.class, () -> DynamicGroupConfigs.open(broker, dataDir));
        assertTrue(refused.getMessage().contains("'kitchen.session.timeout.ms'"), refused.getMessage());
    }

    private static DynamicGroupConfigs.Described find(List<DynamicGroupConfigs.Described> described, String name) {
        return described.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private void assertRefused(String message, Map<String, String> set) {
        assertRefused(message, set, message);
    }

    private void assertRefused(String message, Map<String, String> set, String why) {
        ApiException refused = assertThrows(ApiException.class, () -> configs.alter("kitchen", set, Set.of(), false,
                false), why);
        assertEquals(Errors.INVALID_CONFIG, refused.error(), why);
        assertEquals(message, refused.getMessage(), why);
    }
}
