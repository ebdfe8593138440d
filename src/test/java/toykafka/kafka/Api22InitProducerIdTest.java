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
    @ValueSource(ints = {0, 1, 2, 3, 4})
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

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void a_transactional_id_keeps_its_producer_id_and_each_instance_gets_the_next_epoch(int version) {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir); KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdRequestData init = new InitProducerIdRequestData().setTransactionalId("tills-v" + version)
                    .setTransactionTimeoutMs(60_000);
            InitProducerIdResponseData first = wire.send(init, version);
            InitProducerIdResponseData second = wire.send(init, version);
            assertEquals(Errors.NONE.code(), first.errorCode());
            assertEquals(first.producerId(), second.producerId());
            assertEquals(0, first.producerEpoch());
            assertEquals(1, second.producerEpoch(), "the second instance fences the first");

            InitProducerIdResponseData tooLong = wire.send(new InitProducerIdRequestData().setTransactionalId("slow")
                    .setTransactionTimeoutMs(900_001), version);
            assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT.code(), tooLong.errorCode());
            if (version >= 3) { // KIP-360: a producer names the instance it is; a stale one is fenced
                InitProducerIdResponseData stale = wire.send(init.setProducerId(first.producerId())
                        .setProducerEpoch(first.producerEpoch()), version);
                assertEquals((version >= 4 ? Errors.PRODUCER_FENCED : Errors.INVALID_PRODUCER_EPOCH).code(),
                        stale.errorCode());
                InitProducerIdResponseData current = wire.send(init.setProducerId(second.producerId())
                        .setProducerEpoch(second.producerEpoch()), version);
                assertEquals(2, current.producerEpoch());
            }
        }
    }
}
