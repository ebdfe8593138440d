package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.KafkaBatches.append;
import static toykafka.kafka.KafkaBatches.batch;
import static toykafka.kafka.KafkaBatches.records;
import static toykafka.kafka.KafkaBatches.validBatches;
import static toykafka.kafka.KafkaBatches.value;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.common.OffsetRecord;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** Fetch, checked by Kafka's own FetchRequestData and FetchResponseData; its records' batches CRC-checked. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Api01FetchTest {

    private static final int NEWEST = 11;
    /** Longer than the test connection's read timeout: a fetch that waited this long would fail the test. */
    private static final int LONGER_THAN_THE_TEST_WAITS = 60_000;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @BeforeEach
    void start() {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
    }

    // ---- requests ----

    private static FetchRequestData fetch(int maxWaitMs, int minBytes, int maxBytes, FetchRequestData.FetchTopic... topics) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(minBytes).setMaxBytes(maxBytes)
                .setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(topics));
    }

    private static FetchRequestData.FetchTopic topic(String name, FetchRequestData.FetchPartition... partitions) {
        return new FetchRequestData.FetchTopic().setTopic(name).setPartitions(List.of(partitions));
    }

    private static FetchRequestData.FetchPartition partition(int index, long offset, int maxBytes) {
        return new FetchRequestData.FetchPartition().setPartition(index).setFetchOffset(offset).setPartitionMaxBytes(maxBytes);
    }

    private FetchResponseData send(FetchRequestData request, int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    /** One partition's answer, found by topic and index: a test must not depend on where it lies. */
    private static FetchResponseData.PartitionData answer(FetchResponseData response, String topic, int partition) {
        for (FetchResponseData.FetchableTopicResponse topicAnswer : response.responses()) {
            for (FetchResponseData.PartitionData data : topicAnswer.partitions()) {
                if (topicAnswer.topic().equals(topic) && data.partitionIndex() == partition) {
                    return data;
                }
            }
        }
        throw new AssertionError(topic + "-" + partition + " is missing from the answer: " + response);
    }

    private static ByteBuffer recordsOf(FetchResponseData.PartitionData data) {
        assertNotNull(data.records(), "records are never null");
        return WireRecords.bytes(data);
    }

    private static List<String> values(FetchResponseData.PartitionData data, long from) {
        List<String> values = new ArrayList<>();
        for (OffsetRecord record : records(recordsOf(data))) {
            if (record.offset() >= from) {
                values.add(value(record));
            }
        }
        return values;
    }

    // ---- every version ----

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {4, 5, 6, 7, 8, 9, 10, 11})
    void every_version_answers_the_stored_batches_as_kafka_clients_read_them(int version) {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod", "haddock", "plaice"));
        append(broker.broker(), ORDERS_0, batch(2_000, "sole", "turbot"));

        FetchResponseData response = send(fetch(0, 1, 1 << 20, topic("orders", partition(0, 0, 1 << 20))), version);

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(0, response.sessionId(), "no fetch session");
        FetchResponseData.PartitionData data = answer(response, "orders", 0);
        assertEquals(Errors.NONE.code(), data.errorCode());
        assertEquals(5, data.highWatermark());
        assertEquals(5, data.lastStableOffset(), "no transactions: the last stable offset is the high watermark");
        assertEquals(version >= 5 ? 0 : -1, data.logStartOffset(), "-1 is the default of versions without it");
        assertNull(data.abortedTransactions(), "READ_UNCOMMITTED: Kafka sends null");
        assertEquals(-1, data.preferredReadReplica());
        List<RecordBatch> batches = validBatches(recordsOf(data));
        assertEquals(List.of(0L, 3L), batches.stream().map(RecordBatch::baseOffset).toList());
        List<OffsetRecord> records = records(recordsOf(data));
        assertEquals(List.of("cod", "haddock", "plaice", "sole", "turbot"), records.stream().map(KafkaBatches::value).toList());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), records.stream().map(OffsetRecord::offset).toList());
        assertEquals(List.of(1_000L, 1_001L, 1_002L, 2_000L, 2_001L), records.stream()
                .map(record -> record.record().timestamp().toEpochMilli()).toList());
    }

    // ---- what is read ----

    @Test
    void a_batch_larger_than_max_bytes_and_partition_max_bytes_comes_back_whole() {
        String large = "x".repeat(4_000);
        append(broker.broker(), ORDERS_0, batch(1_000, large, "after it"));
        append(broker.broker(), ORDERS_0, batch(2_000, "next batch"));

        FetchResponseData.PartitionData data = answer(send(fetch(0, 1, 100, topic("orders", partition(0, 0, 100))),
                NEWEST), "orders", 0);

        assertEquals(Errors.NONE.code(), data.errorCode());
        assertEquals(1, validBatches(recordsOf(data)).size(), "one whole batch, and no more");
        assertEquals(List.of(large, "after it"), values(data, 0));
    }

    @Test
    void a_consumer_positioned_inside_the_last_batch_gets_that_whole_batch() {
        append(broker.broker(), ORDERS_0, batch(1_000, "a", "b", "c", "d", "e"));

        FetchResponseData.PartitionData data = answer(send(fetch(0, 1, 1 << 20, topic("orders", partition(0, 3, 1 << 20))),
                NEWEST), "orders", 0);

        List<RecordBatch> batches = validBatches(recordsOf(data));
        assertEquals(1, batches.size());
        assertEquals(0, batches.get(0).baseOffset(), "the batch holding offset 3 starts before it");
        assertEquals(4, batches.get(0).lastOffset());
        assertEquals(List.of("d", "e"), values(data, 3), "what the consumer keeps of it");
    }

    @Test
    void each_partition_takes_its_own_offset_and_the_answer_keeps_the_order_asked() {
        append(broker.broker(), ORDERS_0, batch(1_000, "zero-a", "zero-b"));
        append(broker.broker(), ORDERS_1, batch(1_000, "one-a"));

        FetchResponseData response = send(fetch(0, 1, 1 << 20, topic("orders", partition(1, 0, 1 << 20),
                partition(0, 1, 1 << 20))), NEWEST);

        List<Integer> order = response.responses().get(0).partitions().stream()
                .map(FetchResponseData.PartitionData::partitionIndex).toList();
        assertEquals(List.of(1, 0), order);
        assertEquals(List.of("one-a"), values(answer(response, "orders", 1), 0));
        assertEquals(List.of("zero-b"), values(answer(response, "orders", 0), 1));
        assertEquals(1, answer(response, "orders", 1).highWatermark());
        assertEquals(2, answer(response, "orders", 0).highWatermark());
    }

    // ---- errors, one partition at a time ----

    @Test
    void a_bad_partition_is_answered_with_its_error_and_the_good_ones_with_their_records() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));
        append(broker.broker(), ORDERS_1, batch(1_000, "haddock"));

        FetchResponseData response = send(fetch(5_000, 1, 1 << 20,
                topic("orders", partition(0, 0, 1 << 20), partition(9, 0, 1 << 20), partition(1, 7, 1 << 20)),
                topic("no-such-topic", partition(0, 0, 1 << 20))), NEWEST);

        assertEquals(List.of("cod"), values(answer(response, "orders", 0), 0));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), answer(response, "orders", 9).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), answer(response, "no-such-topic", 0).errorCode());
        FetchResponseData.PartitionData outOfRange = answer(response, "orders", 1);
        assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), outOfRange.errorCode());
        assertEquals(0, recordsOf(outOfRange).remaining());
    }

    @Test
    void an_error_answers_at_once_even_when_the_good_partitions_have_nothing_yet() {
        FetchResponseData response = send(fetch(LONGER_THAN_THE_TEST_WAITS, 1, 1 << 20,
                topic("orders", partition(0, 0, 1 << 20), partition(9, 0, 1 << 20))), NEWEST);

        FetchResponseData.PartitionData empty = answer(response, "orders", 0);
        assertEquals(Errors.NONE.code(), empty.errorCode());
        assertEquals(0, recordsOf(empty).remaining());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), answer(response, "orders", 9).errorCode());
    }

    @Test
    void a_negative_partition_number_is_that_partitions_error() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));

        FetchResponseData response = send(fetch(0, 1, 1 << 20, topic("orders", partition(-1, 0, 1 << 20),
                partition(0, 0, 1 << 20))), NEWEST);

        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), answer(response, "orders", -1).errorCode());
        assertEquals(List.of("cod"), values(answer(response, "orders", 0), 0));
    }

    @Test
    void a_followers_fetch_is_refused_for_every_partition_since_this_broker_has_no_followers() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));

        FetchResponseData response = send(fetch(0, 1, 1 << 20, topic("orders", partition(0, 0, 1 << 20),
                partition(1, 0, 1 << 20))).setReplicaId(2), NEWEST);

        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), answer(response, "orders", 0).errorCode());
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), answer(response, "orders", 1).errorCode());
        assertEquals(0, recordsOf(answer(response, "orders", 0)).remaining());
    }

    // ---- the purgatory ----

    @Test
    void a_fetch_at_the_end_of_the_log_answers_as_soon_as_another_connection_appends() throws Exception {
        append(broker.broker(), ORDERS_0, batch(1_000, "before"));
        try (KafkaWire wire = new KafkaWire(broker)) {
            // waits far longer than the test connection reads: only the append can answer it in time
            CompletableFuture<FetchResponseData> fetch = CompletableFuture.supplyAsync(() -> wire.send(
                    fetch(LONGER_THAN_THE_TEST_WAITS, 1, 1 << 20, topic("orders", partition(0, 1, 1 << 20))), NEWEST));
            awaitWaitingReads(1, fetch);

            append(broker.broker(), ORDERS_0, batch(2_000, "arrived"));

            FetchResponseData.PartitionData data = answer(fetch.get(15, TimeUnit.SECONDS), "orders", 0);
            assertEquals(List.of("arrived"), values(data, 1));
            assertEquals(2, data.highWatermark());
        }
        assertEquals(0, broker.broker().partitions().waitingReads());
    }

    @Test
    void a_fetch_nothing_arrives_for_answers_empty_after_max_wait() {
        append(broker.broker(), ORDERS_0, batch(1_000, "before"));
        int maxWaitMs = 200;
        FetchResponseData.PartitionData data;
        long waitedMs;
        try (KafkaWire wire = new KafkaWire(broker)) {
            FetchRequestData atTheEnd = fetch(maxWaitMs, 1, 1 << 20, topic("orders", partition(0, 1, 1 << 20)));
            wire.send(fetch(0, 1, 1 << 20, topic("orders", partition(0, 1, 1 << 20))), NEWEST); // connected, classes loaded
            long start = System.nanoTime();

            data = answer(wire.send(atTheEnd, NEWEST), "orders", 0);

            waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
        assertTrue(waitedMs >= maxWaitMs / 2, "answered after " + waitedMs + " ms, not waiting for max_wait_ms");
        assertEquals(Errors.NONE.code(), data.errorCode());
        assertEquals(0, recordsOf(data).remaining());
        assertEquals(1, data.highWatermark());
    }

    @Test
    void min_bytes_0_answers_at_once_with_nothing() {
        FetchResponseData.PartitionData data = answer(send(fetch(LONGER_THAN_THE_TEST_WAITS, 0, 1 << 20,
                topic("orders", partition(0, 0, 1 << 20))), NEWEST), "orders", 0);

        assertEquals(Errors.NONE.code(), data.errorCode());
        assertEquals(0, recordsOf(data).remaining());
    }

    private void awaitWaitingReads(int count, CompletableFuture<?> fetch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.broker().partitions().waitingReads() < count) {
            assertTrue(!fetch.isDone() && System.nanoTime() < deadline, "the fetch never waited in the purgatory");
            Thread.sleep(5);
        }
    }

    // ---- isolation and sessions ----

    @Test
    void read_committed_reads_the_same_records_with_an_empty_list_of_aborted_transactions() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod", "haddock"));

        FetchResponseData.PartitionData data = answer(send(fetch(0, 1, 1 << 20, topic("orders", partition(0, 0, 1 << 20)))
                .setIsolationLevel((byte) 1), NEWEST), "orders", 0);

        assertEquals(List.of("cod", "haddock"), values(data, 0));
        assertEquals(List.of(), data.abortedTransactions());
        assertEquals(2, data.lastStableOffset());
    }

    @Test
    void a_full_fetch_asking_for_a_session_gets_session_id_0_so_every_fetch_stays_full() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod", "haddock"));
        try (KafkaWire wire = new KafkaWire(broker)) {
            for (long offset : new long[] {0, 1}) {
                FetchRequestData asking = fetch(0, 1, 1 << 20, topic("orders", partition(0, offset, 1 << 20)))
                        .setSessionId(0).setSessionEpoch(0); // a new session, as Kafka's consumer asks at first

                FetchResponseData response = wire.send(asking, NEWEST);

                assertEquals(Errors.NONE.code(), response.errorCode());
                assertEquals(0, response.sessionId(), "no session made: the client's next fetch is full again");
                assertEquals(List.of("cod", "haddock").subList((int) offset, 2), values(answer(response, "orders", 0), offset));
            }
        }
    }

    @Test
    void an_incremental_fetch_is_told_its_session_is_not_found() {
        FetchResponseData response = send(fetch(0, 1, 1 << 20, topic("orders", partition(0, 0, 1 << 20)))
                .setSessionId(123).setSessionEpoch(4), NEWEST);

        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), response.errorCode());
        assertEquals(0, response.sessionId());
        assertEquals(List.of(), response.responses());
    }

    // ---- what --trace says ----

    @Test
    void the_trace_names_each_partition_with_its_offset_and_what_it_got(@TempDir Path traceDir) {
        try (RunningBroker traced = RunningBroker.overKafka(traceDir, Map.of(), true)) {
            traced.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
            append(traced.broker(), ORDERS_0, batch(1_000, "cod", "haddock"));
            try (KafkaWire wire = new KafkaWire(traced)) {
                wire.send(fetch(0, 1, 1 << 20, topic("orders", partition(0, 1, 1 << 20), partition(3, 0, 1 << 20))), NEWEST);
            }
            String log = traced.log();
            assertTrue(log.contains("Fetch v11 #1 from ") && log.contains(": orders-0 from 1, orders-3 from 0; wait 0 ms"
                    + " for 1 B, at most 1.0 MB"), log);
            assertTrue(log.contains("orders-0 ") && log.contains(" of batches, next offset 2 (high watermark 2), orders-3"
                    + " UNKNOWN_TOPIC_OR_PARTITION: "), log);
        }
    }

    // ---- requests that cannot be served ----

    @Test
    void an_isolation_level_that_does_not_exist_closes_the_connection_naming_the_valid_ones() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ByteBuffer frame = ByteBuffer.allocate(64).putShort((short) 1).putShort((short) 4).putInt(1).putShort((short) -1);
            frame.putInt(-1).putInt(0).putInt(1).putInt(1 << 20).put((byte) 7).putInt(0); // ... isolation 7, no topics
            wire.write(sized(frame.flip()));
            assertTrue(wire.closedByBroker());
        }
        assertTrue(broker.log().contains("isolation_level must be 0 (READ_UNCOMMITTED) or 1 (READ_COMMITTED), was 7"),
                broker.log());
    }

    private static byte[] sized(ByteBuffer frame) {
        return ByteBuffer.allocate(4 + frame.remaining()).putInt(frame.remaining()).put(frame).array();
    }
}
