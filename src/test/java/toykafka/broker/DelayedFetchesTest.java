package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicPartition;

/**
 * The purgatory on its own: each waiting read completes exactly once, and leaves nothing behind; reads that watch
 * the same partition: one completing leaves the others watching it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DelayedFetchesTest {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final TopicPartition COD = new TopicPartition("orders", 0);
    private static final TopicPartition CHIPS = new TopicPartition("orders", 1);
    private final DelayedFetches purgatory = new DelayedFetches();

    @AfterEach
    void close() {
        purgatory.close();
    }

    @Test
    void an_append_completes_only_the_reads_watching_its_partition_once_they_have_enough() {
        AtomicInteger codDone = new AtomicInteger();
        AtomicInteger bothDone = new AtomicInteger();
        purgatory.watch(List.of(COD), 100, LONG, codDone::incrementAndGet);
        purgatory.watch(List.of(COD, CHIPS), 150, LONG, bothDone::incrementAndGet);
        assertEquals(2, purgatory.waiting());

        purgatory.appended(CHIPS, 60);
        assertEquals(0, codDone.get() + bothDone.get(), "60 bytes are enough for neither");
        purgatory.appended(COD, 100);
        assertEquals(1, codDone.get());
        assertEquals(1, bothDone.get(), "60 + 100 bytes over its two partitions");
        purgatory.appended(COD, 100);
        assertEquals(1, codDone.get(), "a completed read is not completed again");
        assertEquals(1, bothDone.get(), "a completed read is not completed again");
        assertEquals(0, purgatory.waiting(), "and is watched no more");
    }

    @Test
    void a_read_nothing_comes_for_completes_at_its_deadline() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        purgatory.watch(List.of(COD), 1, Duration.ofMillis(5), done::countDown);
        done.await();
        assertEquals(0, purgatory.waiting());
    }

    @Test
    void waking_a_topic_and_closing_complete_the_reads_left() {
        AtomicInteger done = new AtomicInteger();
        purgatory.watch(List.of(COD), 1, LONG, done::incrementAndGet);
        purgatory.watch(List.of(new TopicPartition("menus", 0)), 1, LONG, done::incrementAndGet);
        purgatory.wake("orders");
        assertEquals(1, done.get());
        purgatory.close();
        assertEquals(2, done.get());
        purgatory.watch(List.of(COD), 1, LONG, done::incrementAndGet);
        assertEquals(3, done.get(), "a read watched after closing is answered at once");
    }

    @Test
    void a_read_completed_early_leaves_the_other_reads_on_its_partition_waiting_for_their_bytes() {
        AtomicInteger earlyDone = new AtomicInteger();
        AtomicInteger otherDone = new AtomicInteger();
        Runnable early = purgatory.watch(List.of(COD), 100, LONG, earlyDone::incrementAndGet);
        purgatory.watch(List.of(COD), 100, LONG, otherDone::incrementAndGet);

        early.run(); // its caller found the data already there
        assertEquals(1, earlyDone.get());
        assertEquals(1, purgatory.waiting(), "the other read still waits");

        purgatory.appended(COD, 100);
        assertEquals(1, otherDone.get(), "an append to the partition still reaches it");
        assertEquals(1, earlyDone.get(), "and not the read already answered");
        assertEquals(0, purgatory.waiting());
    }

    @Test
    void a_read_over_two_partitions_completed_by_one_leaves_the_other_partition_s_reads_watching() {
        AtomicInteger bothDone = new AtomicInteger();
        AtomicInteger chipsDone = new AtomicInteger();
        purgatory.watch(List.of(COD, CHIPS), 10, LONG, bothDone::incrementAndGet);
        purgatory.watch(List.of(CHIPS), 10, LONG, chipsDone::incrementAndGet);

        purgatory.appended(COD, 10);
        assertEquals(1, bothDone.get());
        purgatory.appended(CHIPS, 10);
        assertEquals(1, chipsDone.get(), "the read on chips alone was not dropped with the one that completed");
        assertEquals(1, bothDone.get());
    }
}
