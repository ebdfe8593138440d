package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.BrokerTopics.partitionCount;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** CreatePartitions, written and read by Kafka's own classes in every version served; one broker, a topic a test. */
class Api37CreatePartitionsTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    private void createTopic(String name, int partitions) {
        broker.broker().createTopic(name, partitions, Map.of(), OnDuplicate.FAIL);
    }

    private static CreatePartitionsTopic topic(String name, int count) {
        return new CreatePartitionsTopic().setName(name).setCount(count).setAssignments(null);
    }

    private CreatePartitionsResponseData send(int version, boolean validateOnly, CreatePartitionsTopic... topics) {
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(30_000)
                .setValidateOnly(validateOnly);
        for (CreatePartitionsTopic topic : topics) {
            request.topics().add(topic);
        }
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void every_version_adds_partitions_and_answers_for_each_topic(int version) {
        String grown = "grown-v" + version;
        createTopic(grown, 1);
        CreatePartitionsResponseData response = send(version, false, topic(grown, 3), topic("absent-v" + version, 2));

        assertEquals(0, response.throttleTimeMs());
        CreatePartitionsTopicResult ok = response.results().get(0);
        assertEquals(grown, ok.name());
        assertEquals(Errors.NONE.code(), ok.errorCode());
        assertNull(ok.errorMessage());
        assertEquals(3, partitionCount(broker, grown));
        CreatePartitionsTopicResult absent = response.results().get(1);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), absent.errorCode(), absent.errorMessage());
    }

    @Test
    void a_count_that_adds_nothing_is_invalid_partitions_naming_the_count_now_and_the_range() {
        createTopic("steady", 3);
        for (int count : new int[] {3, 2}) {
            CreatePartitionsTopicResult result = send(3, false, topic("steady", count)).results().get(0);
            assertEquals(Errors.INVALID_PARTITIONS.code(), result.errorCode());
            assertTrue(result.errorMessage().contains("has 3 partitions"), result.errorMessage());
            assertTrue(result.errorMessage().contains("ask for 4 to 1000"), result.errorMessage());
        }
        CreatePartitionsTopicResult tooMany = send(3, false, topic("steady", 1001)).results().get(0);
        assertEquals(Errors.INVALID_PARTITIONS.code(), tooMany.errorCode());
        assertTrue(tooMany.errorMessage().contains("1 to 1000"), tooMany.errorMessage());
        assertEquals(3, partitionCount(broker, "steady"));
    }

    @Test
    void validate_only_checks_and_adds_nothing() {
        createTopic("planned", 1);
        CreatePartitionsResponseData response = send(3, true, topic("planned", 4), topic("unplanned", 4));
        assertEquals(Errors.NONE.code(), response.results().get(0).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.results().get(1).errorCode());
        assertEquals(1, partitionCount(broker, "planned"), "validate_only adds nothing");
        assertEquals(Errors.INVALID_PARTITIONS.code(), send(3, true, topic("planned", 1)).results().get(0).errorCode());
    }

    @Test
    void an_assignment_is_taken_when_each_new_partition_is_on_this_broker_alone() {
        createTopic("placed", 1);
        CreatePartitionsTopic here = topic("placed", 3).setAssignments(List.of(
                new CreatePartitionsAssignment().setBrokerIds(List.of(1)),
                new CreatePartitionsAssignment().setBrokerIds(List.of(1))));
        assertEquals(Errors.NONE.code(), send(3, false, here).results().get(0).errorCode());
        assertEquals(3, partitionCount(broker, "placed"));

        CreatePartitionsTopic elsewhere = topic("placed", 4).setAssignments(List.of(
                new CreatePartitionsAssignment().setBrokerIds(List.of(1, 2))));
        CreatePartitionsTopicResult refused = send(3, false, elsewhere).results().get(0);
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), refused.errorCode());
        assertTrue(refused.errorMessage().contains("node 1"), refused.errorMessage());

        CreatePartitionsTopic tooFew = topic("placed", 5).setAssignments(List.of(
                new CreatePartitionsAssignment().setBrokerIds(List.of(1))));
        CreatePartitionsTopicResult short1 = send(3, false, tooFew).results().get(0);
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), short1.errorCode());
        assertTrue(short1.errorMessage().contains("adding 2"), short1.errorMessage());
        assertEquals(3, partitionCount(broker, "placed"), "a refused assignment adds nothing");
    }

    @Test
    void a_name_given_twice_is_invalid_request_answered_once_and_nothing_is_added() {
        createTopic("twice", 1);
        CreatePartitionsResponseData response = send(3, false, topic("twice", 2), topic("twice", 3));
        assertEquals(1, response.results().size());
        assertEquals(Errors.INVALID_REQUEST.code(), response.results().get(0).errorCode());
        assertEquals(1, partitionCount(broker, "twice"));
    }

    @Test
    void the_brokers_own_topics_are_refused_as_over_http() {
        CreatePartitionsTopicResult result = send(3, false, topic("__consumer_offsets", 60)).results().get(0);
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), result.errorCode());
        assertTrue(result.errorMessage().contains("broker's own"), result.errorMessage());
    }
}
