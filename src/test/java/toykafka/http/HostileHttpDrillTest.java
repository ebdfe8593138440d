package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.BrokerOnDemand;
import toykafka.testing.Crowd;
import toykafka.testing.RunningBroker;

/**
 * The drill: while a producer and a consumer go about their work, thousands of clients send half a request and
 * leave, hundreds trickle their headers a line at a time or stop halfway through a body, and hundreds more wait
 * in long polls. The producer and the consumer are answered throughout, the long polls hold no thread each,
 * and once the crowd is gone the broker's descriptors and heap are back where they were.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostileHttpDrillTest {

    private static final int HALF_OPEN = 3000;
    private static final int SLOW_HEADERS = 250;
    private static final int STALLED_BODIES = 150;
    private static final int LONG_POLLS = 200;
    /**
     * How long the crowd's stalled connections may sit silent before the broker closes them. A broker that let
     * them hold up the producer or the consumer would answer those only after this, if ever: so an answer sooner
     * was not held up, however busy the machine. How fast the answers come is for the benchmarks.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    final BrokerOnDemand brokers = new BrokerOnDemand();
    private final Crowd crowd = brokers.crowd();
    private RunningBroker broker;

    @Test
    void a_producer_and_a_consumer_are_answered_while_a_crowd_of_hostile_clients_comes_and_goes() throws Exception {
        broker = brokers.overHttp(Map.of(BrokerConfig.IDLE_TIMEOUT_MS,
                String.valueOf(IDLE_TIMEOUT.toMillis())));
        BrokerClient client = new BrokerClient(broker.address());
        assertEquals(201, client.post(RunningBroker.TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":1}").status());
        assertEquals(201, client.post(RunningBroker.TOPICS, "{\"topic_name\":\"quiet\",\"partitions_count\":1}").status());
        int descriptorsBefore = OpenFiles.count();
        long heapBefore = heapAfterGc();
        int threadsBefore = brokerSideThreads();

        HttpClient pollers = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> longPolls = new ArrayList<>();
        for (int i = 0; i < LONG_POLLS; i++) {
            longPolls.add(pollers.sendAsync(HttpRequest.newBuilder(URI.create(broker.address()
                            + "/topics/quiet/partitions/0/records?offset=0&timeout=60000")).timeout(Duration.ofSeconds(90)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        awaitWaitingReads(LONG_POLLS);
        int threadsWhilePolling = brokerSideThreads();

        AtomicBoolean attacking = new AtomicBoolean(true);
        Thread attacker = new Thread(() -> attack(attacking), "drill-attacker");
        attacker.start();

        List<Long> latencies = new ArrayList<>();
        long offset = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
        int produced = 0;
        while (System.nanoTime() < deadline) {
            long started = System.nanoTime();
            var sent = client.post("/v3/clusters/toykafka/topics/orders/records", "{\"key\":\"k" + produced + "\",\"value\":\"order " + produced + "\"}");
            latencies.add(System.nanoTime() - started);
            assertEquals(200, sent.status(), sent.text());
            produced++;
            started = System.nanoTime();
            var read = client.get("/topics/orders/partitions/0/records?offset=" + offset + "&timeout=200");
            latencies.add(System.nanoTime() - started);
            assertEquals(200, read.status(), read.text());
            offset += read.json().size();
            Thread.sleep(50);
        }
        attacking.set(false);
        attacker.join();
        assertEquals(produced, offset, "the consumer read every record the producer wrote");

        assertEquals(200, client.post("/v3/clusters/toykafka/topics/quiet/records", "{\"value\":\"at last\"}").status());
        for (CompletableFuture<HttpResponse<String>> poll : longPolls) {
            HttpResponse<String> answer = poll.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("at last"), "each long poll was answered by the append it waited for");
        }

        crowd.disperse();
        int descriptorsAfter = OpenFiles.settleAtMost(descriptorsBefore + 20);
        long heapAfter = heapAfterGc();
        Collections.sort(latencies);
        long slowest = latencies.get(latencies.size() - 1);
        System.out.printf("HostileHttpDrillTest: %d requests from the producer and consumer, median %.1f ms, slowest %.1f ms;"
                        + " threads %d before, %d with %d long polls waiting; descriptors %d before, %d after;"
                        + " heap %d MiB before, %d MiB after%n", latencies.size(), latencies.get(latencies.size() / 2) / 1e6,
                slowest / 1e6, threadsBefore, threadsWhilePolling, LONG_POLLS, descriptorsBefore, descriptorsAfter,
                heapBefore >> 20, heapAfter >> 20);

        assertTrue(slowest < IDLE_TIMEOUT.toNanos(), "every request of the producer and the consumer was answered"
                + " before the crowd's stalled connections timed out, " + IDLE_TIMEOUT.toMillis() + " ms; the slowest"
                + " took " + slowest / 1_000_000 + " ms");
        assertTrue(threadsWhilePolling < threadsBefore + 20, LONG_POLLS + " long polls hold no thread each: "
                + threadsBefore + " threads before, " + threadsWhilePolling + " while they waited");
        assertTrue(descriptorsAfter <= descriptorsBefore + 20, "descriptors: " + descriptorsBefore + " before, "
                + descriptorsAfter + " after the crowd left");
        assertTrue(heapAfter < heapBefore + (64L << 20), "heap: " + (heapBefore >> 20) + " MiB before, "
                + (heapAfter >> 20) + " MiB after");
        assertEquals("", broker.faults(), "none of it was a fault of the broker's");
    }

    /** Half-sent requests, headers a line at a time, and bodies that stop: until told to stop. */
    private void attack(AtomicBoolean attacking) {
        try {
            String host = URI.create(broker.address()).getAuthority(); // the broker's own name: anything else is refused at once
            List<SocketChannel> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_HEADERS; i++) {
                slow.add(open("GET / HTTP/1.1\r\nHost: " + host + "\r\n"));
            }
            for (int i = 0; i < STALLED_BODIES; i++) {
                open("POST /v3/clusters/toykafka/topics/orders/records HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"value\":\"");
            }
            int halfOpen = 0;
            int line = 0;
            while (attacking.get()) {
                for (int i = 0; i < 300 && halfOpen < HALF_OPEN; i++, halfOpen++) {
                    SocketChannel gone = open("GET / HTTP/1.1\r\nHost: " + host + "\r\n");
                    crowd.remove(gone);
                    gone.close();
                }
                for (SocketChannel channel : slow) {
                    channel.write(ascii("X-Trickle-" + line + ": still here\r\n"));
                }
                line++;
                Thread.sleep(1000);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the attacker could not reach the broker: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SocketChannel open(String firstBytes) throws IOException {
        URI address = URI.create(broker.address());
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(address.getHost(), address.getPort()));
        crowd.add(channel);
        channel.write(ascii(firstBytes));
        return channel;
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void awaitWaitingReads(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (broker.broker().partitions().waitingReads() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(count, broker.broker().partitions().waitingReads(), "every long poll is parked in the purgatory");
    }

    /** The JVM's threads less the test's own HTTP client's, which start as its requests need them. */
    private static int brokerSideThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !thread.getName().startsWith("HttpClient")).count();
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
