package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.BrokerTopics.idOf;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.broker.Broker;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** DeleteTopics, written and read by Kafka's own classes in every version served. */
class Api20DeleteTopicsTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    /** Deletes by name: in v6 each name is a topic state with a zero id, as Kafka's admin sends it. */
    private DeleteTopicsResponseData delete(int version, String... topics) {
        if (version >= 6) {
            return deleteStates(List.of(topics).stream().map(name -> state(name, Uuid.ZERO_UUID)).toList());
        }
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(new DeleteTopicsRequestData().setTopicNames(List.of(topics)).setTimeoutMs(30_000), version);
        }
    }

    private DeleteTopicsResponseData deleteStates(List<DeleteTopicsRequestData.DeleteTopicState> topics) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(new DeleteTopicsRequestData().setTopics(topics).setTimeoutMs(30_000), 6);
        }
    }

    private static DeleteTopicsRequestData.DeleteTopicState state(String name, Uuid id) {
        return new DeleteTopicsRequestData.DeleteTopicState().setName(name).setTopicId(id);
    }

    private DeleteTopicsResponseData.DeletableTopicResult resultFor(DeleteTopicsResponseData response, Uuid id) {
        return response.responses().stream().filter(result -> result.topicId().equals(id)).findFirst().orElseThrow();
    }

    private short errorFor(DeleteTopicsResponseData response, String topic) {
        return response.responses().find(topic).errorCode();
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void every_version_deletes_and_answers_for_each_topic(int version) {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        Uuid ordersId = idOf(broker, "orders");
        DeleteTopicsResponseData response = delete(version, "orders", "never-was", "bad name");

        assertEquals(0, response.throttleTimeMs());
        assertEquals(Errors.NONE.code(), errorFor(response, "orders"));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), errorFor(response, "never-was"));
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), errorFor(response, "bad name"));
        assertFalse(broker.broker().listTopics().contains("orders"));
        if (version >= 5) {
            assertNull(response.responses().find("orders").errorMessage());
            String why = response.responses().find("bad name").errorMessage();
            assertTrue(why != null && why.contains("bad name"), why);
        }
        Uuid expected = version >= 6 ? ordersId : Uuid.ZERO_UUID;
        assertEquals(expected, response.responses().find("orders").topicId(), "v6 answers with the deleted topic's id");
        assertEquals(Uuid.ZERO_UUID, response.responses().find("never-was").topicId());
    }

    @Test
    void v6_deletes_a_topic_by_id_and_answers_with_its_name() {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        Uuid id = idOf(broker, "orders");
        DeleteTopicsResponseData response = deleteStates(List.of(state(null, id)));

        assertEquals(1, response.responses().size());
        DeleteTopicsResponseData.DeletableTopicResult result = resultFor(response, id);
        assertEquals("orders", result.name());
        assertEquals(Errors.NONE.code(), result.errorCode());
        assertNull(result.errorMessage());
        assertFalse(broker.broker().listTopics().contains("orders"));
    }

    @Test
    void v6_answers_an_id_no_topic_has_unknown_topic_id_with_no_name() {
        Uuid nobody = Uuid.randomUuid();
        DeleteTopicsResponseData response = deleteStates(List.of(state(null, nobody)));

        DeleteTopicsResponseData.DeletableTopicResult result = resultFor(response, nobody);
        assertNull(result.name());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), result.errorCode());
        assertEquals("This server does not host this topic ID.", result.errorMessage());
    }

    @Test
    void v6_refuses_a_topic_with_both_a_name_and_an_id_or_with_neither_and_deletes_nothing() {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        Uuid id = idOf(broker, "orders");
        DeleteTopicsResponseData response = deleteStates(List.of(state("orders", id), state(null, Uuid.ZERO_UUID)));

        assertEquals(2, response.responses().size());
        DeleteTopicsResponseData.DeletableTopicResult both = resultFor(response, id);
        assertEquals("orders", both.name());
        assertEquals(Errors.INVALID_REQUEST.code(), both.errorCode());
        assertEquals("You may not specify both topic name and topic id.", both.errorMessage());
        DeleteTopicsResponseData.DeletableTopicResult neither = resultFor(response, Uuid.ZERO_UUID);
        assertNull(neither.name());
        assertEquals(Errors.INVALID_REQUEST.code(), neither.errorCode());
        assertEquals("Neither topic name nor id were specified.", neither.errorMessage());
        assertTrue(broker.broker().listTopics().contains("orders"));
    }

    @Test
    void v6_refuses_a_topic_named_once_by_name_and_once_by_id_with_one_answer_and_keeps_it() {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        Uuid id = idOf(broker, "orders");
        DeleteTopicsResponseData response = deleteStates(List.of(state("orders", Uuid.ZERO_UUID), state(null, id)));

        assertEquals(1, response.responses().size());
        DeleteTopicsResponseData.DeletableTopicResult result = resultFor(response, id);
        assertEquals("orders", result.name());
        assertEquals(Errors.INVALID_REQUEST.code(), result.errorCode());
        assertTrue(broker.broker().listTopics().contains("orders"));
    }

    @Test
    void kafkas_admin_deletes_by_id_and_is_told_an_unknown_id() throws Exception {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        Uuid id = idOf(broker, "orders");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get();
            assertFalse(broker.broker().listTopics().contains("orders"));

            ExecutionException unknown = assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get());
            assertInstanceOf(UnknownTopicIdException.class, unknown.getCause());
        }
    }

    @Test
    void a_deleted_topic_is_gone_from_metadata() {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic("drinks", 1, Map.of(), OnDuplicate.FAIL);
        delete(3, "orders");
        try (KafkaWire wire = new KafkaWire(broker)) {
            MetadataResponseData all = wire.send(new MetadataRequestData().setTopics(null), 8);
            assertTrue(all.topics().find("drinks") != null);
            assertEquals(null, all.topics().find("orders"), "a deleted topic is not listed");
        }
    }

    @Test
    void the_brokers_own_topics_are_refused_as_invalid_topics_and_kept() {
        DeleteTopicsResponseData response = delete(3, Broker.OFFSETS_TOPIC, Broker.STATS_TOPIC);
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), errorFor(response, Broker.OFFSETS_TOPIC));
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), errorFor(response, Broker.STATS_TOPIC));
        assertTrue(broker.broker().listTopics().containsAll(List.of(Broker.OFFSETS_TOPIC, Broker.STATS_TOPIC)));
    }

    @Test
    void a_name_given_twice_is_invalid_request_and_the_topic_is_kept() {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        DeleteTopicsResponseData response = delete(3, "orders", "orders");
        assertEquals(2, response.responses().size());
        response.responses().forEach(result -> assertEquals(Errors.INVALID_REQUEST.code(), result.errorCode()));
        assertTrue(broker.broker().listTopics().contains("orders"));
    }
}
