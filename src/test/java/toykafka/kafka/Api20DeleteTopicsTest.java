package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
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

    private DeleteTopicsResponseData delete(int version, String... topics) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(new DeleteTopicsRequestData().setTopicNames(List.of(topics)).setTimeoutMs(30_000), version);
        }
    }

    private short errorFor(DeleteTopicsResponseData response, String topic) {
        return response.responses().find(topic).errorCode();
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void every_version_deletes_and_answers_for_each_topic(int version) {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
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
