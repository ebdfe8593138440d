package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.PausableClock;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * 200 clients each join a group of their own with 1 MiB of subscription metadata, then vanish. Past
 * group.coordinator.memory.max.bytes (64 MiB here) further joins are refused; a consumer group that joined
 * before reads on; once the vanished members' sessions run out and their groups die, the coordinator and the
 * heap are back where they started.
 *
 * <p>The broker's clock stands still from the first join until the flood has vanished: the flood's 2 s sessions
 * must not run out while it is still joining (at load 50 they did, and freed the bound before it filled), and they
 * run out in real time after.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JoinMetadataFloodTest {

    private static final int FLOOD = 200;
    private static final long BOUND = 64L << 20;
    private static final int SESSION_MS = 2_000; // the broker allows it: the dead groups go sooner

    final PausableClock clock = new PausableClock();

    // the empty groups are dropped at the cleanup after their sessions run out: one a second, not every 10 minutes
    @StartedBroker(value = FrontEnd.KAFKA, settings = {@Setting(name = BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES,
            value = "67108864"), @Setting(name = BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, value = "2000"),
            @Setting(name = BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, value = "1000")}, clock = "clock")
    RunningBroker broker;

    private static JoinGroupRequestData join(String group, String member) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[1 << 20]));
        return new JoinGroupRequestData().setGroupId(group).setMemberId(member).setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(SESSION_MS).setProtocolType("consumer").setProtocols(protocols);
    }

    private static JoinGroupResponseData answer(KafkaWire wire) throws java.io.IOException {
        ByteBuffer frame = wire.readFrame();
        frame.getInt(); // the correlation id
        return new JoinGroupResponseData(new ByteBufferAccessor(frame), (short) 5);
    }

    @Test
    void members_with_a_megabyte_each_are_refused_past_the_bound_and_leave_nothing_once_their_groups_die()
            throws Exception {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kitchen", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, // the kitchen's own state stays as it was
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaProducer<String, String> till = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
             KafkaConsumer<String, String> cook = new KafkaConsumer<>(settings)) {
            cook.subscribe(List.of("orders"));
            till.send(new ProducerRecord<>("orders", "soup")).get();
            assertEquals(1, readAtLeast(cook, 1), "the cook joined and read before the flood");
            long stateBefore = broker.broker().groupCoordinator().stateBytes();
            long heapBefore = HostileClientsTest.heapUsedAfterGc();

            int taken = 0;
            int refused = 0;
            List<KafkaWire> flood = new ArrayList<>();
            clock.pause();
            for (int g = 0; g < FLOOD; g++) {
                KafkaWire wire = new KafkaWire(broker);
                flood.add(wire);
                wire.write(RawClient.frame(join("flood-" + g, ""), 5, 1));
                JoinGroupResponseData first = answer(wire);
                if (first.errorCode() == Errors.GROUP_MAX_SIZE_REACHED.code()) {
                    refused++;
                    continue;
                }
                assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode());
                wire.write(RawClient.frame(join("flood-" + g, first.memberId()), 5, 2));
                short error = answer(wire).errorCode();
                if (error == Errors.GROUP_MAX_SIZE_REACHED.code()) {
                    refused++;
                } else {
                    assertEquals(Errors.NONE.code(), error);
                    taken++;
                }
            }
            long stateDuring = broker.broker().groupCoordinator().stateBytes();
            till.send(new ProducerRecord<>("orders", "bread")).get();
            assertEquals(1, readAtLeast(cook, 1), "the cook reads on during the flood");
            flood.forEach(KafkaWire::close); // the attackers vanish without leaving
            clock.resume(); // their sessions run from here

            System.out.printf("JoinMetadataFloodTest: %d members of 1 MiB taken, %d refused; the coordinator held"
                    + " %d MiB%n", taken, refused, stateDuring >> 20);
            assertTrue(taken > 0 && refused > 0 && taken + refused == FLOOD, taken + " taken, " + refused + " refused");
            assertTrue(stateDuring <= BOUND, "the bound held: " + stateDuring);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos(); // a hang guard: sessions are 2 s
            while (broker.broker().groupCoordinator().groupCount() > 1 && System.nanoTime() < deadline) {
                cook.poll(Duration.ofMillis(200)); // the cook's heartbeats go on as the flood's sessions run out
            }
            assertEquals(1, broker.broker().groupCoordinator().groupCount(), "only the kitchen is left");
            assertEquals(stateBefore, broker.broker().groupCoordinator().stateBytes(), "nothing kept of the dead groups");
            long heapAfter = HostileClientsTest.heapUsedAfterGc();
            assertTrue(heapAfter - heapBefore < 32L << 20, "the heap after GC grew by " + ((heapAfter - heapBefore) >> 20)
                    + " MiB, having held " + (stateDuring >> 20) + " MiB of members");
        }
    }

    private static int readAtLeast(KafkaConsumer<String, String> consumer, int count) {
        int read = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos(); // ends when read, however slow the machine
        while (read < count && System.nanoTime() < deadline) {
            read += consumer.poll(Duration.ofMillis(200)).count();
        }
        return read;
    }
}
