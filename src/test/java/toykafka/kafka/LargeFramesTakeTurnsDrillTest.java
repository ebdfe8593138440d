package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.DrillKit.address;
import static toykafka.kafka.DrillKit.awaitTrue;
import static toykafka.kafka.DrillKit.pause;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.BrokerOnDemand;
import toykafka.testing.RunningBroker;

/**
 * Clients that first send a good request, then announce a large frame and stall after 1 MiB, each holding
 * memory until request.arrival.timeout.ms closes it, and coming back at once: while they take turns, a
 * well-behaved producer's 600 KB requests are served, each within its request timeout: a frame over a quarter
 * of queued.max.request.bytes may not hold the quarter kept for smaller ones. {@link RequestMemoryTest} has
 * the rules one by one.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LargeFramesTakeTurnsDrillTest {

    private static final int BOUND = 16 << 20;
    private static final int ARRIVAL_MS = 2_000;
    private static final int SENDS = 12;
    private static final InetAddress STALLER = address("127.0.0.3");

    @RegisterExtension
    final BrokerOnDemand brokers = new BrokerOnDemand();
    private RunningBroker broker;

    @Test
    void a_producer_s_600_kb_requests_are_served_while_stalled_frames_the_size_of_the_bound_take_turns()
            throws Exception {
        drill(6, BOUND, 2); // one holds the bound at a time: a huge frame never holds the last quarter
    }

    /**
     * While {@code attackers} connections each hold a stalled frame of {@code announced} bytes, a producer sends
     * 600 KB records until the broker has closed {@code turns} of those frames.
     */
    private void drill(int attackers, int announced, int turns) throws Exception {
        broker = brokers.overKafka(Map.of(BrokerConfig.QUEUED_MAX_REQUEST_BYTES, String.valueOf(BOUND),
                BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS, String.valueOf(ARRIVAL_MS)));
        broker.broker().createTopic("orders", 1, Map.of("max.message.bytes", String.valueOf(1 << 20)), OnDuplicate.FAIL);
        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicInteger closedByBroker = new AtomicInteger();
        Thread attacker = new Thread(() -> attack(attackers, announced, attacking, closedByBroker), "drill-attacker");
        attacker.start();
        RequestMemory memory = broker.front().requestMemory();
        awaitTrue(() -> memory.held() >= BOUND - announced, "the attackers' frames granted the bound");

        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("key.serializer", ByteArraySerializer.class.getName());
        config.put("value.serializer", ByteArraySerializer.class.getName());
        config.put("request.timeout.ms", "6000"); // three turns of the attackers: five were ahead of it
        config.put("delivery.timeout.ms", "16000");
        config.put("retries", "0"); // a request that waited past its timeout fails the send, not a retry
        byte[] value = new byte[600_000];
        int acknowledged = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            // until the attackers have taken several turns, however long the machine takes for them
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // a bound on a hang only
            while ((acknowledged < SENDS || closedByBroker.get() < turns) && System.nanoTime() < deadline) {
                producer.send(new ProducerRecord<>("orders", value)).get(1, TimeUnit.MINUTES);
                acknowledged++;
                pause(100); // a steady producer, not a flood of its own
            }
        } finally {
            attacking.set(false);
            attacker.join();
        }
        System.out.printf("LargeFramesTakeTurnsDrillTest: %d sends of 600 KB acknowledged while %d stalled frames of"
                + " %s were closed; request memory peak %s%n", acknowledged, closedByBroker.get(),
                HostileClientsTest.mib(announced), HostileClientsTest.mib(memory.peak()));
        assertTrue(closedByBroker.get() >= turns, "the attackers took " + turns + " turns holding the memory, each"
                + " closed at request.arrival.timeout.ms: " + closedByBroker.get());
        assertEquals(acknowledged, broker.broker().describeTopic("orders").partitions().get(0).endOffset(),
                "every record stored once");
    }

    /** Keeps {@code attackers} connections each holding a stalled frame; one the broker closes is replaced at once. */
    private void attack(int attackers, int announced, AtomicBoolean attacking, AtomicInteger closedByBroker) {
        try {
            List<SocketChannel> stalled = new ArrayList<>();
            ByteBuffer probe = ByteBuffer.allocate(1);
            while (attacking.get()) {
                while (stalled.size() < attackers) {
                    stalled.add(stall(announced));
                }
                for (SocketChannel channel : List.copyOf(stalled)) {
                    if (channel.read(probe.clear()) < 0) {
                        closedByBroker.incrementAndGet();
                        stalled.remove(channel);
                        channel.close();
                    }
                }
                pause(50);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the attacker could not reach the broker: " + e, e);
        }
    }

    /** A connection that spoke first (ApiVersions, answered), then announced a frame and sent 1 MiB of it. */
    private SocketChannel stall(int announced) throws IOException {
        SocketChannel channel = brokers.crowd().connect(STALLER, broker.host(), broker.port());
        channel.write(ByteBuffer.wrap(RawClient.frame(new ApiVersionsRequestData(), 3, 1)));
        ByteBuffer size = ByteBuffer.allocate(4);
        while (size.hasRemaining() && channel.read(size) >= 0) {
            // the answer's size
        }
        ByteBuffer answer = ByteBuffer.allocate(size.flip().getInt());
        while (answer.hasRemaining() && channel.read(answer) >= 0) {
            // the answer: this client has spoken
        }
        channel.write(ByteBuffer.allocate(4).putInt(0, announced));
        channel.configureBlocking(false);
        channel.write(ByteBuffer.allocate(1 << 20)); // what the socket takes of it; the rest is never sent
        return channel;
    }
}
