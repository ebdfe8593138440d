package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.testing.StartedBroker;

/**
 * What one poll hands out: at most max_records, about max_bytes of keys and values (always one record at
 * least), the partitions in turn so a small max_records starves none, and what it leaves is read by the
 * next; a waiting poll waits for fetch.min.bytes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PollBoundsTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";

    @StartedBroker
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 3, Map.of(), OnDuplicate.FAIL);
    }

    /** Three records in each partition, keyed "k" + partition (two bytes), valued "v" + partition + "." + i (four). */
    private void fill(int partitions) {
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < 3; i++) {
                records.add(new Partitions.ProduceRecord(p, Record.of("k" + p, "v" + p + "." + i, Instant.EPOCH)));
            }
        }
        broker.partitions().appendRecords("orders", records);
    }

    private void assignAll(String name, OffsetReset reset) {
        instances.create(GROUP, name, reset);
        instances.assign(GROUP, name, List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1),
                new TopicPartition("orders", 2)));
    }

    private List<String> values(int maxRecords, long maxBytes) {
        return instances.pollAsync(GROUP, "grill", maxRecords, maxBytes, Duration.ZERO, Runnable::run,
                        Function.identity()).join().stream().map(record -> record.record().valueText()).toList();
    }

    @Test
    void max_bytes_counts_keys_and_values_takes_an_exact_fit_and_leaves_the_rest_for_the_next_poll() {
        fill(1);
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.assign(GROUP, "grill", List.of(new TopicPartition("orders", 0)));

        assertEquals(List.of("v0.0", "v0.1"), values(10, 12), "two records of six bytes fill twelve exactly");
        assertEquals(List.of("v0.2"), values(10, 12), "the third, left by the last poll");
    }

    @Test
    void a_record_larger_than_max_bytes_is_handed_out_alone() {
        fill(1);
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.assign(GROUP, "grill", List.of(new TopicPartition("orders", 0)));

        assertEquals(List.of("v0.0"), values(10, 1));
        assertEquals(List.of("v0.1"), values(10, 1));
    }

    @Test
    void max_records_bounds_a_poll_across_partitions() {
        fill(3);
        assignAll("grill", OffsetReset.EARLIEST);

        assertEquals(4, values(4, Long.MAX_VALUE).size(), "three from one partition and one from the next");
        assertEquals(5, values(10, Long.MAX_VALUE).size(), "the rest, none of them twice");
    }

    @Test
    void polls_of_one_record_take_the_partitions_in_turn() {
        fill(3);
        assignAll("grill", OffsetReset.EARLIEST);

        List<String> firsts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            firsts.add(values(1, Long.MAX_VALUE).get(0));
        }
        assertEquals(List.of("v0.0", "v1.0", "v2.0"), firsts, "each partition in turn, in the order it is owned");
    }

    @Test
    void a_waiting_poll_waits_for_fetch_min_bytes_of_records() throws Exception {
        instances.create(GROUP, "grill", new ConsumerInstanceConfig(OffsetReset.EARLIEST, "binary", false, 200, null, false));
        instances.assign(GROUP, "grill", List.of(new TopicPartition("orders", 0)));
        CompletableFuture<List<ConsumerRecord>> polled = instances.pollAsync(GROUP, "grill", 10,
                Duration.ofMinutes(10), Runnable::run);

        fill(1); // far fewer than 200 bytes, batch and all
        assertFalse(polled.isDone(), "a few bytes do not answer a poll that waits for 200");
        broker.partitions().appendRecords("orders", List.of(new Partitions.ProduceRecord(0,
                Record.of(null, "x".repeat(300), Instant.EPOCH))));
        assertEquals(4, polled.get(10, TimeUnit.SECONDS).size(), "answered once 200 bytes are there, with all of them");
    }

    @Test
    void an_immediate_poll_takes_what_is_there_whatever_fetch_min_bytes_says() {
        fill(1);
        instances.create(GROUP, "grill", new ConsumerInstanceConfig(OffsetReset.EARLIEST, "binary", false, 1_000_000, null, false));
        instances.assign(GROUP, "grill", List.of(new TopicPartition("orders", 0)));

        assertEquals(List.of("v0.0", "v0.1", "v0.2"), values(10, Long.MAX_VALUE));
    }
}
