package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** FindCoordinator in every version Kafka 4.4 serves, written and read by Kafka's own message classes. */
class Api10FindCoordinatorTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void find_coordinator_names_this_broker_for_every_group(int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            FindCoordinatorResponseData answer = wire.send(new FindCoordinatorRequestData().setKey("kitchen"), version);
            assertEquals(Errors.NONE.code(), answer.errorCode());
            assertEquals(broker.broker().nodeId(), answer.nodeId());
            assertEquals(broker.host(), answer.host());
            assertEquals(broker.port(), answer.port());
        }
    }

    @Test
    void a_transactional_ids_coordinator_is_this_broker_and_another_key_type_is_refused() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            FindCoordinatorResponseData answer = wire.send(new FindCoordinatorRequestData().setKey("till-1")
                    .setKeyType((byte) 1), 2);
            assertEquals(Errors.NONE.code(), answer.errorCode());
            assertEquals(broker.broker().nodeId(), answer.nodeId());
            assertEquals(broker.port(), answer.port());
            FindCoordinatorResponseData other = wire.send(new FindCoordinatorRequestData().setKey("till-1")
                    .setKeyType((byte) 3), 3);
            assertEquals(Errors.INVALID_REQUEST.code(), other.errorCode());
            assertTrue(other.errorMessage().contains("nor 2 (a share partition)"), other.errorMessage());
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {4, 5, 6})
    void several_keys_get_an_answer_each(int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            FindCoordinatorResponseData answer = wire.send(new FindCoordinatorRequestData().setKeyType((byte) 1)
                    .setCoordinatorKeys(List.of("till-1", "till-2")), version);
            assertEquals(List.of("till-1", "till-2"), answer.coordinators().stream().map(Coordinator::key).toList());
            for (Coordinator each : answer.coordinators()) {
                assertEquals(Errors.NONE.code(), each.errorCode());
                assertNull(each.errorMessage());
                assertEquals(broker.broker().nodeId(), each.nodeId());
                assertEquals(broker.host(), each.host());
                assertEquals(broker.port(), each.port());
            }
        }
    }

    @Test
    void a_share_partitions_coordinator_is_this_broker_from_v6_and_its_key_must_have_kafkas_shape() {
        String good = "grp:" + Uuid.randomUuid() + ":3";
        try (KafkaWire wire = new KafkaWire(broker)) {
            FindCoordinatorResponseData answer = wire.send(new FindCoordinatorRequestData().setKeyType((byte) 2)
                    .setCoordinatorKeys(List.of(good, "grp:not-an-id:3", "grp:" + Uuid.randomUuid())), 6);
            List<Coordinator> coordinators = answer.coordinators();
            assertEquals(Errors.NONE.code(), coordinators.get(0).errorCode());
            assertEquals(broker.port(), coordinators.get(0).port());
            for (Coordinator refused : coordinators.subList(1, 3)) {
                assertEquals(Errors.INVALID_REQUEST.code(), refused.errorCode(), refused.key());
                assertEquals(-1, refused.nodeId());
                assertTrue(refused.errorMessage().contains("is not group:topicId:partition"), refused.errorMessage());
            }
            FindCoordinatorResponseData early = wire.send(new FindCoordinatorRequestData().setKeyType((byte) 2)
                    .setCoordinatorKeys(List.of(good)), 5);
            assertEquals(Errors.INVALID_REQUEST.code(), early.coordinators().get(0).errorCode());
            assertTrue(early.coordinators().get(0).errorMessage().contains("needs version 6"),
                    early.coordinators().get(0).errorMessage());
        }
    }
}
