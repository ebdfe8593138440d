package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.common.TopicConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** Kafka's own Admin client, unchanged, managing topics on this broker through the four admin APIs. */
class KafkaAdminTest {

    @StartedBroker(value = FrontEnd.KAFKA, trace = true)
    RunningBroker broker;

    private Admin admin;

    @BeforeEach
    void start() {
        admin = KafkaAdmins.on(broker);
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void admin_creates_lists_describes_and_deletes_topics() throws Exception {
        admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)
                        .configs(Map.of(TopicConfig.RETENTION_MS, "60000")),
                new NewTopic("drinks", Optional.empty(), Optional.empty()))).all().get();
        ExecutionException twice = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get());
        assertInstanceOf(TopicExistsException.class, twice.getCause());

        assertEquals(Set.of("orders", "drinks"), admin.listTopics().names().get(), "internal topics are left out");
        assertTrue(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                .names().get().contains(Broker.OFFSETS_TOPIC));

        TopicDescription orders = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
        assertEquals(3, orders.partitions().size());
        for (TopicPartitionInfo partition : orders.partitions()) {
            assertEquals(1, partition.leader().id());
            assertEquals(List.of(1), partition.replicas().stream().map(Node::id).toList());
            assertEquals(List.of(1), partition.isr().stream().map(Node::id).toList());
        }
        assertFalse(orders.isInternal());

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        ConfigEntry retention = config.get(TopicConfig.RETENTION_MS);
        assertEquals("60000", retention.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());
        assertTrue(config.get(TopicConfig.SEGMENT_BYTES).isDefault());

        admin.deleteTopics(List.of("drinks")).all().get();
        assertEquals(Set.of("orders"), admin.listTopics().names().get());
    }

    @Test
    void admin_describes_the_cluster_through_metadata_when_describe_cluster_is_not_offered() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        Collection<Node> nodes = cluster.nodes().get();
        assertEquals(List.of(1), nodes.stream().map(Node::id).toList());
        assertEquals(broker.port(), nodes.iterator().next().port());
        assertEquals(1, cluster.controller().get().id());
        assertEquals(RunningBroker.CLUSTER_ID, cluster.clusterId().get());
        assertFalse(broker.log().contains("api key 60"), "DescribeCluster is not offered, so never sent: " + broker.log());
        assertTrue(broker.log().contains("Metadata v"), "answered by Metadata: " + broker.log());
    }
}
