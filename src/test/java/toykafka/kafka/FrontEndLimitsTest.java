package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.Partitions;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/** The Kafka front end's two broker-wide limits: max.connections and queued.max.request.bytes. */
class FrontEndLimitsTest {

    private static final int MIB = 1 << 20;
    /** The front end logs a refused connection at most once in this period, telling the ones left out next time. */
    private static final Duration REFUSED_LINE_PERIOD = Duration.ofSeconds(10);
    /** A bound on a hang only: every wait within ends at what it waits for. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(5);
    /** How long a condition the broker reaches on its own may take on a busy machine; ends when it holds. */
    private static final Duration SETTLE = Duration.ofMinutes(2);
    /** How long a client waits for an answer or the close before it counts the broker silent; ends at either. */
    private static final int ANSWER_WAIT_MS = 60_000;

    @TempDir
    Path dataDir;

    @Test
    void connections_past_max_connections_are_closed_at_once_with_one_line_in_the_log() {
        // an arrival timeout of ten minutes: no connection here is idle long enough to make room for another
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.MAX_CONNECTIONS, "20",
                BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS, "600000"), false)) {
            Duration refusalsSpread = assertTimeoutPreemptively(HANG_GUARD, () -> {
                byte[] versions = RawClient.frame(new ApiVersionsRequestData(), 0, 1);
                List<RawClient> clients = new ArrayList<>();
                int answered = 0;
                int closed = 0;
                long started = System.nanoTime();
                Duration spread;
                try {
                    for (int i = 0; i < 30; i++) {
                        RawClient client = new RawClient(broker, ANSWER_WAIT_MS);
                        clients.add(client);
                        client.write(versions);
                        if (client.outcome() == RawClient.Outcome.ANSWERED) {
                            answered++;
                        } else {
                            closed++;
                        }
                    }
                    // every refusal fell between the start and now, as the broker's clock saw it too
                    spread = Duration.ofNanos(System.nanoTime() - started);
                    assertEquals(20, answered, "the first max.connections are served");
                    assertEquals(10, closed, "the rest are closed at once");
                } finally {
                    clients.forEach(RawClient::close);
                }
                awaitTrue(() -> broker.front().openConnections() == 0, "the served connections closed");
                try (RawClient again = new RawClient(broker, ANSWER_WAIT_MS)) {
                    again.write(versions);
                    assertEquals(RawClient.Outcome.ANSWERED, again.outcome(), "a connection is served once others closed");
                }
                return spread;
            });
            List<String> lines = broker.log().lines().filter(line -> line.contains("max.connections=20 are open")).toList();
            assertTrue(!lines.isEmpty(), "the first refusal is logged: " + broker.log());
            assertTrue(!lines.get(0).contains("more like it"), "nothing was left out before the first: " + lines);
            // a line stands for itself and the refusals left out since the last; those after the last line stay untold
            int told = lines.stream().mapToInt(FrontEndLimitsTest::refusalsTold).sum();
            assertTrue(told <= 10, "no more refusals told than made: " + lines);
            if (refusalsSpread.compareTo(REFUSED_LINE_PERIOD) < 0) {
                assertEquals(1, lines.size(), "ten refusals within " + refusalsSpread.toMillis() + " ms make one line: "
                        + lines);
            } else {
                // a starved machine spread them over more than a period: a line a period at most
                long periods = refusalsSpread.toNanos() / REFUSED_LINE_PERIOD.toNanos() + 1;
                assertTrue(lines.size() <= periods, lines.size() + " lines in " + refusalsSpread.toMillis() + " ms: " + lines);
            }
        }
    }

    @Test
    void max_connections_per_ip_changed_while_running_holds_for_new_connections_and_spares_the_open_ones() {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(), false)) {
            assertTimeoutPreemptively(HANG_GUARD, () -> {
                byte[] versions = RawClient.frame(new ApiVersionsRequestData(), 0, 1);
                List<RawClient> open = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) {
                        RawClient client = new RawClient(broker, ANSWER_WAIT_MS);
                        open.add(client);
                        client.write(versions);
                        assertEquals(RawClient.Outcome.ANSWERED, client.outcome());
                    }
                    DynamicBrokerConfigs dynamic = broker.broker().dynamicConfigs();
                    dynamic.alter(DynamicBrokerConfigs.Level.BROKER, Map.of(BrokerConfig.MAX_CONNECTIONS_PER_IP, "3"),
                            Set.of(), false, false);
                    try (RawClient fourth = new RawClient(broker, ANSWER_WAIT_MS)) {
                        fourth.write(versions);
                        assertEquals(RawClient.Outcome.CLOSED, fourth.outcome(), "127.0.0.1 holds 3, its new limit");
                    }
                    assertTrue(broker.log().lines().anyMatch(line -> line.contains("max.connections.per.ip=3")),
                            broker.log().toString());
                    RawClient first = open.get(0);
                    first.write(versions);
                    assertEquals(RawClient.Outcome.ANSWERED, first.outcome(), "those open when it changed are served");

                    dynamic.alter(DynamicBrokerConfigs.Level.BROKER, Map.of(), Set.of(BrokerConfig.MAX_CONNECTIONS_PER_IP),
                            false, false);
                    try (RawClient fourth = new RawClient(broker, ANSWER_WAIT_MS)) {
                        fourth.write(versions);
                        assertEquals(RawClient.Outcome.ANSWERED, fourth.outcome(), "deleted, the start's limit holds again");
                    }
                } finally {
                    open.forEach(RawClient::close);
                }
            });
        }
    }

    @Test
    void when_max_connections_are_taken_the_one_idle_longest_after_only_apiversions_makes_room() throws Exception {
        long arrivalMs = 2000;
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.MAX_CONNECTIONS, "6",
                BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS, String.valueOf(arrivalMs)), false)) {
            assertTimeoutPreemptively(HANG_GUARD, () -> {
                byte[] versions = RawClient.frame(new ApiVersionsRequestData(), 0, 1);
                byte[] metadata = RawClient.frame(new MetadataRequestData().setTopics(List.of()), 8, 2);
                List<RawClient> workers = new ArrayList<>();
                List<RawClient> handshakes = new ArrayList<>();
                try {
                    for (int i = 0; i < 6; i++) { // three that worked, then three that only said hello
                        RawClient client = new RawClient(broker, ANSWER_WAIT_MS);
                        (i < 3 ? workers : handshakes).add(client);
                        client.write(versions);
                        assertEquals(RawClient.Outcome.ANSWERED, client.outcome());
                        if (i < 3) {
                            client.write(metadata);
                            assertEquals(RawClient.Outcome.ANSWERED, client.outcome());
                        }
                    }
                    long quietSince = System.nanoTime();
                    try (RawClient early = new RawClient(broker, ANSWER_WAIT_MS)) {
                        early.write(versions);
                        RawClient.Outcome outcome = early.outcome();
                        if (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(arrivalMs)) {
                            assertEquals(RawClient.Outcome.CLOSED, outcome, "none idle long enough yet: refused");
                        }
                    }
                    Thread.sleep(arrivalMs + 500); // the rule under test is an idle time: let it pass
                    try (RawClient late = new RawClient(broker, ANSWER_WAIT_MS)) {
                        late.write(versions);
                        assertEquals(RawClient.Outcome.ANSWERED, late.outcome(), "an idle one made room: " + broker.log());
                    }
                    int closedHandshakes = 0;
                    for (RawClient client : handshakes) {
                        client.write(versions);
                        closedHandshakes += client.outcome() == RawClient.Outcome.CLOSED ? 1 : 0;
                    }
                    assertTrue(closedHandshakes >= 1, "a connection that only sent ApiVersions went first");
                    for (RawClient client : workers) {
                        client.write(versions);
                        assertEquals(RawClient.Outcome.ANSWERED, client.outcome(), "those that worked stay");
                    }
                } finally {
                    workers.forEach(RawClient::close);
                    handshakes.forEach(RawClient::close);
                }
            });
            assertTrue(broker.log().contains("after only ApiVersions, to make room for a new one"), broker.log());
        }
    }

    /** The refusals one throttled line stands for: itself and those it says were left out before it. */
    private static int refusalsTold(String line) {
        Matcher leftOut = Pattern.compile("\\(and (\\d+) more like it left out of the log\\)").matcher(line);
        return 1 + (leftOut.find() ? Integer.parseInt(leftOut.group(1)) : 0);
    }

    // tag::memory-bound[]
    @Test
    void past_queued_max_request_bytes_reading_stops_until_answers_free_memory_and_every_request_is_answered() {
        int bound = 4 * MIB;
        try (RunningBroker broker = RunningBroker.overKafka(dataDir,
                Map.of(BrokerConfig.QUEUED_MAX_REQUEST_BYTES, String.valueOf(bound)), false)) {
            broker.broker().createTopic("big", 1, Map.of(toykafka.common.TopicConfig.MAX_MESSAGE_BYTES, String.valueOf(4 * MIB)),
                    OnDuplicate.FAIL);
            RequestMemory memory = broker.front().requestMemory();
            assertTimeoutPreemptively(HANG_GUARD, () -> {
                List<RawClient> clients = new ArrayList<>();
                List<byte[]> frames = new ArrayList<>();
                List<CompletableFuture<Void>> firstParts = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) { // three 3 MiB produces, each sent but for its last 512 KiB
                        byte[] frame = RawClient.frame(produce("big", 3 * MIB - 200), 8, i);
                        RawClient client = new RawClient(broker, ANSWER_WAIT_MS);
                        clients.add(client);
                        frames.add(frame);
                        firstParts.add(CompletableFuture.runAsync(() -> client.write(frame, 0, frame.length - MIB / 2)));
                    }
                    awaitTrue(() -> memory.waiting() >= 1, "a connection muted once the bound is reached");
                    assertTrue(memory.peak() <= bound + broker.broker().config().requestMaxBytes(), "held at most the"
                            + " bound and one frame past it: " + HostileClientsTest.mib(memory.peak()));
                    for (int i = 0; i < 3; i++) { // each frame's rest after its first part: one writer per socket
                        byte[] frame = frames.get(i);
                        RawClient client = clients.get(i);
                        firstParts.get(i).thenRunAsync(() -> client.write(frame, frame.length - MIB / 2, MIB / 2));
                    }
                    for (int i = 0; i < 3; i++) {
                        assertEquals(RawClient.Outcome.ANSWERED, clients.get(i).outcome(), "produce " + i);
                        assertEquals(Errors.NONE.code(), errorOf(clients.get(i).lastResponse()), "produce " + i);
                    }
                    CompletableFuture.allOf(firstParts.toArray(CompletableFuture[]::new)).join();
                } finally {
                    clients.forEach(RawClient::close);
                }
                awaitTrue(() -> memory.held() == 0, "every request's bytes given back");
            });
            assertTrue(memory.peak() <= bound + broker.broker().config().requestMaxBytes(),
                    HostileClientsTest.mib(memory.peak()));
            assertEquals(3, broker.broker().partitions().listOffsets(new TopicPartition("big", 0), Partitions.LATEST)
                    .offset(), "all three written, once each");
            assertTrue(!broker.log().contains("closing the connection"), "muted, not failed: " + broker.log());
        }
    }
    // end::memory-bound[]

    @Test
    void answers_a_client_never_reads_are_dropped_with_its_connection_once_they_pass_the_bound() throws Exception {
        Map<String, String> settings = Map.of(BrokerConfig.QUEUED_MAX_REQUEST_BYTES, String.valueOf(4 * MIB),
                BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS, "5000");
        String log = neverReadingClientsAreClosed(settings, 12); // 48 MiB of answers asked for
        assertTrue(log.contains("took nothing of a"), log);
    }

    @Test
    void an_answer_its_client_takes_nothing_of_is_dropped_after_connections_max_idle_ms_whatever_the_memory() throws Exception {
        neverReadingClientsAreClosed(Map.of(BrokerConfig.CONNECTIONS_MAX_IDLE_MS, "3000"), 1);
    }

    /**
     * Stores 4 MiB in a topic kept in memory, whose fetches are answered from the heap; {@code count} clients each
     * fetch all of it and read nothing. A client that reads is served meanwhile, and the others' connections are
     * closed and their answers' memory given back. Returns the broker's log.
     */
    private String neverReadingClientsAreClosed(Map<String, String> limits, int count) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(limits);
        settings.put(BrokerConfig.STORAGE, "memory");
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, settings, false)) {
            broker.broker().createTopic("big", 1, Map.of(toykafka.common.TopicConfig.MAX_MESSAGE_BYTES,
                    String.valueOf(2 * MIB)), OnDuplicate.FAIL);
            RequestMemory memory = broker.front().requestMemory();
            assertTimeoutPreemptively(HANG_GUARD, () -> {
                try (RawClient producer = new RawClient(broker, ANSWER_WAIT_MS)) {
                    for (int i = 0; i < 4; i++) {
                        producer.write(RawClient.frame(produce("big", MIB), 8, i));
                        assertEquals(RawClient.Outcome.ANSWERED, producer.outcome());
                    }
                }
                byte[] fetch = RawClient.frame(new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                        .setMaxBytes(8 * MIB).setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("big")
                                .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0)
                                        .setFetchOffset(0).setPartitionMaxBytes(8 * MIB))))), 11, 1);
                List<java.net.Socket> neverRead = new ArrayList<>();
                try {
                    for (int i = 0; i < count; i++) { // a small receive window: the kernel takes little of 4 MiB
                        java.net.Socket socket = new java.net.Socket();
                        socket.setReceiveBufferSize(4096);
                        socket.connect(new java.net.InetSocketAddress(broker.host(), broker.port()));
                        socket.getOutputStream().write(fetch);
                        neverRead.add(socket);
                    }
                    try (RawClient good = new RawClient(broker, ANSWER_WAIT_MS)) {
                        good.write(RawClient.frame(new ApiVersionsRequestData(), 0, 1));
                        assertEquals(RawClient.Outcome.ANSWERED, good.outcome(), "a client that reads is served: "
                                + broker.log());
                    }
                    awaitTrue(() -> broker.front().openConnections() == 0, "the connections that never read were closed");
                    awaitTrue(() -> memory.held() == 0, "their answers' bytes given back");
                } finally {
                    for (java.net.Socket socket : neverRead) {
                        socket.close();
                    }
                }
            });
            return broker.log();
        }
    }

    private static ProduceRequestData produce(String topic, int valueBytes) {
        byte[] value = new byte[valueBytes];
        java.util.Arrays.fill(value, (byte) 'x');
        return new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000).setTopicData(
                new ProduceRequestData.TopicProduceDataCollection(List.of(new ProduceRequestData.TopicProduceData()
                        .setName(topic).setPartitionData(List.of(WireRecords.partition(0, KafkaBatches.batch(
                                        System.currentTimeMillis(), new String(value, java.nio.charset.StandardCharsets.US_ASCII))))))
                        .iterator()));
    }

    private static short errorOf(ByteBuffer response) {
        ResponseHeader.parse(response, ApiKeys.PRODUCE.responseHeaderVersion((short) 8));
        ProduceResponseData data = new ProduceResponseData();
        data.read(new ByteBufferAccessor(response), (short) 8);
        return data.responses().iterator().next().partitionResponses().get(0).errorCode();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "still not true after " + SETTLE.toSeconds() + " s: " + what);
            Thread.sleep(20);
        }
    }
}
