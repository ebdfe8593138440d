package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.stats.BrokerStats;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.Compression;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;

/** The data path at its edges: the last partition, a refusal naming its record, and bytes that just fit. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DataPathBoundsTest {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);

    @StartedBroker
    Broker broker;
    Partitions partitions;

    @BeforeEach
    void start() {
        partitions = broker.partitions();
    }

    private static ByteBuffer batch(String key, String... values) {
        List<Record> records = new ArrayList<>();
        for (String value : values) {
            records.add(Record.of(key, value, Instant.EPOCH));
        }
        return RecordBatch.of(records, 0, Compression.NONE).buffer();
    }

    @Test
    void a_record_for_the_last_partition_is_written_and_one_past_it_is_refused() {
        broker.createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        List<RecordAnswer> answers = partitions.appendRecords("orders", List.of(
                new ProduceRecord(1, Record.of(null, "last", Instant.EPOCH)),
                new ProduceRecord(2, Record.of(null, "past", Instant.EPOCH))));
        assertEquals(Errors.NONE, answers.get(0).error());
        assertEquals(0, answers.get(0).offset());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, answers.get(1).error());
    }

    @Test
    void a_refused_batch_names_the_record_that_broke_the_topics_rules() {
        broker.createTopic("menu", 1, Map.of(TopicConfig.CLEANUP_POLICY, "compact"), OnDuplicate.FAIL);
        List<Record> records = List.of(Record.of("soup", "3.50", Instant.EPOCH), Record.of(null, "keyless", Instant.EPOCH),
                Record.of("tea", "2.00", Instant.EPOCH));
        TopicPartition menu = new TopicPartition("menu", 0);
        AppendResult refused = partitions.append(Map.of(menu, RecordBatch.of(records, 0, Compression.NONE).buffer()),
                Acks.ALL).get(menu);
        assertEquals(Errors.INVALID_RECORD, refused.error());
        assertTrue(refused.message().startsWith("record 1 of a batch of 3: "), refused.message());
        assertTrue(refused.message().contains("requires a key"), refused.message());
        assertEquals(0, broker.partitions().listOffsets(menu, Partitions.LATEST).offset(), "nothing was written");
    }

    /** Creates orders with one partition and writes one batch to it: the batch's size in bytes. */
    private int ordersWithOneBatch() {
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        ByteBuffer one = batch(null, "soup");
        int size = one.remaining();
        partitions.append(Map.of(ORDERS, one), Acks.ALL);
        return size;
    }

    /** A read of orders-0 from offset 0 that waits, long, for {@code minBytes}. */
    private CompletableFuture<Map<TopicPartition, PartitionData>> readAtLeast(int minBytes) {
        return partitions.read(new FetchParams(LONG, minBytes, 1 << 20,
                List.of(new FetchPartition(ORDERS, 0, 1 << 20))), null);
    }

    @Test
    void a_read_whose_min_bytes_are_there_exactly_is_answered_at_once() {
        int size = ordersWithOneBatch();
        assertTrue(readAtLeast(size).isDone(), "min bytes met by what is there: no wait");
    }

    @Test
    void a_waiting_read_needs_only_the_bytes_it_is_short_of() {
        int size = ordersWithOneBatch();
        CompletableFuture<Map<TopicPartition, PartitionData>> read = readAtLeast(size + 1);
        assertFalse(read.isDone(), "one byte short: it waits");
        partitions.append(Map.of(ORDERS, batch(null, "tea")), Acks.ALL);
        assertTrue(read.isDone(), "a second batch brings more than the byte missing, so the append completes it");
        assertEquals(2, read.join().get(ORDERS).batches().nextOffset());
    }

    @Test
    void batches_that_fill_a_partitions_max_bytes_exactly_all_come_across_segments() {
        ByteBuffer one = batch(null, "soup");
        int size = one.remaining();
        broker.createTopic("orders", 1, Map.of(TopicConfig.SEGMENT_BYTES, Integer.toString(size)), OnDuplicate.FAIL);
        for (String value : List.of("soup", "rice", "tofu")) { // the same size each, and a segment each
            partitions.append(Map.of(ORDERS, batch(null, value)), Acks.ALL);
        }
        PartitionData data = partitions.read(new FetchParams(Duration.ZERO, 1, 3 * size,
                List.of(new FetchPartition(ORDERS, 0, 3 * size))), null).join().get(ORDERS);
        assertEquals(3, data.batches().nextOffset(), "three batches fit in three batches' bytes");
        assertEquals(3 * size, data.batches().bytes().remaining());
        PartitionData less = partitions.read(new FetchParams(Duration.ZERO, 1, 3 * size - 1,
                List.of(new FetchPartition(ORDERS, 0, 3 * size - 1))), null).join().get(ORDERS);
        assertEquals(2, less.batches().nextOffset(), "a byte less, and the third stays for the next fetch");
    }

    @Test
    void the_statistics_count_records_and_bytes_in_and_out_and_each_refusal() {
        broker.createTopic("orders", 1, Map.of(TopicConfig.CLEANUP_POLICY, "compact"), OnDuplicate.FAIL);
        ByteBuffer three = batch("k", "soup", "rice", "tofu");
        ByteBuffer two = batch("k", "tea", "milk");
        int bytes = three.remaining() + two.remaining();
        partitions.append(Map.of(ORDERS, three), Acks.ALL);
        partitions.append(Map.of(ORDERS, two), Acks.ALL);
        assertEquals(Errors.INVALID_RECORD, partitions.append(Map.of(ORDERS, batch(null, "keyless")), Acks.ALL)
                .get(ORDERS).error());
        PartitionData read = partitions.read(FetchParams.of(ORDERS, 0, 1 << 20, Duration.ZERO), null).join().get(ORDERS);
        assertEquals(bytes, read.batches().bytes().remaining());
        assertEquals(new BrokerStats.TopicCounts(5, bytes, 5, bytes, 1), broker.stats().snapshot().get("orders"));
    }
}
