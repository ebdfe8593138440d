package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * Kafka's group configs over Kafka's protocol, with kafka-clients 4.4: Admin sets and describes them (resource type
 * GROUP), a consumer of the new protocol heartbeats as often as its group's config says, and a restart keeps them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupConfigsTest {

    /** The heartbeat interval each member is told, as the broker's trace of ConsumerGroupHeartbeat gives it. */
    private static final Pattern TOLD = Pattern.compile("heartbeat every (\\d+) ms");

    @TempDir
    Path dataDir;

    @Test
    void admin_sets_a_groups_configs_describes_them_and_a_restart_keeps_them() throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(), false);
             Admin admin = admin(broker)) {
            ConfigResource kitchen = new ConfigResource(ConfigResource.Type.GROUP, "kitchen"); // no such group yet
            admin.incrementalAlterConfigs(Map.of(kitchen, List.of(
                    new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", "50000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.isolation.level", "read_committed"),
                            AlterConfigOp.OpType.SET)))).all().get();

            Config described = describe(admin, kitchen);
            ConfigEntry session = described.get("consumer.session.timeout.ms");
            assertEquals("50000", session.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG, session.source());
            assertEquals(ConfigEntry.ConfigType.INT, session.type());
            assertEquals(List.of("DYNAMIC_GROUP_CONFIG:consumer.session.timeout.ms=50000",
                    "DEFAULT_CONFIG:group.consumer.session.timeout.ms=45000"), synonyms(session));
            ConfigEntry heartbeat = described.get("consumer.heartbeat.interval.ms");
            assertEquals("5000", heartbeat.value());
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, heartbeat.source());
            assertEquals(ConfigEntry.ConfigType.BOOLEAN, described.get("share.renew.acknowledge.enable").type());
            assertEquals(ConfigEntry.ConfigType.LIST, described.get("streams.rack.aware.assignment.tags").type());
            assertEquals(21, described.entries().size(), "every group config Kafka 4.4 describes: " + described);
            assertEquals(List.of("kitchen"), admin.listConfigResources(java.util.Set.of(ConfigResource.Type.GROUP),
                    new org.apache.kafka.clients.admin.ListConfigResourcesOptions()).all().get().stream()
                    .map(ConfigResource::name).toList());

            broker.restart();
            try (Admin again = admin(broker)) {
                assertEquals("50000", describe(again, kitchen).get("consumer.session.timeout.ms").value());
                assertEquals("read_committed", describe(again, kitchen).get("share.isolation.level").value());
            }
        }
    }

    @Test
    void a_bad_value_is_invalid_config_naming_its_range_validate_only_changes_nothing_and_a_list_takes_append()
            throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(), false);
             Admin admin = admin(broker)) {
            ConfigResource kitchen = new ConfigResource(ConfigResource.Type.GROUP, "kitchen");
            ExecutionException tooShort = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(
                    Map.of(kitchen, List.of(new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", "1000"),
                            AlterConfigOp.OpType.SET)))).all().get());
            assertInstanceOf(InvalidConfigurationException.class, tooShort.getCause());
            assertEquals("consumer.session.timeout.ms must be in the range 45000 to 60000 inclusive.",
                    tooShort.getCause().getMessage());

            ExecutionException unknown = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(
                    Map.of(kitchen, List.of(new AlterConfigOp(new ConfigEntry("session.timeout.ms", "50000"),
                            AlterConfigOp.OpType.SET)))).all().get());
            assertInstanceOf(InvalidConfigurationException.class, unknown.getCause());
            assertTrue(unknown.getCause().getMessage().startsWith("Unknown group config name: session.timeout.ms"));

            ExecutionException appended = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(
                    Map.of(kitchen, List.of(new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", "50000"),
                            AlterConfigOp.OpType.APPEND)))).all().get());
            assertInstanceOf(InvalidConfigurationException.class, appended.getCause());
            assertTrue(appended.getCause().getMessage().startsWith("Can't APPEND to key consumer.session.timeout.ms"
                    + " because its type is not LIST."), appended.getCause().getMessage());

            ExecutionException nameless = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(
                    Map.of(new ConfigResource(ConfigResource.Type.GROUP, ""), List.of(new AlterConfigOp(
                            new ConfigEntry("consumer.session.timeout.ms", "50000"), AlterConfigOp.OpType.SET))))
                    .all().get());
            assertInstanceOf(InvalidRequestException.class, nameless.getCause());

            admin.incrementalAlterConfigs(Map.of(kitchen, List.of(new AlterConfigOp(new ConfigEntry(
                    "consumer.session.timeout.ms", "50000"), AlterConfigOp.OpType.SET))),
                    new AlterConfigsOptions().validateOnly(true)).all().get();
            assertEquals("45000", describe(admin, kitchen).get("consumer.session.timeout.ms").value());

            admin.incrementalAlterConfigs(Map.of(kitchen, List.of(new AlterConfigOp(new ConfigEntry(
                    "streams.rack.aware.assignment.tags", "zone"), AlterConfigOp.OpType.APPEND)))).all().get();
            assertEquals("zone", describe(admin, kitchen).get("streams.rack.aware.assignment.tags").value());

        }
    }

    @Test
    void a_consumer_heartbeats_as_often_as_its_groups_config_says_from_its_next_heartbeat() throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "200"), true);
             Admin admin = admin(broker)) {
            broker.broker().createTopic("menu", 1, Map.of(), OnDuplicate.FAIL);
            try (KafkaConsumer<String, String> waiter = consumer(broker, "waiters")) {
                waiter.subscribe(List.of("menu"));
                pollUntilTold(broker, waiter, 200);

                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, "waiters"),
                        List.of(new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", "700"),
                                AlterConfigOp.OpType.SET)))).all().get();

                pollUntilTold(broker, waiter, 700);
            }
        }
    }

    /** Polls until the broker's last heartbeat answer told the member this interval. */
    private static void pollUntilTold(RunningBroker broker, KafkaConsumer<String, String> consumer, int intervalMs) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
            Matcher told = TOLD.matcher(broker.log());
            while (told.find()) {
                last = told.group(1);
            }
            if (String.valueOf(intervalMs).equals(last)) {
                return;
            }
        }
        fail("the member was last told to heartbeat every " + last + " ms, not " + intervalMs);
    }

    private static List<String> synonyms(ConfigEntry entry) {
        return entry.synonyms().stream().map(s -> s.source() + ":" + s.name() + "=" + s.value()).toList();
    }

    private static Config describe(Admin admin, ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)).all().get()
                .get(resource);
    }

    private static Admin admin(RunningBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaConsumer<String, String> consumer(RunningBroker broker, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"),
                new StringDeserializer(), new StringDeserializer());
    }
}
