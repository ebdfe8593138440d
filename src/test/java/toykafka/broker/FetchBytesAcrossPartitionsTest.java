package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.stats.BrokerStats;
import toykafka.broker.Partitions.Acks;
import toykafka.common.Compression;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;

/**
 * A read's bytes over several partitions and segments, as Kafka bounds a fetch: max_bytes in all, shared by the
 * partitions in order, and the caller's buffer; one whole batch from the first partition that has any, whatever
 * the bounds; and the same batches whether read into memory or left in the files as slices.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FetchBytesAcrossPartitionsTest {

    private static final int LOTS = 1 << 20;
    private static final TopicPartition COD = new TopicPartition("orders", 0);
    private static final TopicPartition CHIPS = new TopicPartition("orders", 1);

    @StartedBroker
    Broker broker;
    Partitions partitions;

    @BeforeEach
    void start() {
        partitions = broker.partitions();
    }

    private static ByteBuffer batch(String value) {
        return RecordBatch.of(List.of(Record.of(null, value, Instant.EPOCH)), 0, Compression.NONE).buffer();
    }

    /** The size of each batch the tests write: every value is 4 characters. */
    private static final int SIZE = batch("soup").remaining();

    private void twoPartitionsOfTwoBatches() {
        broker.createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        for (TopicPartition partition : List.of(COD, CHIPS)) {
            partitions.append(Map.of(partition, batch("soup")), Acks.ALL);
            partitions.append(Map.of(partition, batch("rice")), Acks.ALL);
        }
    }

    private Map<TopicPartition, PartitionData> readNow(int maxBytes, ByteBuffer into) {
        return partitions.read(new FetchParams(Duration.ZERO, 0, maxBytes,
                List.of(new FetchPartition(COD, 0, LOTS), new FetchPartition(CHIPS, 0, LOTS))), into).join();
    }

    @Test
    void max_bytes_is_shared_by_the_partitions_in_order_so_the_second_gets_what_the_first_left() {
        twoPartitionsOfTwoBatches();

        Map<TopicPartition, PartitionData> read = readNow(3 * SIZE, null);

        assertEquals(2, read.get(COD).batches().nextOffset(), "both of cod's batches fit");
        assertEquals(1, read.get(CHIPS).batches().nextOffset(), "one batch's bytes are left for chips");
        assertEquals(SIZE, read.get(CHIPS).size());
    }

    @Test
    void a_read_into_a_buffer_takes_only_what_fits_in_it_across_partitions() {
        twoPartitionsOfTwoBatches();

        Map<TopicPartition, PartitionData> read = readNow(LOTS, ByteBuffer.allocate(3 * SIZE));

        assertEquals(2 * SIZE, read.get(COD).size());
        assertEquals(SIZE, read.get(CHIPS).size(), "the buffer's last third");
        assertEquals(1, read.get(CHIPS).batches().nextOffset());
    }

    @Test
    void with_max_bytes_0_the_first_partition_still_gets_one_whole_batch_and_the_next_none() {
        twoPartitionsOfTwoBatches();

        Map<TopicPartition, PartitionData> read = partitions.read(new FetchParams(Duration.ZERO, 0, 0,
                List.of(new FetchPartition(COD, 0, 0), new FetchPartition(CHIPS, 0, 0))), null).join();

        assertEquals(1, read.get(COD).batches().nextOffset(), "a consumer always makes progress");
        assertEquals(0, read.get(CHIPS).size());
    }

    @Test
    void a_read_goes_on_into_the_next_segment_with_the_batches_that_still_fit_there() {
        broker.createTopic("menu", 1, Map.of(TopicConfig.SEGMENT_BYTES, Integer.toString(2 * SIZE)),
                OnDuplicate.FAIL);
        TopicPartition menu = new TopicPartition("menu", 0);
        for (String value : List.of("soup", "rice", "tofu", "chai")) { // two segments of two batches
            partitions.append(Map.of(menu, batch(value)), Acks.ALL);
        }

        PartitionData read = partitions.read(FetchParams.of(menu, 0, 3 * SIZE, Duration.ZERO), null).join().get(menu);

        assertEquals(3, read.batches().nextOffset(), "the first segment, and one batch of the second");
        assertEquals(3 * SIZE, read.size());
    }

    @Test
    void a_batch_larger_than_any_read_before_it_on_the_thread_is_read_whole() {
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        partitions.append(Map.of(COD, batch("soup")), Acks.ALL);
        ByteBuffer large = RecordBatch.of(List.of(Record.of(null, "x".repeat(600 * 1024), Instant.EPOCH)), 0,
                Compression.NONE).buffer();
        int largeSize = large.remaining();
        partitions.append(Map.of(COD, large), Acks.ALL);

        assertEquals(SIZE, partitions.read(FetchParams.of(COD, 0, SIZE, Duration.ZERO), null).join().get(COD).size());
        PartitionData read = partitions.read(FetchParams.of(COD, 1, LOTS, Duration.ZERO), null).join().get(COD);

        assertEquals(largeSize, read.size());
        assertEquals(2, read.batches().nextOffset());
    }

    @Test
    void a_read_as_file_slices_answers_the_batches_a_read_into_memory_does_and_counts_their_records() {
        twoPartitionsOfTwoBatches();
        Map<TopicPartition, PartitionData> inMemory = readNow(LOTS, null);

        Map<TopicPartition, PartitionData> slices = partitions.readFileSlices(new FetchParams(Duration.ZERO, 0, LOTS,
                List.of(new FetchPartition(COD, 0, LOTS), new FetchPartition(CHIPS, 1, LOTS)))).join();

        assertEquals(inMemory.get(COD).size(), slices.get(COD).size());
        assertEquals(2, slices.get(COD).batches().nextOffset());
        assertEquals(SIZE, slices.get(CHIPS).size(), "from offset 1: one batch");
        assertEquals(2, slices.get(CHIPS).batches().nextOffset());
        assertEquals(new BrokerStats.TopicCounts(4, 4 * SIZE, 4 + 3, 4 * SIZE + 3 * SIZE, 0),
                broker.stats().snapshot().get("orders"), "records and bytes out: 4 in memory, then 3 as slices");
    }

    @Test
    void a_read_after_an_append_completed_a_waiting_read_on_the_same_thread_sees_the_appends_since()
            throws InterruptedException {
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        FetchPartition fromStart = new FetchPartition(COD, 0, LOTS);
        CompletableFuture<Map<TopicPartition, PartitionData>> waiting = partitions.read(new FetchParams(
                Duration.ofMinutes(10), 1, LOTS, List.of(fromStart)), null);
        partitions.append(Map.of(COD, batch("soup")), Acks.ALL); // completes the waiting read, on this thread
        assertEquals(1, waiting.join().get(COD).batches().nextOffset());
        Thread elsewhere = new Thread(() -> partitions.append(Map.of(COD, batch("rice")), Acks.ALL));
        elsewhere.start();
        elsewhere.join();

        PartitionData now = partitions.read(new FetchParams(Duration.ZERO, 0, LOTS, List.of(fromStart)), null).join()
                .get(COD);

        assertEquals(2, now.batches().nextOffset(), "what the completion read is not handed out again");
    }
}
