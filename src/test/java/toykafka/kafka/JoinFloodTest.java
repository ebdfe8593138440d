package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * A hostile client that asks for member ids by the thousand and never uses them, on one connection, with a
 * 30-minute session: kafka-clients' consumer still joins the group and reads. The group is bounded at 1,000
 * members here, the old default, so ids counted as members would have filled it.
 */
class JoinFloodTest {

    private static final int PARKED = 1_200;
    /** The consumer's rebalance timeout: the join barrier stops waiting for the parked ids after it. */
    private static final int MAX_POLL_INTERVAL_MS = 10_000;

    @StartedBroker(value = FrontEnd.KAFKA, settings = @Setting(name = BrokerConfig.GROUP_MAX_SIZE, value = "1000"))
    RunningBroker broker;

    private static JoinGroupRequestData firstJoin() {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {0, 1}));
        return new JoinGroupRequestData().setGroupId("kitchen").setMemberId("").setSessionTimeoutMs(1_800_000)
                .setRebalanceTimeoutMs(1_800_000).setProtocolType("consumer").setProtocols(protocols);
    }

    @Test
    void ids_parked_by_the_thousand_keep_no_real_consumer_out() {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        try (KafkaProducer<String, String> till = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (String order : List.of("soup", "bread", "pie")) {
                till.send(new ProducerRecord<>("orders", order));
            }
        }
        try (KafkaWire hostile = new KafkaWire(broker)) {
            for (int i = 0; i < PARKED; i++) { // sent one after another, answers read after: as fast as it can ask
                hostile.write(RawClient.frame(firstJoin(), 5, i));
            }
            for (int i = 0; i < PARKED; i++) {
                ByteBuffer answer = hostile.readFrame(); // correlation id, throttle time, then the error code
                assertEquals(Errors.MEMBER_ID_REQUIRED.code(), answer.getShort(8), "join " + i + ": an id, never a refusal");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kitchen", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> cooked = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            List<String> read = new ArrayList<>();
            try (KafkaConsumer<String, String> cook = new KafkaConsumer<>(settings)) {
                cook.subscribe(List.of("orders"));
                while (read.size() < 3) { // the barrier waits for the parked ids up to the rebalance timeout
                    cook.poll(Duration.ofMillis(500)).forEach(record -> read.add(record.value()));
                }
            }
            return read;
        });
        assertEquals(List.of("soup", "bread", "pie"), cooked);
    }
}
