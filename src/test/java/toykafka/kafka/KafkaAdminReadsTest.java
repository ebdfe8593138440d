package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka's own Admin client reading what a cluster is made of: a created topic's partitions and configs, the
 * log directory and each partition's size, the cluster and the operations allowed on it, all from one broker.
 */
class KafkaAdminReadsTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        admin = KafkaAdmins.on(broker);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    /** What Kafka's broker answers with no authorizer: every operation its AclEntry supports for the type. */
    private static final Set<AclOperation> CLUSTER_OPERATIONS = Set.of(AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.CLUSTER_ACTION,
            AclOperation.ALTER_CONFIGS);
    private static final Set<AclOperation> TOPIC_OPERATIONS = Set.of(AclOperation.READ, AclOperation.ALTER,
            AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.ALTER_CONFIGS, AclOperation.DESCRIBE_CONFIGS,
            AclOperation.WRITE, AclOperation.DELETE);

    @Test
    void create_topics_answers_the_partitions_replication_factor_and_configs_in_force() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("receipts", 4, (short) 1)
                .configs(Map.of(TopicConfig.RETENTION_MS, "60000"))));

        assertEquals(4, created.numPartitions("receipts").get());
        assertEquals(1, created.replicationFactor("receipts").get());
        Config config = created.config("receipts").get();
        ConfigEntry retention = config.get(TopicConfig.RETENTION_MS);
        assertEquals("60000", retention.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());
        assertFalse(retention.isReadOnly() || retention.isSensitive());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get(TopicConfig.CLEANUP_POLICY).source());
        assertEquals(TopicConfig.keys().size(), config.entries().size(), "every topic config");
    }

    @Test
    void describe_log_dirs_shows_the_data_directory_and_each_partitions_size_on_disk() throws Exception {
        broker.broker().createTopic("till-rolls", 2, Map.of(), OnDuplicate.FAIL);
        KafkaBatches.append(broker.broker(), new toykafka.common.TopicPartition("till-rolls", 1),
                KafkaBatches.batch(1_000, "cod", "haddock"));
        int id = broker.broker().nodeId();

        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(id)).allDescriptions().get().get(id);
        assertEquals(Set.of(broker.broker().dataDir()), dirs.keySet(), "one log directory: the data directory");
        LogDirDescription dir = dirs.values().iterator().next();
        assertNull(dir.error());
        assertTrue(dir.totalBytes().orElseThrow() > 0 && dir.usableBytes().orElseThrow() > 0, dir.toString());
        ReplicaInfo empty = dir.replicaInfos().get(new TopicPartition("till-rolls", 0));
        ReplicaInfo written = dir.replicaInfos().get(new TopicPartition("till-rolls", 1));
        assertEquals(0, empty.size());
        long onDisk = StoredBatches.segmentFiles(broker.dataDir(), "till-rolls", 1, ".log").stream()
                .mapToLong(file -> file.toFile().length()).sum();
        assertTrue(onDisk > 0);
        assertEquals(onDisk, written.size(), "the bytes of the partition's .log files");
        assertEquals(0, written.offsetLag());
        assertFalse(written.isFuture());
        assertTrue(dir.replicaInfos().containsKey(new TopicPartition("__consumer_offsets", 0)), "the broker's own too");
    }

    @Test
    void describe_cluster_names_this_broker_the_controller_and_allows_every_cluster_operation() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true));

        assertEquals(broker.broker().clusterId(), cluster.clusterId().get());
        assertEquals(broker.broker().nodeId(), cluster.controller().get().id());
        assertEquals(List.of(broker.broker().nodeId()), cluster.nodes().get().stream().map(Node::id).toList());
        assertEquals(CLUSTER_OPERATIONS, cluster.authorizedOperations().get(),
                "what Kafka answers with no authorizer");
        assertNull(admin.describeCluster().authorizedOperations().get(), "not asked for: not answered");
    }

    @Test
    void describe_topics_with_authorized_operations_allows_every_topic_operation() throws Exception {
        broker.broker().createTopic("menus", 1, Map.of(), OnDuplicate.FAIL);

        assertEquals(TOPIC_OPERATIONS, admin.describeTopics(List.of("menus"),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get().get("menus")
                .authorizedOperations());
        assertNull(admin.describeTopics(List.of("menus")).allTopicNames().get().get("menus").authorizedOperations());
    }
}
