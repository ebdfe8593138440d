package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.BrokerTopics.partitionCount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The admin writes (CreatePartitions, IncrementalAlterConfigs, AlterConfigs, DeleteRecords) as software
 * nobody here wrote makes them: kafka-clients' Admin, and Kafka's own kafka-topics, kafka-configs and
 * kafka-delete-records (Apache Kafka 4.4), each in a JVM of its own. One broker; a topic a test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAdminWritesTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;
    private Admin admin;

    @BeforeAll
    void start() {
        admin = KafkaAdmins.on(broker);
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    private void createTopic(String name, int partitions) {
        broker.broker().createTopic(name, partitions, Map.of(), OnDuplicate.FAIL);
    }

    private Config configOf(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    /** Ten records in partition 0, offsets 0 to 9. */
    private void fill(String topic) {
        String[] values = new String[10];
        java.util.Arrays.setAll(values, i -> "receipt " + i);
        KafkaBatches.append(broker.broker(), new toykafka.common.TopicPartition(topic, 0),
                KafkaBatches.batch(System.currentTimeMillis(), values));
    }

    /** Why the admin call failed, as Admin reports it. */
    private static Throwable failureOf(KafkaFuture<?> call) {
        return assertThrows(ExecutionException.class, call::get).getCause();
    }

    @Test
    void admin_adds_partitions_and_is_told_why_when_the_count_adds_nothing() throws Exception {
        createTopic("admin-grown", 1);
        admin.createPartitions(Map.of("admin-grown", NewPartitions.increaseTo(3))).all().get();
        assertEquals(3, partitionCount(broker, "admin-grown"));
        assertEquals(3, admin.describeTopics(List.of("admin-grown")).allTopicNames().get().get("admin-grown")
                .partitions().size());

        Throwable fewer = failureOf(admin.createPartitions(Map.of("admin-grown", NewPartitions.increaseTo(2))).all());
        assertInstanceOf(InvalidPartitionsException.class, fewer);
        assertTrue(fewer.getMessage().contains("has 3 partitions"), fewer.getMessage());
    }

    @Test
    @SuppressWarnings("deprecation") // alterConfigs is the older whole-set form, still served
    void admin_sets_deletes_and_appends_topic_configs_and_a_static_broker_setting_is_refused() throws Exception {
        createTopic("admin-configured", 1);
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "admin-configured");
        admin.incrementalAlterConfigs(Map.of(topic, List.of(
                new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS, "60000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY, "compact"), AlterConfigOp.OpType.APPEND))))
                .all().get();
        Config config = configOf("admin-configured");
        assertEquals("60000", config.get(TopicConfig.RETENTION_MS).value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, config.get(TopicConfig.RETENTION_MS).source());
        assertEquals("delete,compact", config.get(TopicConfig.CLEANUP_POLICY).value());

        admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS, null),
                AlterConfigOp.OpType.DELETE)))).all().get();
        assertTrue(configOf("admin-configured").get(TopicConfig.RETENTION_MS).isDefault());

        ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Throwable refused = failureOf(admin.incrementalAlterConfigs(Map.of(brokerResource, List.of(
                new AlterConfigOp(new ConfigEntry(BrokerConfig.NUM_PARTITIONS, "3"), AlterConfigOp.OpType.SET)))).all());
        assertInstanceOf(InvalidRequestException.class, refused);
        assertTrue(refused.getMessage().startsWith("Cannot update these configs dynamically: [num.partitions]"),
                "Kafka's words for a static setting: " + refused.getMessage());
    }

    @Test
    void admin_changes_the_brokers_dynamic_settings_and_a_topic_inherits_them_at_once() throws Exception {
        createTopic("admin-inherits", 1);
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        ConfigResource brokerOne = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try {
            admin.incrementalAlterConfigs(Map.of(clusterDefault, List.of(new AlterConfigOp(
                    new ConfigEntry(BrokerConfig.RETENTION_MS, "3600000"), AlterConfigOp.OpType.SET)))).all().get();
            ConfigEntry inherited = configOf("admin-inherits").get(TopicConfig.RETENTION_MS);
            assertEquals("3600000", inherited.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, inherited.source());

            admin.incrementalAlterConfigs(Map.of(brokerOne, List.of(new AlterConfigOp(
                    new ConfigEntry(BrokerConfig.RETENTION_MS, "60000"), AlterConfigOp.OpType.SET)))).all().get();
            ConfigEntry own = admin.describeConfigs(List.of(brokerOne), new DescribeConfigsOptions().includeSynonyms(true))
                    .all().get().get(brokerOne).get(BrokerConfig.RETENTION_MS);
            assertEquals("60000", own.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, own.source());
            assertEquals(List.of("DYNAMIC_BROKER_CONFIG=60000", "DYNAMIC_DEFAULT_BROKER_CONFIG=3600000",
                    "DEFAULT_CONFIG=604800000"), own.synonyms().stream().map(s -> s.source() + "=" + s.value()).toList(),
                    "every level that gives it a value, the one in force first");
            assertEquals("60000", configOf("admin-inherits").get(TopicConfig.RETENTION_MS).value(), "the broker's own wins");
            assertEquals("60000", broker.broker().describeTopic("admin-inherits").config().get(TopicConfig.RETENTION_MS),
                    "the topic's logs run on it: retention deletes by it from the next pass");

            Throwable bad = failureOf(admin.incrementalAlterConfigs(Map.of(brokerOne, List.of(new AlterConfigOp(
                    new ConfigEntry(BrokerConfig.MAX_CONNECTIONS, "lots"), AlterConfigOp.OpType.SET)))).all());
            assertInstanceOf(InvalidRequestException.class, bad, "Kafka's error for a broker's bad value");
            assertTrue(bad.getMessage().contains("max.connections") && bad.getMessage().contains("whole number"),
                    bad.getMessage());
        } finally {
            admin.incrementalAlterConfigs(Map.of(
                    clusterDefault, List.of(new AlterConfigOp(new ConfigEntry(BrokerConfig.RETENTION_MS, null),
                            AlterConfigOp.OpType.DELETE)),
                    brokerOne, List.of(new AlterConfigOp(new ConfigEntry(BrokerConfig.RETENTION_MS, null),
                            AlterConfigOp.OpType.DELETE)))).all().get();
        }
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, configOf("admin-inherits").get(TopicConfig.RETENTION_MS)
                .source(), "deleted at both levels, the topic takes Kafka's default again");
    }

    @Test
    void admin_deletes_records_up_to_an_offset_or_the_high_watermark() throws Exception {
        createTopic("admin-trimmed", 1);
        fill("admin-trimmed");
        TopicPartition partition = new TopicPartition("admin-trimmed", 0);
        assertEquals(4, admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(4))).lowWatermarks()
                .get(partition).get().lowWatermark());
        Throwable beyond = failureOf(admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(11))).all());
        assertInstanceOf(OffsetOutOfRangeException.class, beyond);
        assertEquals(10, admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(-1))).lowWatermarks()
                .get(partition).get().lowWatermark());
        assertEquals(10, broker.broker().describeTopic("admin-trimmed").partitions().get(0).logStartOffset());
    }

    @Test
    void kafkas_sasl_listener_settings_are_taken_on_the_broker_and_described_and_refused_as_cluster_defaults()
            throws Exception {
        String relogin = "sasl.kerberos.min.time.before.relogin";
        ConfigResource own = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try {
            admin.incrementalAlterConfigs(Map.of(own, List.of(new AlterConfigOp(new ConfigEntry(relogin, "58000"),
                    AlterConfigOp.OpType.SET)))).all().get();
            ConfigEntry described = admin.describeConfigs(List.of(own)).all().get().get(own).get(relogin);
            assertEquals("58000", described.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, described.source());

            ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
            Throwable refused = failureOf(admin.incrementalAlterConfigs(Map.of(clusterDefault, List.of(
                    new AlterConfigOp(new ConfigEntry(relogin, "58000"), AlterConfigOp.OpType.SET)))).all());
            assertInstanceOf(InvalidRequestException.class, refused);
            assertTrue(refused.getMessage().contains("broker id must be specified"), refused.getMessage());
        } finally {
            admin.incrementalAlterConfigs(Map.of(own, List.of(new AlterConfigOp(new ConfigEntry(relogin, null),
                    AlterConfigOp.OpType.DELETE)))).all().get();
        }
    }

    @Test
    void kafka_topics_alter_adds_partitions() {
        createTopic("tool-grown", 1);
        KafkaTool.TOPICS.run(null, "--bootstrap-server", broker.bootstrapServers(), "--alter", "--topic", "tool-grown",
                "--partitions", "4").assertSucceeded();
        assertEquals(4, partitionCount(broker, "tool-grown"));
    }

    @Test
    void kafka_configs_adds_and_deletes_topic_and_broker_configs() {
        createTopic("tool-configured", 1);
        String added = KafkaTool.CONFIGS.run(null, "--bootstrap-server", broker.bootstrapServers(), "--entity-type", "topics",
                "--entity-name", "tool-configured", "--alter", "--add-config", "retention.ms=60000,max.message.bytes=2048")
                .assertSucceeded().output();
        assertTrue(added.contains("Completed updating config for topic tool-configured"), added);
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "60000", TopicConfig.MAX_MESSAGE_BYTES, "2048"),
                broker.broker().describeTopic("tool-configured").overrides());

        KafkaTool.CONFIGS.run(null, "--bootstrap-server", broker.bootstrapServers(), "--entity-type", "topics",
                "--entity-name", "tool-configured", "--alter", "--delete-config", "retention.ms").assertSucceeded();
        assertEquals(Map.of(TopicConfig.MAX_MESSAGE_BYTES, "2048"), broker.broker().describeTopic("tool-configured").overrides());

        ChildProcess.Result staticOne = KafkaTool.CONFIGS.run(null, "--bootstrap-server", broker.bootstrapServers(),
                "--entity-type", "brokers", "--entity-name", "1", "--alter", "--add-config", "num.partitions=3");
        assertTrue(staticOne.exitCode() != 0 && (staticOne.output() + staticOne.errors()).contains(
                "InvalidRequestException: Cannot update these configs dynamically: [num.partitions]"), staticOne.describe());

        // the lines Apache Kafka 4.1 prints for the same commands
        String[] clusterDefault = {"--bootstrap-server", broker.bootstrapServers(), "--entity-type", "brokers",
                "--entity-default"};
        String set = KafkaTool.CONFIGS.run(null, with(clusterDefault, "--alter", "--add-config", "log.retention.ms=60000"))
                .assertSucceeded().output();
        assertTrue(set.contains("Completed updating default config for brokers in the cluster."), set);
        String described = KafkaTool.CONFIGS.run(null, with(clusterDefault, "--describe")).assertSucceeded().output();
        assertTrue(described.contains("Default configs for brokers in the cluster are:\n  log.retention.ms=60000"
                + " sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=60000}"), described);
        KafkaTool.CONFIGS.run(null, with(clusterDefault, "--alter", "--delete-config", "log.retention.ms")).assertSucceeded();
        assertTrue(broker.broker().dynamicConfigs().at(DynamicBrokerConfigs.Level.CLUSTER_DEFAULT).isEmpty());
    }

    private static String[] with(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void kafka_delete_records_deletes_up_to_the_offsets_in_its_file(@TempDir Path files) throws Exception {
        createTopic("tool-trimmed", 1);
        fill("tool-trimmed");
        Path offsets = Files.writeString(files.resolve("offsets.json"),
                "{\"partitions\": [{\"topic\": \"tool-trimmed\", \"partition\": 0, \"offset\": 6}], \"version\": 1}");
        String output = KafkaTool.DELETE_RECORDS.run(null, "--bootstrap-server", broker.bootstrapServers(),
                "--offset-json-file", offsets.toString()).assertSucceeded().output();
        assertTrue(output.contains("low_watermark: 6"), output);
        assertEquals(6, broker.broker().describeTopic("tool-trimmed").partitions().get(0).logStartOffset());
    }
}
