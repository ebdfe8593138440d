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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.BrokerOnDemand;
import toykafka.testing.RunningBroker;

/**
 * The Kafka listener's drill: while kafka-clients' producer and consumer on 127.0.0.1 go about their work,
 * 127.0.0.2 opens thousands of connections that never speak, and 127.0.0.3 starts hundreds of frames it
 * never finishes, a hundred of them announcing 100 MB and sending 1 MiB. Every send and every read of the
 * good client succeeds; 127.0.0.2 never holds more than max.connections.per.ip, and what it holds is closed
 * once request.arrival.timeout.ms passes; the large frames hold their allowance, not the memory bound.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaHostileDrillTest {

    private static final int PER_IP = 300;
    private static final int IDLE = 2_000;
    private static final int BIG_FRAMES = 100;
    private static final int SMALL_HALVES = 150;
    private static final int ARRIVAL_MS = 4_000;
    private static final InetAddress IDLER = address("127.0.0.2");
    private static final InetAddress STALLER = address("127.0.0.3");

    @RegisterExtension
    final BrokerOnDemand brokers = new BrokerOnDemand();
    private RunningBroker broker;

    @Test
    void a_producer_and_a_consumer_on_one_address_are_served_while_other_addresses_hold_idle_and_half_sent_connections()
            throws Exception {
        broker = brokers.overKafka(Map.of(BrokerConfig.MAX_CONNECTIONS_PER_IP, String.valueOf(PER_IP),
                BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS, String.valueOf(ARRIVAL_MS)));
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        KafkaFrontEnd front = broker.front();
        AtomicInteger mostFromIdler = new AtomicInteger();
        AtomicInteger idlersRefused = new AtomicInteger();
        AtomicBoolean attacking = new AtomicBoolean(true);
        Thread attacker = new Thread(() -> attack(attacking, idlersRefused), "drill-attacker");
        Thread watcher = new Thread(() -> {
            while (attacking.get()) {
                mostFromIdler.accumulateAndGet(front.openConnectionsFrom(IDLER), Math::max);
                pause(20);
            }
        }, "drill-watcher");
        attacker.start();
        watcher.start();

        int produced = 0;
        int consumed = 0;
        TopicPartition orders = new TopicPartition("orders", 0);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientConfig(Map.of(
                "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName(),
                "acks", "all")));
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(clientConfig(Map.of(
                     "key.deserializer", StringDeserializer.class.getName(),
                     "value.deserializer", StringDeserializer.class.getName(), "enable.auto.commit", "false")))) {
            consumer.assign(List.of(orders));
            consumer.seekToBeginning(List.of(orders));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < deadline) {
                producer.send(new ProducerRecord<>("orders", "k" + produced, "order " + produced)).get(30, TimeUnit.SECONDS);
                produced++;
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals("order " + consumed, record.value(), "read in order, each once");
                    consumed++;
                }
            }
            long patience = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // the reads left, however busy the machine
            while (consumed < produced && System.nanoTime() < patience) {
                consumed += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        attacking.set(false);
        attacker.join();
        watcher.join();
        RequestMemory memory = front.requestMemory();
        System.out.printf("KafkaHostileDrillTest: %d records produced and consumed; 127.0.0.2 held at most %d"
                        + " connections, %d refused; request memory peak %s%n", produced, mostFromIdler.get(),
                idlersRefused.get(), HostileClientsTest.mib(memory.peak()));

        assertEquals(produced, consumed, "the consumer read every record the producer wrote");
        assertTrue(produced > 0, "the producer was served");
        assertTrue(mostFromIdler.get() <= PER_IP, "127.0.0.2 held " + mostFromIdler.get() + " connections, past"
                + " max.connections.per.ip=" + PER_IP);
        assertTrue(idlersRefused.get() >= IDLE - PER_IP, "127.0.0.2's connections past its limit were closed at once: "
                + idlersRefused.get());
        assertTrue(broker.log().contains("max.connections.per.ip=" + PER_IP), broker.log());
        awaitTrue(() -> front.openConnectionsFrom(IDLER) == 0 && front.openConnectionsFrom(STALLER) == 0,
                "the silent and stalled connections closed once request.arrival.timeout.ms passed");
        assertTrue(broker.log().contains(BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS), broker.log());
        assertTrue(!broker.log().contains("the broker failed"), broker.log());
    }

    /** Silent connections from one address, and frames begun and never finished from another. */
    private void attack(AtomicBoolean attacking, AtomicInteger refused) {
        try {
            byte[] versions = RawClient.frame(new ApiVersionsRequestData(), 3, 1);
            for (int i = 0; i < SMALL_HALVES; i++) {
                open(STALLER).write(ByteBuffer.wrap(versions, 0, versions.length - 1));
            }
            ByteBuffer mebibyte = ByteBuffer.allocate(1 << 20);
            for (int i = 0; i < BIG_FRAMES; i++) {
                SocketChannel big = open(STALLER);
                big.write(ByteBuffer.allocate(4).putInt(0, broker.broker().config().requestMaxBytes()));
                big.configureBlocking(false);
                big.write(mebibyte.clear()); // what the socket takes of it; the rest is never sent
            }
            List<SocketChannel> idle = new ArrayList<>();
            for (int i = 0; i < IDLE && attacking.get(); i++) {
                idle.add(open(IDLER));
            }
            pause(500);
            ByteBuffer probe = ByteBuffer.allocate(1);
            for (SocketChannel channel : idle) {
                channel.configureBlocking(false);
                if (channel.read(probe.clear()) < 0) {
                    refused.incrementAndGet();
                }
            }
            while (attacking.get()) {
                pause(100);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the attacker could not reach the broker: " + e, e);
        }
    }

    private SocketChannel open(InetAddress from) throws IOException {
        return brokers.crowd().connect(from, broker.host(), broker.port());
    }

    private Properties clientConfig(Map<String, String> settings) {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("client.dns.lookup", "use_all_dns_ips");
        config.putAll(settings);
        return config;
    }
}
