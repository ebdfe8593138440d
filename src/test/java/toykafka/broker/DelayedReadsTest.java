package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
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
import toykafka.broker.Partitions.Acks;
import toykafka.common.Compression;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;

/**
 * Reads that wait in the purgatory hold no thread, and each completes when the append that satisfies it
 * lands: on the appender's own thread, so it is done by the time the append returns.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DelayedReadsTest {

    private static final int PARTITIONS = 10;
    private static final Duration LONG = Duration.ofMinutes(10);

    @StartedBroker
    Broker broker;
    Partitions partitions;

    @BeforeEach
    void start() {
        broker.createTopic("orders", PARTITIONS, Map.of(), OnDuplicate.FAIL);
        partitions = broker.partitions();
    }

    private static TopicPartition orders(int partition) {
        return new TopicPartition("orders", partition);
    }

    private static ByteBuffer batch(String... values) {
        List<Record> records = new ArrayList<>();
        for (String value : values) {
            records.add(Record.of(null, value, Instant.EPOCH));
        }
        return RecordBatch.of(records, 0, Compression.NONE).buffer();
    }

    private void append(int partition, String... values) {
        assertEquals(Errors.NONE, partitions.append(Map.of(orders(partition), batch(values)), Acks.ALL)
                .get(orders(partition)).error());
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @Test
    void five_thousand_waiting_reads_hold_no_thread_each_and_each_completes_when_its_append_lands() {
        int before = threads();
        List<CompletableFuture<Map<TopicPartition, PartitionData>>> reads = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            reads.add(partitions.read(FetchParams.of(orders(i % PARTITIONS), 0, 1 << 20, LONG)));
        }
        int during = threads();
        assertTrue(during - before < 10, "5,000 waiting reads took " + (during - before) + " threads");
        assertTrue(reads.stream().noneMatch(CompletableFuture::isDone), "nothing to read yet");

        append(3, "cod");
        for (int i = 0; i < reads.size(); i++) {
            assertEquals(i % PARTITIONS == 3, reads.get(i).isDone(), "read " + i + " watches partition " + i % PARTITIONS);
        }
        PartitionData read = reads.get(3).join().get(orders(3));
        assertEquals("cod", read.records(10).get(0).record().valueText());
        assertEquals(1, read.highWatermark());

        for (int p = 0; p < PARTITIONS; p++) {
            append(p, "haddock " + p);
        }
        for (int i = 0; i < reads.size(); i++) {
            assertTrue(reads.get(i).isDone(), "read " + i);
            assertFalse(reads.get(i).join().get(orders(i % PARTITIONS)).batches().isEmpty(), "read " + i);
        }
    }

    @Test
    void a_read_that_wants_more_bytes_waits_for_the_append_that_brings_them() {
        int oneBatch = batch("x".repeat(100)).remaining();
        CompletableFuture<Map<TopicPartition, PartitionData>> read = partitions.read(new FetchParams(LONG,
                2 * oneBatch, 1 << 20, List.of(new FetchPartition(orders(0), 0, 1 << 20), new FetchPartition(orders(1), 0, 1 << 20))));
        append(0, "x".repeat(100));
        assertFalse(read.isDone(), "one batch is half the min bytes");
        append(1, "y".repeat(100));
        assertTrue(read.isDone(), "the second batch, on the other partition, brings the rest");
        assertEquals(1, read.join().get(orders(0)).records(10).size());
        assertEquals(1, read.join().get(orders(1)).records(10).size());
    }

    @Test
    void the_reads_waiting_are_counted_until_an_append_answers_them() {
        assertEquals(0, partitions.waitingReads());
        CompletableFuture<Map<TopicPartition, PartitionData>> first = partitions.read(FetchParams.of(orders(0), 0, 1024, LONG));
        CompletableFuture<Map<TopicPartition, PartitionData>> second = partitions.read(FetchParams.of(orders(1), 0, 1024, LONG));
        assertEquals(2, partitions.waitingReads());
        append(0, "cod");
        assertTrue(first.isDone());
        assertFalse(second.isDone());
        assertEquals(1, partitions.waitingReads(), "the answered read waits no more");
    }

    @Test
    void a_read_nothing_arrives_for_answers_empty_at_its_deadline() {
        PartitionData read = partitions.readAndWait(FetchParams.of(orders(0), 0, 1024, Duration.ofMillis(20))).get(orders(0));
        assertEquals(Errors.NONE, read.error());
        assertTrue(read.batches().isEmpty());
        assertEquals(0, read.highWatermark());
    }

    @Test
    void deleting_the_topic_answers_its_waiting_reads_with_unknown_partition() {
        CompletableFuture<Map<TopicPartition, PartitionData>> read = partitions.read(FetchParams.of(orders(0), 0, 1024, LONG));
        broker.deleteTopic("orders");
        assertTrue(read.isDone());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, read.join().get(orders(0)).error());
    }

    @Test
    void stopping_the_broker_answers_every_waiting_read() {
        CompletableFuture<Map<TopicPartition, PartitionData>> read = partitions.read(FetchParams.of(orders(0), 0, 1024, LONG));
        broker.stopWaiting();
        assertTrue(read.isDone());
    }
}
