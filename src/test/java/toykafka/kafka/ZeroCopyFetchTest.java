package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.KafkaBatches.append;
import static toykafka.kafka.KafkaBatches.validBatches;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.BrokerOnDemand;
import toykafka.testing.RunningBroker;

/**
 * Fetch sends the stored batches from the segment files (sendfile): byte for byte what the files hold, in
 * one segment or many, cut at whole batches; a consumer that reads slowly holds up nobody else; and a
 * segment deleted while its bytes wait to go out closes only that connection.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ZeroCopyFetchTest {

    private static final int NEWEST = 11;
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    /** Each batch gets a segment of its own: the smallest segment.bytes there is. */
    private static final String SEGMENT_PER_BATCH = "" + TopicConfig.MIN_SEGMENT_BYTES;
    private static final String ONE_SEGMENT = "1073741824";

    @RegisterExtension
    final BrokerOnDemand brokers = new BrokerOnDemand();
    private RunningBroker broker;

    private void start(Map<String, String> topicConfig) {
        broker = brokers.overKafka(Map.of());
        broker.broker().createTopic("orders", 1, topicConfig, OnDuplicate.FAIL);
    }

    /** {@code count} batches of {@code records} records of {@code valueBytes} each; returns each batch's size. */
    private List<Integer> appendBatches(int count, int records, int valueBytes) {
        List<Integer> sizes = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            String[] values = new String[records];
            Arrays.fill(values, String.valueOf((char) ('a' + b % 26)).repeat(valueBytes));
            ByteBuffer batch = KafkaBatches.batch(1_000L * b, values);
            sizes.add(batch.remaining());
            append(broker.broker(), ORDERS, batch);
        }
        return sizes;
    }

    private static FetchRequestData fetch(long offset, int maxBytes, int partitionMaxBytes) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(maxBytes)
                .setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1).setTopics(List.of(
                        new FetchRequestData.FetchTopic().setTopic("orders").setPartitions(List.of(
                                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                                        .setPartitionMaxBytes(partitionMaxBytes)))));
    }

    private static FetchResponseData.PartitionData only(FetchResponseData response) {
        return response.responses().get(0).partitions().get(0);
    }

    /** The bytes the partition's segment files hold, in offset order, from the first {@code skipBytes} on. */
    private ByteBuffer stored(long skipBytes) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path segment : StoredBatches.segmentFiles(broker.dataDir(), "orders", 0, ".log")) {
            try {
                all.write(Files.readAllBytes(segment));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        byte[] bytes = all.toByteArray();
        return ByteBuffer.wrap(bytes, (int) skipBytes, bytes.length - (int) skipBytes).slice();
    }

    private static ByteBuffer recordsOf(FetchResponseData.PartitionData data) {
        return WireRecords.bytes(data);
    }

    @ParameterizedTest(name = "segment.bytes={0}")
    @ValueSource(strings = {ONE_SEGMENT, SEGMENT_PER_BATCH})
    void the_answer_is_the_stored_batches_byte_for_byte_in_one_segment_or_many(String segmentBytes) {
        start(Map.of(TopicConfig.SEGMENT_BYTES, segmentBytes));
        appendBatches(12, 20, 50);

        FetchResponseData.PartitionData data;
        try (KafkaWire wire = new KafkaWire(broker)) {
            data = only(wire.send(fetch(0, 1 << 20, 1 << 20), NEWEST));
        }

        assertEquals(Errors.NONE.code(), data.errorCode());
        assertEquals(stored(0), recordsOf(data), "the files' bytes, unchanged");
        List<RecordBatch> batches = validBatches(recordsOf(data)); // CRCs checked
        assertEquals(12, batches.size());
        assertEquals(239, batches.get(11).lastOffset());
        if (segmentBytes.equals(SEGMENT_PER_BATCH)) {
            assertEquals(12, StoredBatches.segmentFiles(broker.dataDir(), "orders", 0, ".log").size(),
                    "a segment for each batch: the fetch read on past eleven segment ends");
        }
    }

    @ParameterizedTest(name = "segment.bytes={0}")
    @ValueSource(strings = {ONE_SEGMENT, SEGMENT_PER_BATCH})
    void a_batch_straddling_partition_max_bytes_is_left_for_the_next_fetch(String segmentBytes) {
        start(Map.of(TopicConfig.SEGMENT_BYTES, segmentBytes));
        List<Integer> sizes = appendBatches(5, 10, 100);
        int twoBatches = sizes.get(0) + sizes.get(1);

        FetchResponseData.PartitionData first;
        FetchResponseData.PartitionData next;
        try (KafkaWire wire = new KafkaWire(broker)) {
            first = only(wire.send(fetch(0, 1 << 20, twoBatches + sizes.get(2) / 2), NEWEST));
            next = only(wire.send(fetch(20, 1 << 20, sizes.get(2)), NEWEST));
        }

        assertEquals(stored(0).limit(twoBatches), recordsOf(first), "two whole batches, and not the half of the third");
        assertEquals(stored(twoBatches).limit(sizes.get(2)), recordsOf(next), "the third, whole, from where the first stopped");
        assertEquals(List.of(0L, 10L), validBatches(recordsOf(first)).stream()
                .map(RecordBatch::baseOffset).toList());
    }

    @Test
    void a_consumer_that_reads_slowly_holds_up_no_other_connection() throws IOException {
        start(Map.of());
        appendBatches(160, 100, 1_000); // about 16 MB: far more than a socket buffers
        int maxBytes = 64 << 20;

        try (KafkaWire slow = new KafkaWire(broker.host(), broker.port(), 4096);
             KafkaWire other = new KafkaWire(broker)) {
            slow.sendOnly(fetch(0, maxBytes, maxBytes), NEWEST);
            int frameSize = slow.readSize(); // the answer has begun, and most of it cannot leave the broker yet
            assertTrue(frameSize > 16_000_000, "an answer far larger than the socket buffers: " + frameSize);

            ApiVersionsResponseData versions = other.send(new ApiVersionsRequestData(), 3);

            assertEquals(Errors.NONE.code(), versions.errorCode(), "answered while the slow consumer's answer waits");
            FetchResponseData.PartitionData data = only(slow.receiveRest(fetch(0, maxBytes, maxBytes), NEWEST, frameSize));
            assertEquals(stored(0), recordsOf(data), "every byte came, in order, once the consumer read them");
            assertEquals(160, validBatches(recordsOf(data)).size());
        }
    }

    @Test
    void a_segment_deleted_while_its_bytes_wait_closes_that_connection_and_the_next_fetch_works() throws IOException {
        start(Map.of(TopicConfig.SEGMENT_BYTES, String.valueOf(1 << 20), TopicConfig.RETENTION_BYTES, "1"));
        appendBatches(120, 100, 1_000); // about 12 MB in 12 segments: more than a socket buffers
        int maxBytes = 64 << 20;
        long logStart;
        try (KafkaWire slow = new KafkaWire(broker.host(), broker.port(), 4096)) {
            slow.sendOnly(fetch(0, maxBytes, maxBytes), NEWEST);
            int frameSize = slow.readSize();

            assertFalse(broker.broker().jobs().applyRetention().isEmpty(), "retention deleted segments");
            logStart = broker.broker().describeTopic("orders").partitions().get(0).logStartOffset();
            byte[] received = slow.readAll();

            assertTrue(received.length < frameSize, "the answer stops short: " + received.length + " of " + frameSize);
        }
        assertTrue(broker.log().contains("was closed before offsets"), "the log says why: " + broker.log());
        assertTrue(logStart > 0);
        appendBatches(1, 3, 10); // retention.bytes=1 left no record: one to fetch
        try (KafkaWire wire = new KafkaWire(broker)) {
            FetchResponseData.PartitionData data = only(wire.send(fetch(logStart, 1 << 20, 1 << 20), NEWEST));
            assertEquals(Errors.NONE.code(), data.errorCode());
            assertEquals(logStart, validBatches(recordsOf(data)).get(0).baseOffset());
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), only(wire.send(fetch(0, 1 << 20, 1 << 20), NEWEST)).errorCode());
        }
    }
}
