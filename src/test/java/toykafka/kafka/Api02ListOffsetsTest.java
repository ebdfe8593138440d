package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static toykafka.kafka.KafkaBatches.append;
import static toykafka.kafka.KafkaBatches.batch;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** ListOffsets, checked by Kafka's own ListOffsetsRequestData and ListOffsetsResponseData. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Api02ListOffsetsTest {

    private static final long EARLIEST = -2;
    private static final long LATEST = -1;
    private static final long MAX_TIMESTAMP = -3;
    private static final long EARLIEST_LOCAL = -4;
    private static final long LATEST_TIERED = -5;
    /** A version Kafka's message classes write; v11 is proved by 4.4's Admin (Kafka44ClientsTest). */
    private static final int NEWEST = 9;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @BeforeEach
    void start() {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        append(broker.broker(), ORDERS_0, batch(1_000, "cod", "haddock", "plaice")); // offsets 0-2, at 1000-1002
        append(broker.broker(), ORDERS_0, batch(2_000, "sole", "turbot")); // offsets 3-4, at 2000-2001
    }

    private ListOffsetsResponseData listOffsets(int version, ListOffsetsTopic... topics) {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(topics));
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    private static ListOffsetsTopic topic(String name, ListOffsetsPartition... partitions) {
        return new ListOffsetsTopic().setName(name).setPartitions(List.of(partitions));
    }

    private static ListOffsetsPartition at(int partition, long timestamp) {
        return new ListOffsetsPartition().setPartitionIndex(partition).setTimestamp(timestamp);
    }

    private ListOffsetsPartitionResponse one(int version, String topic, int partition, long timestamp) {
        ListOffsetsResponseData response = listOffsets(version, topic(topic, at(partition, timestamp)));
        assertEquals(1, response.topics().size());
        assertEquals(topic, response.topics().get(0).name());
        ListOffsetsPartitionResponse answer = response.topics().get(0).partitions().get(0);
        assertEquals(partition, answer.partitionIndex());
        return answer;
    }

    private static void assertAnswer(long offset, long timestamp, ListOffsetsPartitionResponse answer) {
        assertEquals(Errors.NONE.code(), answer.errorCode(), "error");
        assertEquals(offset, answer.offset(), "offset");
        assertEquals(timestamp, answer.timestamp(), "timestamp");
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void every_version_answers_earliest_latest_and_by_time_in_one_request(int version) {
        ListOffsetsResponseData response = listOffsets(version,
                topic("orders", at(0, EARLIEST), at(0, LATEST), at(0, 1_500), at(0, 1_001), at(1, LATEST)));

        assertEquals(0, response.throttleTimeMs());
        List<ListOffsetsPartitionResponse> answers = response.topics().get(0).partitions();
        assertEquals(List.of(0, 0, 0, 0, 1), answers.stream().map(ListOffsetsPartitionResponse::partitionIndex).toList());
        assertAnswer(0, -1, answers.get(0));
        assertAnswer(5, -1, answers.get(1));
        assertAnswer(3, 2_000, answers.get(2));
        assertAnswer(1, 1_001, answers.get(3));
        assertAnswer(0, -1, answers.get(4));
        for (ListOffsetsPartitionResponse answer : answers) {
            assertEquals(version >= 4 ? 0 : -1, answer.leaderEpoch(),
                    "from v4, the one epoch this broker's partitions have had, as Kafka's one node answers");
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {7, 9})
    void max_timestamp_finds_the_first_record_with_the_largest_timestamp_wherever_it_lies(int version) {
        append(broker.broker(), ORDERS_0, batch(9_000, "halibut")); // offset 5, the largest timestamp
        append(broker.broker(), ORDERS_0, batch(3_000, "skate")); // offset 6, stamped earlier
        append(broker.broker(), ORDERS_0, batch(9_000, "hake")); // offset 7, as large as offset 5

        assertAnswer(5, 9_000, one(version, "orders", 0, MAX_TIMESTAMP));
        assertAnswer(-1, -1, one(version, "orders", 1, MAX_TIMESTAMP)); // empty: no such record, as Kafka answers

        broker.restart();
        assertAnswer(5, 9_000, one(version, "orders", 0, MAX_TIMESTAMP)); // the segments' newest times, recovered
    }

    @Test
    void tiered_storage_offsets_are_answered_as_for_a_topic_that_keeps_everything_locally() {
        broker.broker().deleteRecords("orders", 0, 2);

        assertAnswer(2, -1, one(NEWEST, "orders", 0, EARLIEST_LOCAL));
        assertAnswer(-1, -1, one(NEWEST, "orders", 0, LATEST_TIERED));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), one(NEWEST, "orders", 7, LATEST_TIERED).errorCode());
    }

    @Test
    void a_time_before_every_record_finds_the_first_one() {
        assertAnswer(0, 1_000, one(NEWEST, "orders", 0, 0));
    }

    @Test
    void a_time_later_than_every_record_finds_none() {
        assertAnswer(-1, -1, one(NEWEST, "orders", 0, 2_002));
    }

    @Test
    void earliest_follows_the_log_start_offset_when_records_are_deleted() {
        broker.broker().deleteRecords("orders", 0, 3);

        assertAnswer(3, -1, one(NEWEST, "orders", 0, EARLIEST));
        assertAnswer(5, -1, one(NEWEST, "orders", 0, LATEST));
    }

    @Test
    void latest_moves_with_each_append() {
        append(broker.broker(), ORDERS_0, batch(3_000, "brill"));

        assertAnswer(6, -1, one(NEWEST, "orders", 0, LATEST));
    }

    @Test
    void an_unknown_partition_is_answered_with_its_error_and_the_others_with_their_offsets() {
        ListOffsetsResponseData response = listOffsets(NEWEST, topic("orders", at(9, LATEST), at(0, LATEST), at(-1, LATEST)),
                topic("no-such-topic", at(0, EARLIEST)));

        List<ListOffsetsPartitionResponse> orders = response.topics().get(0).partitions();
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), orders.get(0).errorCode());
        assertEquals(-1, orders.get(0).offset());
        assertAnswer(5, -1, orders.get(1));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), orders.get(2).errorCode());
        assertEquals("no-such-topic", response.topics().get(1).name());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.topics().get(1).partitions().get(0).errorCode());
    }
}
