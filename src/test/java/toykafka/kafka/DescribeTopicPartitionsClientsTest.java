package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka 4.4's Admin.describeTopics and kafka-topics --describe, unchanged, ask this broker with DescribeTopicPartitions
 * rather than falling back to Metadata, as its trace shows, and page through it when given a small partition limit.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DescribeTopicPartitionsClientsTest {

    @StartedBroker(value = FrontEnd.KAFKA, trace = true)
    RunningBroker broker;

    @BeforeEach
    void createTopics() {
        broker.broker().createTopic("soups", 4, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic("drinks", 3, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic("mains", 1, Map.of(), OnDuplicate.FAIL);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /** The DescribeTopicPartitions requests the broker answered, as its trace lists them. */
    private List<String> describeTopicPartitionsRequests() {
        return broker.log().lines().filter(line -> line.startsWith("kafka: -> DescribeTopicPartitions v0")).toList();
    }

    @Test
    void admin_describe_topics_pages_with_describe_topic_partitions_and_never_asks_metadata_for_them() throws Exception {
        Map<String, TopicDescription> described;
        try (Admin admin = admin()) {
            described = admin.describeTopics(List.of("soups", "drinks", "mains"),
                    new DescribeTopicsOptions().partitionSizeLimitPerResponse(2)).allTopicNames().get();
            ExecutionException unknown = assertThrows(ExecutionException.class,
                    () -> admin.describeTopics(List.of("no-such-topic")).allTopicNames().get());
            assertInstanceOf(UnknownTopicOrPartitionException.class, unknown.getCause());
        }

        int node = broker.broker().nodeId();
        for (String topic : List.of("soups", "drinks", "mains")) {
            TopicDescription description = described.get(topic);
            assertEquals(Uuid.fromString(broker.broker().topicId(topic).toString()), description.topicId());
            assertFalse(description.isInternal());
            assertEquals(broker.broker().partitionCount(topic), description.partitions().size(), topic);
            for (int i = 0; i < description.partitions().size(); i++) {
                TopicPartitionInfo partition = description.partitions().get(i);
                assertEquals(i, partition.partition());
                assertEquals(node, partition.leader().id());
                assertEquals(List.of(node), partition.replicas().stream().map(Node::id).toList());
                assertEquals(List.of(node), partition.isr().stream().map(Node::id).toList());
                assertEquals(List.of(), partition.elr(), "as Kafka's own broker answers: no replica out of sync");
                assertEquals(List.of(), partition.lastKnownElr());
            }
        }
        List<String> asked = describeTopicPartitionsRequests();
        assertTrue(asked.stream().anyMatch(line -> line.contains("at most 2 partitions, from drinks-2")), asked.toString());
        assertTrue(asked.stream().anyMatch(line -> line.contains("from soups-2")), asked.toString());
        assertEquals(5, asked.size(), "four pages of two partitions, then the unknown topic: " + asked);
        assertTrue(broker.log().lines().filter(line -> line.startsWith("kafka: -> Metadata"))
                .noneMatch(line -> line.contains("soups")), "Metadata was not asked about them:\n" + broker.log());
    }

    @Test
    void kafka_topics_describe_asks_describe_topic_partitions_and_prints_each_partitions_eligible_leaders() {
        String described = KafkaTool.TOPICS.run(null, "--bootstrap-server", broker.bootstrapServers(), "--describe",
                "--topic", "soups", "--partition-size-limit-per-response", "3").assertSucceeded().output();

        assertTrue(described.contains("Topic: soups\tTopicId: " + Uuid.fromString(broker.broker().topicId("soups")
                .toString()) + "\tPartitionCount: 4\tReplicationFactor: 1"), described);
        for (int partition = 0; partition < 4; partition++) {
            Matcher line = Pattern.compile("Partition: " + partition + "\tLeader: (\\d+)\tReplicas: (\\d+)\tIsr: (\\d+)"
                    + "\tElr: \tLastKnownElr: \n").matcher(described);
            assertTrue(line.find(), "empty lists, not the N/A of a Metadata answer:\n" + described);
            assertEquals(line.group(1), line.group(2), "one broker: leader and only replica");
            assertEquals(line.group(1), line.group(3));
        }
        List<String> asked = describeTopicPartitionsRequests();
        assertEquals(2, asked.size(), "a page of three partitions, then the fourth: " + asked);
        assertTrue(asked.get(1).contains("from soups-3"), asked.toString());
    }
}
