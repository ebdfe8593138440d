package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicPartition;

/** Waiting reads that watch the same partition: one completing leaves the others watching it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadsSharingAPartitionTest {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final TopicPartition COD = new TopicPartition("orders", 0);
    private static final TopicPartition CHIPS = new TopicPartition("orders", 1);
    private final DelayedFetches purgatory = new DelayedFetches();

    @AfterEach
    void close() {
        purgatory.close();
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
