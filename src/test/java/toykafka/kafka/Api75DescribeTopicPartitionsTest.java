package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * DescribeTopicPartitions (KIP-966), written and read by Kafka's generated classes: each partition as one broker
 * answers it, topics in name order, a page of at most the limit's partitions with the cursor to go on from, and the
 * refusals of Kafka's {@code DescribeTopicPartitionsRequestHandler}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Api75DescribeTopicPartitionsTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    /** Every operation on a topic, as Kafka answers with no authorizer. */
    private static final int TOPIC_OPERATIONS = Utils.to32BitField(Set.of(AclOperation.READ, AclOperation.WRITE,
            AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS).stream().map(AclOperation::code)
            .collect(java.util.stream.Collectors.toSet()));

    @BeforeAll
    static void createTopics() {
        // names chosen so that name order is not creation order
        broker.broker().createTopic("soups", 4, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic("drinks", 3, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic("mains", 1, Map.of(), OnDuplicate.FAIL);
    }

    private static DescribeTopicPartitionsRequestData asking(int limit, String... topics) {
        return new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(limit)
                .setTopics(List.of(topics).stream().map(name -> new TopicRequest().setName(name)).toList());
    }

    private static DescribeTopicPartitionsResponseData send(DescribeTopicPartitionsRequestData request) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, 0);
        }
    }

    private static List<String> names(DescribeTopicPartitionsResponseData response) {
        return response.topics().stream().map(DescribeTopicPartitionsResponseTopic::name).toList();
    }

    private static String cursor(DescribeTopicPartitionsResponseData response) {
        DescribeTopicPartitionsResponseData.Cursor next = response.nextCursor();
        return next == null ? null : next.topicName() + "-" + next.partitionIndex();
    }

    @Test
    void api_versions_advertises_version_0_as_kafka_4_4_does() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData response = wire.send(new ApiVersionsRequestData(), 0);
            ApiVersionsResponseData.ApiVersion advertised = response.apiKeys().find(ApiKeys.DESCRIBE_TOPIC_PARTITIONS.id);
            assertNotNull(advertised, "api key 75");
            assertEquals(0, advertised.minVersion());
            assertEquals(ApiKeys.DESCRIBE_TOPIC_PARTITIONS.latestVersion(), advertised.maxVersion());
        }
    }

    @Test
    void each_topic_named_is_answered_once_in_name_order_each_partition_led_by_this_broker_alone() {
        DescribeTopicPartitionsResponseData response = send(asking(2000, "soups", "drinks", "soups"));

        assertEquals(0, response.throttleTimeMs());
        assertEquals(List.of("drinks", "soups"), names(response));
        assertNull(response.nextCursor(), "everything fitted");
        int node = broker.broker().nodeId();
        for (DescribeTopicPartitionsResponseTopic topic : response.topics()) {
            assertEquals(Errors.NONE.code(), topic.errorCode());
            assertEquals(Uuid.fromString(broker.broker().topicId(topic.name()).toString()), topic.topicId());
            assertFalse(topic.isInternal());
            assertEquals(TOPIC_OPERATIONS, topic.topicAuthorizedOperations(), "asked for or not, as Kafka answers");
            assertEquals(broker.broker().partitionCount(topic.name()), topic.partitions().size());
            for (int i = 0; i < topic.partitions().size(); i++) {
                DescribeTopicPartitionsResponsePartition partition = topic.partitions().get(i);
                assertEquals(i, partition.partitionIndex());
                assertEquals(Errors.NONE.code(), partition.errorCode());
                assertEquals(node, partition.leaderId());
                assertEquals(0, partition.leaderEpoch(), "as Metadata answers: this broker has led it from the start");
                assertEquals(List.of(node), partition.replicaNodes());
                assertEquals(List.of(node), partition.isrNodes());
                assertEquals(List.of(), partition.eligibleLeaderReplicas(), "empty, not null, as Kafka sends it");
                assertEquals(List.of(), partition.lastKnownElr());
                assertEquals(List.of(), partition.offlineReplicas());
            }
        }
    }

    @Test
    void an_empty_list_is_every_topic_the_brokers_own_marked_internal() {
        DescribeTopicPartitionsResponseData response = send(asking(2000));

        List<String> every = new ArrayList<>(broker.broker().listTopics());
        every.sort(null);
        assertEquals(every, names(response));
        assertTrue(response.topics().find("__consumer_offsets").isInternal());
        assertFalse(response.topics().find("mains").isInternal());
    }

    @Test
    void an_unknown_topic_is_unknown_and_a_name_no_topic_can_have_is_invalid_neither_created() {
        DescribeTopicPartitionsResponseData response = send(asking(2000, "mains", "no-such-topic", "bad/name"));

        assertEquals(List.of("bad/name", "mains", "no-such-topic"), names(response));
        DescribeTopicPartitionsResponseTopic unknown = response.topics().find("no-such-topic");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), unknown.errorCode());
        assertEquals(Uuid.ZERO_UUID, unknown.topicId());
        assertEquals(List.of(), unknown.partitions());
        assertEquals(TOPIC_OPERATIONS, unknown.topicAuthorizedOperations(), "Kafka fills them for every topic answered");
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), response.topics().find("bad/name").errorCode());
        assertEquals(Errors.NONE.code(), response.topics().find("mains").errorCode());
        assertFalse(broker.broker().listTopics().contains("no-such-topic"), "never created, whatever auto-create says");
    }

    @Test
    void a_small_limit_pages_through_several_topics_each_cursor_where_the_last_page_stopped() {
        // drinks 0-2, mains 0, soups 0-3, two partitions a page; an unknown topic counts nothing
        List<String> pages = new ArrayList<>();
        DescribeTopicPartitionsRequestData request = asking(2, "soups", "mains", "drinks", "nothing-here");
        while (true) {
            DescribeTopicPartitionsResponseData page = send(request);
            List<String> answered = new ArrayList<>();
            for (DescribeTopicPartitionsResponseTopic topic : page.topics()) {
                if (topic.errorCode() != Errors.NONE.code()) {
                    answered.add(topic.name() + " " + Errors.forCode(topic.errorCode()));
                }
                topic.partitions().forEach(p -> answered.add(topic.name() + "-" + p.partitionIndex()));
            }
            pages.add(answered + " next " + cursor(page));
            if (page.nextCursor() == null) {
                break;
            }
            request.setCursor(new Cursor().setTopicName(page.nextCursor().topicName())
                    .setPartitionIndex(page.nextCursor().partitionIndex()));
        }
        assertEquals(List.of("[drinks-0, drinks-1] next drinks-2",
                "[drinks-2, mains-0] next nothing-here-0",
                "[nothing-here UNKNOWN_TOPIC_OR_PARTITION, soups-0, soups-1] next soups-2",
                "[soups-2, soups-3] next null"), pages);
    }

    @Test
    void a_limit_below_one_is_one_and_paging_over_every_topic_reaches_each_partition_once() {
        int expected = broker.broker().listTopics().stream().mapToInt(broker.broker()::partitionCount).sum();
        DescribeTopicPartitionsRequestData request = asking(0);
        List<String> seen = new ArrayList<>();
        try (KafkaWire wire = new KafkaWire(broker)) {
            while (true) {
                DescribeTopicPartitionsResponseData page = wire.send(request, 0);
                page.topics().forEach(topic -> topic.partitions().forEach(p -> seen.add(topic.name() + "-"
                        + p.partitionIndex())));
                assertEquals(1, page.topics().stream().mapToInt(topic -> topic.partitions().size()).sum(),
                        "one partition a page");
                if (page.nextCursor() == null) {
                    break;
                }
                request.setResponsePartitionLimit(-5).setCursor(new Cursor().setTopicName(page.nextCursor().topicName())
                        .setPartitionIndex(page.nextCursor().partitionIndex()));
            }
        }
        assertEquals(expected, seen.size(), "a page for each partition");
        assertEquals(expected, Set.copyOf(seen).size(), "no partition twice");
    }

    @Test
    void a_cursor_starts_at_its_topic_and_partition_or_past_its_name_when_no_topic_has_it() {
        DescribeTopicPartitionsResponseData fromSoups = send(asking(2000).setCursor(new Cursor().setTopicName("soups")
                .setPartitionIndex(3)));
        DescribeTopicPartitionsResponseTopic soups = fromSoups.topics().find("soups");
        assertEquals(List.of(3), soups.partitions().stream().map(p -> p.partitionIndex()).toList());
        assertFalse(names(fromSoups).contains("mains"), "names before the cursor's are not answered");

        DescribeTopicPartitionsResponseData pastTheEnd = send(asking(2000, "mains", "soups").setCursor(new Cursor()
                .setTopicName("mains").setPartitionIndex(7)));
        assertEquals(List.of("mains", "soups"), names(pastTheEnd));
        assertEquals(List.of(), pastTheEnd.topics().find("mains").partitions(), "mains has one partition, not eight");
        assertEquals(4, pastTheEnd.topics().find("soups").partitions().size());

        DescribeTopicPartitionsResponseData betweenNames = send(asking(2000).setCursor(new Cursor()
                .setTopicName("n").setPartitionIndex(0)));
        assertFalse(names(betweenNames).contains("mains"));
        assertTrue(names(betweenNames).contains("soups"));
    }

    @Test
    void a_cursor_on_a_topic_not_named_or_on_a_negative_partition_is_invalid_request_for_every_topic_named() {
        for (Cursor cursor : List.of(new Cursor().setTopicName("mains").setPartitionIndex(0),
                new Cursor().setTopicName("soups").setPartitionIndex(-1))) {
            DescribeTopicPartitionsResponseData response = send(asking(2000, "soups", "drinks", "soups")
                    .setCursor(cursor));
            assertEquals(List.of("soups", "drinks", "soups"), names(response), "as named, as Kafka's error response has them");
            for (DescribeTopicPartitionsResponseTopic topic : response.topics()) {
                assertEquals(Errors.INVALID_REQUEST.code(), topic.errorCode(), cursor.toString());
                assertEquals(List.of(), topic.partitions());
                assertEquals(Uuid.ZERO_UUID, topic.topicId());
                assertEquals(Integer.MIN_VALUE, topic.topicAuthorizedOperations());
            }
            assertNull(response.nextCursor());
        }
        DescribeTopicPartitionsResponseData everyTopic = send(asking(2000).setCursor(new Cursor().setTopicName("soups")
                .setPartitionIndex(-1)));
        assertEquals(List.of(), names(everyTopic), "no topic named, so none to answer INVALID_REQUEST for");
    }
}
