package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.DrillKit.awaitTrue;
import static toykafka.kafka.DrillKit.pause;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.OffsetRecord;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.Drill;
import toykafka.testing.RunningBroker;

/**
 * The fuzz test of the Kafka front end: rounds of bytes no honest client sends (truncated, oversized,
 * negative and garbage frames, bit-flipped requests of every API, unknown keys and versions, lengths that
 * lie, a frame a byte at a time, ten thousand connections, half-open ones, frames announced and never sent)
 * against one broker. After every round the broker still answers ApiVersions and a produce and fetch on a
 * fresh connection, holds only the records valid requests wrote, has not grown threads, and logged no
 * failure of its own. Random rounds print their seed; rerun one with {@code -Dfuzz.seed=N}, and flip more
 * copies of each request with {@code -Dfuzz.copies=N} (12 by default).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileClientsTest {

    /** Only a bound on a hung round: a round takes seconds on a quiet machine, and more on a busy one. */
    private static final Duration ROUND_LIMIT = Duration.ofMinutes(5);
    /** Short, so half-open connections close within a round; long enough for a test JVM busy loading classes. */
    private static final int IDLE_MS = 5_000;
    /**
     * How long a request that must be answered or closed may take: the wait ends at the answer, so it costs a
     * quiet machine nothing, and a busy one answers late, not never.
     */
    private static final int READ_TIMEOUT_MS = 60_000;
    /** Short, so that a flipped fetch that may rightly wait is seen waiting quickly; any other is then given longer. */
    private static final int SILENCE_MS = 3_000;
    private static final String FUZZ_TOPIC = "fuzz";
    /** The requests that may rightly wait for others: a fetch for data, a join and a sync for the group's members. */
    private static final java.util.Set<Short> WAITING_KEYS = java.util.Set.of(ApiKeys.FETCH.id, ApiKeys.JOIN_GROUP.id,
            ApiKeys.SYNC_GROUP.id);
    /** A member id no coordinator handed out: the group calls are forged, and answered at once. */
    private static final String GHOST = "ghost-member";
    /** A producer id no InitProducerId handed out. */
    private static final long GHOST_PRODUCER = 424_242;
    private static final String HEALTH_TOPIC = "health";

    @RegisterExtension
    final Drill drill = Drill.seeded("fuzz.seed", System.nanoTime());
    private final long seed = drill.seed();
    @TempDir
    static Path dataDir;
    private RunningBroker broker;
    /** Records the broker acknowledged: the only ones its topics may hold. */
    private long acknowledgedRecords;
    private int threadsAtStart;
    private long heapAtStart;
    private int healthChecks;
    /**
     * Flipped fetches still waiting (a flip in max_wait_ms can ask for days, and Kafka waits that long too):
     * their connections stay open, and their few bytes held, until then.
     */
    private int fetchesStillWaiting;
    /** Exceptions that escaped a broker thread: each one a thread that died. */
    private final List<String> escaped = java.util.Collections.synchronizedList(new ArrayList<>());
    private Thread.UncaughtExceptionHandler previousHandler;

    @BeforeAll
    void start() {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            escaped.add(thread.getName() + ": " + e);
            e.printStackTrace();
        });
        broker = RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.AUTO_CREATE_TOPICS, "false",
                BrokerConfig.CONNECTIONS_MAX_IDLE_MS, String.valueOf(IDLE_MS),
                BrokerConfig.MAX_CONNECTIONS_PER_IP, "1000"), false); // every client here is 127.0.0.1
        broker.broker().createTopic(FUZZ_TOPIC, 2, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic(HEALTH_TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        for (ApiRequest api : everyApi()) { // Kafka's classes loaded before any connection waits on them
            RawClient.frame(api.request(), api.maxVersion(), 0);
        }
        assertStillServing("before any round");
        threadsAtStart = ManagementFactory.getThreadMXBean().getThreadCount();
        heapAtStart = heapUsedAfterGc();
    }

    @AfterAll
    void stop() {
        broker.close();
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }

    // ---- rounds ----

    @Test
    @Order(1)
    void truncated_frames_then_the_client_closes() {
        round("truncated", random -> {
            for (int i = 0; i < 200; i++) {
                byte[] frame = frameAtVersion(random, i);
                try (RawClient client = new RawClient(broker, READ_TIMEOUT_MS)) {
                    client.write(frame, 0, random.nextInt(frame.length)); // the size and part of the rest, or less
                }
            }
        });
    }

    @Test
    @Order(2)
    void oversized_negative_and_too_small_sizes_close_the_connection() {
        int max = broker.broker().config().requestMaxBytes();
        round("sizes", random -> {
            for (int size : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 1, 9, max + 1,
                    1 << 30, max + 1 + random.nextInt(Integer.MAX_VALUE - max), -random.nextInt(Integer.MAX_VALUE)}) {
                try (RawClient client = new RawClient(broker, READ_TIMEOUT_MS)) {
                    client.write(ByteBuffer.allocate(4).putInt(size).array());
                    assertEquals(RawClient.Outcome.CLOSED, client.outcome(), "a frame announcing " + size + " bytes");
                }
            }
        });
        assertTrue(broker.log().contains("socket.request.max.bytes"), broker.log());
    }

    @Test
    @Order(3)
    void random_garbage_is_answered_or_closed() {
        round("garbage", random -> {
            for (int i = 0; i < 300; i++) {
                byte[] garbage = new byte[random.nextInt(2_000)];
                random.nextBytes(garbage);
                if (i % 2 == 0) { // half with an honest size, so the garbage reaches the header and body readers
                    garbage = RawClient.sized(ByteBuffer.wrap(garbage));
                }
                try (RawClient client = new RawClient(broker, READ_TIMEOUT_MS)) {
                    client.write(garbage);
                    client.finishWriting();
                    assertNotEquals(RawClient.Outcome.SILENT, drain(client), "garbage " + i + ", seed=" + seed);
                }
            }
        });
    }

    @Test
    @Order(4)
    void bit_flipped_requests_of_every_api_write_only_what_is_acknowledged() {
        Map<String, Integer> outcomes = new TreeMap<>();
        round("bit flips", random -> {
            int i = 0;
            for (ApiRequest api : everyApi()) {
                for (int version = api.minVersion(); version <= api.maxVersion(); version++) {
                    for (int copy = 0; copy < Integer.getInteger("fuzz.copies", 12); copy++, i++) {
                        byte[] frame = RawClient.frame(api.request(), version, i);
                        int flips = 1 + random.nextInt(3);
                        for (int f = 0; f < flips; f++) {
                            int bit = 32 + random.nextInt((frame.length - 4) * 8); // never the size: that is another round
                            frame[bit / 8] ^= (byte) (1 << (bit % 8));
                        }
                        short sentKey = ByteBuffer.wrap(frame).getShort(4);
                        short sentVersion = ByteBuffer.wrap(frame).getShort(6);
                        try (RawClient client = new RawClient(broker, SILENCE_MS)) {
                            client.write(frame);
                            client.finishWriting();
                            RawClient.Outcome outcome = client.outcome();
                            if (outcome == RawClient.Outcome.SILENT && !WAITING_KEYS.contains(sentKey)) {
                                outcome = client.outcomeWaitingUpTo(READ_TIMEOUT_MS);
                            }
                            outcomes.merge(api.name() + " " + outcome, 1, Integer::sum);
                            if (outcome == RawClient.Outcome.SILENT) {
                                // only a fetch may wait this long (its flipped max_wait_ms may say minutes), and a join or
                                // sync that a flip made a real member's, which waits at the group's barrier as in Kafka
                                assertTrue(WAITING_KEYS.contains(sentKey), api.name() + " v" + version + " flipped to key "
                                        + sentKey + " got no answer and was not closed, seed=" + seed);
                                fetchesStillWaiting++;
                            }
                            if (outcome == RawClient.Outcome.ANSWERED && sentKey == ApiKeys.PRODUCE.id) {
                                acknowledgedRecords += writtenBy(client.lastResponse(), sentVersion);
                            }
                        }
                    }
                }
            }
        });
        System.out.println("bit flips, seed " + seed + ": " + outcomes);
    }

    @Test
    @Order(5)
    void unknown_api_keys_and_versions_are_answered_or_closed() {
        round("unknown keys and versions", random -> {
            List<short[]> asked = new ArrayList<>();
            for (short key = -2; key <= 80; key++) {
                asked.add(new short[] {key, 0});
            }
            for (short key : new short[] {1000, Short.MAX_VALUE, Short.MIN_VALUE}) {
                asked.add(new short[] {key, 0});
            }
            for (ApiRequest api : everyApi()) {
                for (int version : new int[] {-1, api.minVersion() - 1, api.maxVersion() + 1, Short.MAX_VALUE}) {
                    asked.add(new short[] {api.key(), (short) version});
                }
            }
            for (short[] keyAndVersion : asked) {
                for (boolean headerV2 : new boolean[] {false, true}) {
                    try (RawClient client = new RawClient(broker, READ_TIMEOUT_MS)) {
                        client.write(RawClient.frame(keyAndVersion[0], keyAndVersion[1], headerV2, new byte[0]));
                        client.finishWriting();
                        assertNotEquals(RawClient.Outcome.SILENT, drain(client),
                                "api key " + keyAndVersion[0] + " v" + keyAndVersion[1]);
                    }
                }
            }
        });
        assertTrue(broker.log().contains("is not one this broker serves"), broker.log());
    }

    @Test
    @Order(6)
    void lengths_inside_a_body_that_lie_close_the_connection_and_write_nothing() {
        round("lying lengths", random -> {
            for (LyingFrames.Lie lie : LyingFrames.all()) {
                try (RawClient client = new RawClient(broker, READ_TIMEOUT_MS)) {
                    client.write(lie.frame());
                    client.finishWriting();
                    RawClient.Outcome outcome = client.outcome();
                    if (lie.insideTheBatch()) { // the request parses; the batch is refused in its partition's answer
                        assertEquals(RawClient.Outcome.ANSWERED, outcome, lie.what());
                        assertEquals(0, writtenBy(client.lastResponse(), (short) 3), lie.what());
                    } else {
                        assertEquals(RawClient.Outcome.CLOSED, outcome, lie.what());
                    }
                }
            }
        });
        assertTrue(broker.log().contains("claims"), "an array count larger than the frame is named: " + broker.log());
    }

    @Test
    @Order(7)
    void a_valid_frame_a_byte_at_a_time_with_pauses_is_answered() {
        round("one byte at a time", random -> {
            byte[] versions = RawClient.frame(new ApiVersionsRequestData().setClientSoftwareName("slow")
                    .setClientSoftwareVersion("1"), 3, 41);
            byte[] produce = RawClient.frame(produce("slow-" + seed), 8, 42);
            try (RawClient client = new RawClient(broker, 30_000)) {
                for (byte[] frame : List.of(versions, produce)) {
                    for (int i = 0; i < frame.length; i++) {
                        assertTrue(client.write(frame, i, 1), "byte " + i + " written");
                        pause(i == frame.length / 2 ? 500 : random.nextInt(3)); // well under the idle limit
                    }
                    assertEquals(RawClient.Outcome.ANSWERED, client.outcome());
                }
                long written = writtenBy(client.lastResponse(), (short) 8);
                assertEquals(1, written, "the produce sent a byte at a time was written");
                acknowledgedRecords += written;
            }
        });
    }

    @Test
    @Order(8)
    void ten_thousand_connections_opened_and_dropped_leave_none_behind() {
        round("10,000 connections", random -> {
            int batch = 250; // well inside max.connections and this machine's file descriptors, both ends counted
            for (int opened = 0; opened < 10_000; opened += batch) {
                List<Socket> sockets = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    Socket socket = new Socket(broker.host(), broker.port());
                    if (random.nextBoolean()) {
                        socket.getOutputStream().write(new byte[] {0, 0}); // half a size
                    }
                    sockets.add(socket);
                }
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
            awaitTrue(() -> broker.front().openConnections() <= fetchesStillWaiting,
                    "every dropped connection closed by the broker");
        });
    }

    @Test
    @Order(9)
    void half_open_connections_do_not_hold_up_others_and_are_closed_when_idle() {
        round("half-open", random -> {
            List<RawClient> halfOpen = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    RawClient client = new RawClient(broker, 30_000);
                    byte[] frame = frameAtVersion(random, i);
                    client.write(frame, 0, 1 + random.nextInt(frame.length - 1)); // never the whole frame
                    halfOpen.add(client);
                }
                assertStillServing("while 50 connections sit half-open");
                for (RawClient client : halfOpen) {
                    assertEquals(RawClient.Outcome.CLOSED, client.outcome(),
                            "closed after connections.max.idle.ms=" + IDLE_MS);
                }
            } finally {
                halfOpen.forEach(RawClient::close);
            }
        });
    }

    @Test
    @Order(10)
    void frames_announced_and_never_sent_hold_memory_for_what_was_sent_only() {
        int clients = 800; // below max.connections; announcing 5 MiB each, 4 GB if allocated on announcement
        long[] heapWhileHeld = new long[1];
        round("announced, never sent", random -> {
            long before = heapUsedAfterGc();
            RequestMemory memory = broker.front().requestMemory();
            long heldBefore = memory.held(); // the waiting fetches' requests
            List<RawClient> held = new ArrayList<>();
            try {
                byte[] start = ByteBuffer.allocate(104).putInt(broker.broker().config().requestMaxBytes()).array();
                for (int i = 0; i < clients; i++) {
                    RawClient client = new RawClient(broker, READ_TIMEOUT_MS);
                    client.write(start); // the size and 100 bytes of a 5 MiB frame
                    held.add(client);
                }
                long firstBuffers = (long) clients * Connection.FIRST_BUFFER_BYTES;
                awaitTrue(() -> memory.held() - heldBefore >= firstBuffers, "every announced frame started");
                heapWhileHeld[0] = heapUsedAfterGc() - before;
                assertEquals(firstBuffers, memory.held() - heldBefore, "each holds its first "
                        + Connection.FIRST_BUFFER_BYTES + " B, not its announced 5 MiB");
                assertTrue(heapWhileHeld[0] < 64L << 20, "the heap grew " + mib(heapWhileHeld[0])
                        + " while " + clients + " clients held 5 MiB frames open");
            } finally {
                held.forEach(RawClient::close);
            }
            awaitTrue(() -> broker.front().openConnections() <= fetchesStillWaiting && memory.held() == heldBefore,
                    "the dropped frames' memory given back");
        });
        System.out.println("heap while " + clients + " clients each announced a 5 MiB frame and sent 100 B: "
                + mib(heapWhileHeld[0]) + " more than before");
    }

    @Test
    @Order(11)
    void after_every_flood_the_heap_is_where_it_started() {
        long growth = heapUsedAfterGc() - heapAtStart;
        System.out.println("heap used after every round, less before: " + mib(growth) + " (seed " + seed + ")");
        assertTrue(growth < 64L << 20, "the heap grew " + mib(growth) + " over the rounds");
    }

    // ---- after every round ----

    private interface Round {
        void run(Random random) throws Exception;
    }

    private void round(String name, Round round) {
        drill.at("the round '" + name + "'");
        Random random = new Random(seed ^ name.hashCode());
        assertTimeoutPreemptively(ROUND_LIMIT, () -> round.run(random), name + " finished within " + ROUND_LIMIT
                + ", seed=" + seed);
        assertStillServing("after the round '" + name + "', seed=" + seed);
    }

    /** ApiVersions and a produce then fetch on a fresh connection, only acknowledged records, no thread leak. */
    private void assertStillServing(String when) {
        try {
            checkServing(when);
        } catch (RuntimeException e) {
            throw new AssertionError(when + ": " + e + "; the broker logged:\n" + broker.log(), e);
        }
    }

    private void checkServing(String when) {
        healthChecks++;
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData versions = wire.send(new ApiVersionsRequestData()
                    .setClientSoftwareName("health").setClientSoftwareVersion("1"), 3);
            assertEquals(Errors.NONE.code(), versions.errorCode(), when);
            String value = "ping " + healthChecks;
            ProduceResponseData produced = wire.send(produce(HEALTH_TOPIC, 0, value), 8);
            ProduceResponseData.PartitionProduceResponse answer = produced.responses().iterator().next()
                    .partitionResponses().get(0);
            assertEquals(Errors.NONE.code(), answer.errorCode(), when + ": " + answer.errorMessage());
            acknowledgedRecords++;
            FetchResponseData fetched = wire.send(new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0)
                    .setMaxBytes(1 << 20).setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1)
                    .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(HEALTH_TOPIC).setPartitions(List.of(
                            new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(answer.baseOffset())
                                    .setPartitionMaxBytes(1 << 20))))), 11);
            List<String> values = new ArrayList<>();
            for (OffsetRecord record : KafkaBatches.records(WireRecords.bytes(
                    fetched.responses().get(0).partitions().get(0)))) {
                if (record.offset() == answer.baseOffset()) {
                    values.add(KafkaBatches.value(record));
                }
            }
            assertEquals(List.of(value), values, when);
        }
        assertEquals(acknowledgedRecords, recordsInTopics(), when + ": the topics hold exactly the acknowledged records");
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        assertTrue(threadsAtStart == 0 || threads <= threadsAtStart + 16, when + ": " + threads + " threads, "
                + threadsAtStart + " at the start");
        String log = broker.log();
        assertFalse(log.contains("the broker failed"), when + ": the broker failed on a request:\n" + log);
        assertFalse(log.contains("the listener stopped"), when + ":\n" + log);
        assertEquals(List.of(), escaped, when + ": exceptions escaped broker threads");
    }

    private long recordsInTopics() {
        long records = 0;
        for (String topic : broker.broker().listTopics()) {
            if (!Broker.isInternal(topic)) {
                for (Broker.PartitionInfo partition : broker.broker().describeTopic(topic).partitions()) {
                    records += partition.endOffset() - partition.logStartOffset();
                }
            }
        }
        return records;
    }

    // ---- requests ----

    private record ApiRequest(String name, short key, int minVersion, int maxVersion, ApiMessage request) {
    }

    /** A valid request of every API the broker serves, with the versions it serves. */
    private static List<ApiRequest> everyApi() {
        return List.of(
                new ApiRequest("Produce", ApiKeys.PRODUCE.id, 3, 8, produce("flipped")),
                new ApiRequest("Fetch", ApiKeys.FETCH.id, 4, 18, new FetchRequestData().setReplicaId(-1).setMaxWaitMs(10)
                        .setMinBytes(1).setMaxBytes(1 << 20).setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1)
                        .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(FUZZ_TOPIC).setPartitions(List.of(
                                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                        .setPartitionMaxBytes(1 << 20)))))),
                new ApiRequest("ListOffsets", ApiKeys.LIST_OFFSETS.id, 1, 5, new ListOffsetsRequestData().setReplicaId(-1)
                        .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(FUZZ_TOPIC).setPartitions(
                                List.of(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                        .setTimestamp(-1)))))),
                new ApiRequest("Metadata", ApiKeys.METADATA.id, 0, 12, new MetadataRequestData().setTopics(List.of(
                        new MetadataRequestData.MetadataRequestTopic().setName(FUZZ_TOPIC)))), // the broker never auto-creates here
                new ApiRequest("ApiVersions", ApiKeys.API_VERSIONS.id, 0, 4, new ApiVersionsRequestData()
                        .setClientSoftwareName("fuzz").setClientSoftwareVersion("1")),
                new ApiRequest("CreateTopics", ApiKeys.CREATE_TOPICS.id, 2, 4, new CreateTopicsRequestData()
                        .setTimeoutMs(1000).setTopics(new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                                new CreateTopicsRequestData.CreatableTopic().setName("fuzz-made").setNumPartitions(1)
                                        .setReplicationFactor((short) 1)).iterator()))),
                new ApiRequest("DeleteTopics", ApiKeys.DELETE_TOPICS.id, 1, 5, new DeleteTopicsRequestData()
                        .setTimeoutMs(1000).setTopicNames(List.of("no-such-topic-anywhere"))),
                new ApiRequest("DeleteRecords", ApiKeys.DELETE_RECORDS.id, 0, 2, new DeleteRecordsRequestData()
                        .setTimeoutMs(1000).setTopics(List.of(new DeleteRecordsRequestData.DeleteRecordsTopic()
                                .setName("no-such-topic-anywhere").setPartitions(List.of(
                                        new DeleteRecordsRequestData.DeleteRecordsPartition().setOffset(-1)))))),
                new ApiRequest("InitProducerId", ApiKeys.INIT_PRODUCER_ID.id, 0, 1, new InitProducerIdRequestData()
                        .setTransactionalId(null).setTransactionTimeoutMs(60_000)),
                // the transaction APIs, each with a producer or a generation that never existed
                new ApiRequest("InitProducerId", ApiKeys.INIT_PRODUCER_ID.id, 0, 4, new InitProducerIdRequestData()
                        .setTransactionalId("fuzz-txn").setTransactionTimeoutMs(60_000)),
                new ApiRequest("AddPartitionsToTxn", ApiKeys.ADD_PARTITIONS_TO_TXN.id, 0, 3,
                        new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("fuzz-txn")
                                .setV3AndBelowProducerId(GHOST_PRODUCER).setV3AndBelowProducerEpoch((short) 0)
                                .setV3AndBelowTopics(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection(
                                        List.of(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                                                .setName(FUZZ_TOPIC).setPartitions(List.of(0))).iterator()))),
                new ApiRequest("AddOffsetsToTxn", ApiKeys.ADD_OFFSETS_TO_TXN.id, 0, 3, new AddOffsetsToTxnRequestData()
                        .setTransactionalId("fuzz-txn").setProducerId(GHOST_PRODUCER).setProducerEpoch((short) 0)
                        .setGroupId("fuzz-group")),
                new ApiRequest("EndTxn", ApiKeys.END_TXN.id, 0, 4, new EndTxnRequestData().setTransactionalId("fuzz-txn")
                        .setProducerId(GHOST_PRODUCER).setProducerEpoch((short) 0).setCommitted(true)),
                new ApiRequest("TxnOffsetCommit", ApiKeys.TXN_OFFSET_COMMIT.id, 3, 3, new TxnOffsetCommitRequestData()
                        .setTransactionalId("fuzz-txn").setGroupId("fuzz-group").setProducerId(GHOST_PRODUCER)
                        .setProducerEpoch((short) 0).setGenerationIdOrMemberEpoch(7).setMemberId(GHOST).setTopics(List.of(
                                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(FUZZ_TOPIC)
                                        .setPartitions(List.of(new TxnOffsetCommitRequestData
                                                .TxnOffsetCommitRequestPartition().setCommittedOffset(1)))))),
                new ApiRequest("WriteTxnMarkers", ApiKeys.WRITE_TXN_MARKERS.id, 1, 2, new WriteTxnMarkersRequestData()
                        .setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(GHOST_PRODUCER)
                                .setProducerEpoch((short) 0).setTransactionResult(false).setCoordinatorEpoch(0)
                                .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic() // a marker
                                        .setName("no-such-topic-anywhere").setPartitionIndexes(List.of(0))))))), // takes an offset
                new ApiRequest("DescribeProducers", ApiKeys.DESCRIBE_PRODUCERS.id, 0, 0, new DescribeProducersRequestData().setTopics(new DescribeProducersRequestData.TopicRequestCollection(List.of(
                    new DescribeProducersRequestData.TopicRequest().setName(FUZZ_TOPIC)
                                .setPartitionIndexes(List.of(0)))))),
                new ApiRequest("DescribeTransactions", ApiKeys.DESCRIBE_TRANSACTIONS.id, 0, 0,
                        new DescribeTransactionsRequestData().setTransactionalIds(List.of("fuzz-txn", "no-such-id"))),
                new ApiRequest("ListTransactions", ApiKeys.LIST_TRANSACTIONS.id, 0, 2, new ListTransactionsRequestData()),
                new ApiRequest("DescribeConfigs", ApiKeys.DESCRIBE_CONFIGS.id, 1, 4, new DescribeConfigsRequestData()
                        .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                                .setResourceType((byte) 2).setResourceName(FUZZ_TOPIC).setConfigurationKeys(null)))),
                new ApiRequest("AlterConfigs", ApiKeys.ALTER_CONFIGS.id, 0, 2, new AlterConfigsRequestData().setResources(
                        new AlterConfigsRequestData.AlterConfigsResourceCollection(List.of(
                                new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 2)
                                        .setResourceName("no-such-topic-anywhere")).iterator()))),
                new ApiRequest("CreatePartitions", ApiKeys.CREATE_PARTITIONS.id, 0, 3, new CreatePartitionsRequestData()
                        .setTimeoutMs(1000).setTopics(new CreatePartitionsRequestData.CreatePartitionsTopicCollection(List.of(
                                new CreatePartitionsRequestData.CreatePartitionsTopic().setName("no-such-topic-anywhere")
                                        .setCount(2).setAssignments(null)).iterator()))),
                new ApiRequest("IncrementalAlterConfigs", ApiKeys.INCREMENTAL_ALTER_CONFIGS.id, 0, 1,
                        new IncrementalAlterConfigsRequestData().setResources(
                                new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection(List.of(
                                        new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 2)
                                                .setResourceName("no-such-topic-anywhere")).iterator()))),
                new ApiRequest("FindCoordinator", ApiKeys.FIND_COORDINATOR.id, 0, 2, new FindCoordinatorRequestData()
                        .setKey("fuzz-group")),
                new ApiRequest("JoinGroup", ApiKeys.JOIN_GROUP.id, 0, 5, new JoinGroupRequestData().setGroupId("fuzz-group")
                        .setMemberId(GHOST).setSessionTimeoutMs(6000).setRebalanceTimeoutMs(6000).setProtocolType("consumer")
                        .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection(List.of(
                                new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                                        .setMetadata(new byte[] {0, 0, 0, 0, 0, 0})).iterator()))),
                new ApiRequest("SyncGroup", ApiKeys.SYNC_GROUP.id, 0, 3, new SyncGroupRequestData().setGroupId("fuzz-group")
                        .setGenerationId(1).setMemberId(GHOST).setAssignments(List.of(
                                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(GHOST)
                                        .setAssignment(new byte[] {0, 0})))),
                new ApiRequest("Heartbeat", ApiKeys.HEARTBEAT.id, 0, 3, new HeartbeatRequestData().setGroupId("fuzz-group")
                        .setGenerationId(7).setMemberId(GHOST)),
                new ApiRequest("LeaveGroup", ApiKeys.LEAVE_GROUP.id, 0, 2, new LeaveGroupRequestData()
                        .setGroupId("fuzz-group").setMemberId(GHOST)),
                new ApiRequest("OffsetCommit", ApiKeys.OFFSET_COMMIT.id, 2, 9, new OffsetCommitRequestData()
                        .setGroupId("fuzz-group").setGenerationIdOrMemberEpoch(-1).setTopics(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(FUZZ_TOPIC).setPartitions(
                                        List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                .setCommittedOffset(1).setCommittedMetadata("fuzz")))))),
                new ApiRequest("OffsetFetch", ApiKeys.OFFSET_FETCH.id, 1, 7, new OffsetFetchRequestData()
                        .setGroupId("fuzz-group").setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                                .setName(FUZZ_TOPIC).setPartitionIndexes(List.of(0))))),
                new ApiRequest("OffsetFetch", ApiKeys.OFFSET_FETCH.id, 8, 9, new OffsetFetchRequestData()
                        .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("fuzz-group")
                                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                        .setName(FUZZ_TOPIC).setPartitionIndexes(List.of(0))))))),
                // to v5, the newest these message classes write; GroupApisTest sends v6 by hand
                new ApiRequest("DescribeGroups", ApiKeys.DESCRIBE_GROUPS.id, 0, 5, new DescribeGroupsRequestData()
                        .setGroups(List.of("fuzz-group"))),
                new ApiRequest("ListGroups", ApiKeys.LIST_GROUPS.id, 0, 5, new ListGroupsRequestData()),
                new ApiRequest("DeleteGroups", ApiKeys.DELETE_GROUPS.id, 0, 1, new DeleteGroupsRequestData()
                        .setGroupsNames(List.of("no-such-group-anywhere"))),
                new ApiRequest("OffsetDelete", ApiKeys.OFFSET_DELETE.id, 0, 0, new OffsetDeleteRequestData()
                        .setGroupId("no-such-group-anywhere")),
                new ApiRequest("ConsumerGroupHeartbeat", ApiKeys.CONSUMER_GROUP_HEARTBEAT.id, 0, 0,
                        new ConsumerGroupHeartbeatRequestData().setGroupId("fuzz-848").setMemberId("fuzz-member")
                                .setMemberEpoch(0).setRebalanceTimeoutMs(1000).setSubscribedTopicNames(List.of("fuzz"))
                                .setTopicPartitions(List.of())),
                new ApiRequest("ConsumerGroupDescribe", ApiKeys.CONSUMER_GROUP_DESCRIBE.id, 0, 0,
                        new ConsumerGroupDescribeRequestData().setGroupIds(List.of("fuzz-848"))),
                new ApiRequest("DescribeTopicPartitions", ApiKeys.DESCRIBE_TOPIC_PARTITIONS.id, 0, 0,
                        new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(1).setTopics(List.of(
                                new DescribeTopicPartitionsRequestData.TopicRequest().setName(FUZZ_TOPIC)))
                                .setCursor(new DescribeTopicPartitionsRequestData.Cursor().setTopicName(FUZZ_TOPIC))));
    }

    /** A valid request of a random API at a random version it serves. */
    private static byte[] frameAtVersion(Random random, int correlationId) {
        ApiRequest api = everyApi().get(random.nextInt(everyApi().size()));
        int version = api.minVersion() + random.nextInt(api.maxVersion() - api.minVersion() + 1);
        return RawClient.frame(api.request(), version, correlationId);
    }

    /** A produce of one record to partition 0 of the fuzz topic, acks=-1: a bit flip cannot make it acks=0. */
    private static ProduceRequestData produce(String value) {
        return produce(FUZZ_TOPIC, 0, value);
    }

    private static ProduceRequestData produce(String topic, int partition, String value) {
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000).setTopicData(
                new ProduceRequestData.TopicProduceDataCollection(List.of(new ProduceRequestData.TopicProduceData()
                        .setName(topic).setPartitionData(List.of(WireRecords.partition(partition, 
                                        KafkaBatches.batch(System.currentTimeMillis(), value))))).iterator()));
    }

    /** Records a produce response says were written: one per partition answered without error (one-record batches). */
    private static long writtenBy(ByteBuffer response, short version) {
        ResponseHeader.parse(response, ApiKeys.PRODUCE.responseHeaderVersion(version));
        ProduceResponseData data = new ProduceResponseData();
        data.read(new ByteBufferAccessor(response), version);
        long written = 0;
        for (ProduceResponseData.TopicProduceResponse topic : data.responses()) {
            for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                if (partition.errorCode() == Errors.NONE.code()) {
                    written++;
                }
            }
        }
        return written;
    }

    // ---- helpers ----

    /** Reads responses until the broker closes or falls silent; the last outcome. */
    private static RawClient.Outcome drain(RawClient client) {
        RawClient.Outcome outcome;
        do {
            outcome = client.outcome();
        } while (outcome == RawClient.Outcome.ANSWERED);
        return outcome;
    }

    static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
