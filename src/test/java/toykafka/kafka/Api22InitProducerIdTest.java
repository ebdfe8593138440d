package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.testing.RunningBroker;

/** InitProducerId over the wire, read by Kafka's own classes: a new id each time, never one handed out before. */
class Api22InitProducerIdTest {

    @TempDir
    Path dataDir;

    private static InitProducerIdRequestData idempotent() {
        return new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000);
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1})
    void each_producer_gets_a_new_id_at_epoch_0(int version) {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir); KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData first = wire.send(idempotent(), version);
            InitProducerIdResponseData second = wire.send(idempotent(), version);
            assertEquals(Errors.NONE.code(), first.errorCode());
            assertEquals(0, first.producerEpoch());
            assertTrue(first.producerId() >= 0, "a producer id is 0 or more: " + first.producerId());
            assertTrue(second.producerId() != first.producerId(), "two producers, two ids");
        }
    }

    @Test
    void ids_handed_out_before_a_restart_are_never_handed_out_again() {
        Set<Long> ids = new HashSet<>();
        try (RunningBroker broker = RunningBroker.overKafka(dataDir)) {
            for (int run = 0; run < 3; run++) {
                try (KafkaWire wire = new KafkaWire(broker)) {
                    for (int i = 0; i < 5; i++) {
                        InitProducerIdResponseData answer = wire.send(idempotent(), 1);
                        assertTrue(ids.add(answer.producerId()), "id " + answer.producerId() + " handed out twice");
                    }
                }
                broker.restart();
            }
        }
    }

    @Test
    void a_transactional_id_is_refused_since_the_broker_does_no_transactions() {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir); KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData answer = wire.send(new InitProducerIdRequestData().setTransactionalId("tills")
                    .setTransactionTimeoutMs(60_000), 1);
            assertEquals(Errors.INVALID_REQUEST.code(), answer.errorCode());
            assertEquals(-1, answer.producerId());
            assertEquals(-1, answer.producerEpoch());
        }
    }
}
