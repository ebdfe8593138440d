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
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.BrokerConfig;
import toykafka.broker.Partitions;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/** The Kafka front end's two broker-wide limits: max.connections and queued.max.request.bytes. */
class FrontEndLimitsTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dataDir;

    @Test
    void connections_past_max_connections_are_closed_at_once_with_one_line_in_the_log() {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.MAX_CONNECTIONS, "20"), false)) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                byte[] versions = RawClient.frame(new ApiVersionsRequestData(), 0, 1);
                List<RawClient> clients = new ArrayList<>();
                int answered = 0;
                int closed = 0;
                try {
                    for (int i = 0; i < 30; i++) {
                        RawClient client = new RawClient(broker, 10_000);
                        clients.add(client);
                        client.write(versions);
                        if (client.outcome() == RawClient.Outcome.ANSWERED) {
                            answered++;
                        } else {
                            closed++;
                        }
                    }
                    assertEquals(20, answered, "the first max.connections are served");
                    assertEquals(10, closed, "the rest are closed at once");
                } finally {
                    clients.forEach(RawClient::close);
                }
                awaitTrue(() -> broker.front().openConnections() == 0, "the served connections closed");
                try (RawClient again = new RawClient(broker, 10_000)) {
                    again.write(versions);
                    assertEquals(RawClient.Outcome.ANSWERED, again.outcome(), "a connection is served once others closed");
                }
            });
            String log = broker.log();
            assertEquals(1, log.lines().filter(line -> line.contains("max.connections=20")).count(),
                    "ten refusals within seconds make one line: " + log);
            assertTrue(log.contains("9 more like it") || log.contains("max.connections=20 are open"), log);
        }
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
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                List<RawClient> clients = new ArrayList<>();
                List<byte[]> frames = new ArrayList<>();
                List<CompletableFuture<Void>> firstParts = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) { // three 3 MiB produces, each sent but for its last 512 KiB
                        byte[] frame = RawClient.frame(produce("big", 3 * MIB - 200), 8, i);
                        RawClient client = new RawClient(broker, 30_000);
                        clients.add(client);
                        frames.add(frame);
                        firstParts.add(CompletableFuture.runAsync(() -> client.write(frame, 0, frame.length - MIB / 2)));
                    }
                    awaitTrue(() -> memory.waiting() >= 1, "a connection muted once the bound is reached");
                    assertTrue(memory.peak() <= bound + broker.broker().config().requestMaxBytes(), "held at most the"
                            + " bound and one frame past it: " + HostileClientsTest.mib(memory.peak()));
                    for (int i = 0; i < 3; i++) {
                        byte[] frame = frames.get(i);
                        RawClient client = clients.get(i);
                        CompletableFuture.runAsync(() -> client.write(frame, frame.length - MIB / 2, MIB / 2));
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

    private static ProduceRequestData produce(String topic, int valueBytes) {
        byte[] value = new byte[valueBytes];
        java.util.Arrays.fill(value, (byte) 'x');
        return new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000).setTopicData(
                new ProduceRequestData.TopicProduceDataCollection(List.of(new ProduceRequestData.TopicProduceData()
                        .setName(topic).setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                                .setIndex(0).setRecords(MemoryRecords.readableRecords(KafkaBatches.batch(
                                        System.currentTimeMillis(), new String(value, java.nio.charset.StandardCharsets.US_ASCII)))))))
                        .iterator()));
    }

    private static short errorOf(ByteBuffer response) {
        ResponseHeader.parse(response, ApiKeys.PRODUCE.responseHeaderVersion((short) 8));
        ProduceResponseData data = new ProduceResponseData();
        data.read(new ByteBufferAccessor(response), (short) 8);
        return data.responses().iterator().next().partitionResponses().get(0).errorCode();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "still not true after 30 s: " + what);
            Thread.sleep(20);
        }
    }
}
