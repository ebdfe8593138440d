package toykafka.broker.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions;
import toykafka.broker.share.partition.AcknowledgeType;
import toykafka.broker.share.partition.AcknowledgementBatch;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.common.Record;
import toykafka.common.TopicPartition;

/**
 * A share fetch parked for records wakes when records of its group become acquirable again, not only on an append,
 * as Kafka completes its delayed share fetches: on a release by acknowledgement, on a member's session closing, on a
 * lock running out, and on an acknowledgement that moves a full window on. Each parked fetch waits up to a minute,
 * so one that is not woken holds the test to its timeout.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareFetchWakeTest extends TicketDeskTest {

    private static final TopicPartition TICKETS = new TopicPartition("tickets", 0);
    private static final Duration PARKED = Duration.ofSeconds(60);

    ShareFetchWakeTest() {
        super(1);
    }

    @Test
    void a_release_by_acknowledgement_wakes_a_parked_fetch_with_the_released_record() throws Exception {
        append(1);
        assertEquals(List.of(new AcquiredRecords(0, 0, 1)), fetchNow("ann"));
        CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> parked = fetchParked("bob");

        shares.acknowledge("desk", "ann", Map.of(TICKETS, List.of(AcknowledgementBatch.of(0, 0,
                AcknowledgeType.RELEASE))));

        assertEquals(List.of(new AcquiredRecords(0, 0, 2)), answered(parked), "bob has it, at its second delivery");
    }

    @Test
    void a_closed_session_wakes_a_parked_fetch_with_what_it_held() throws Exception {
        append(1);
        fetchNow("ann");
        CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> parked = fetchParked("bob");

        shares.release("desk", "ann"); // ann's session closed (ShareFetch or ShareAcknowledge at epoch -1)

        assertEquals(List.of(new AcquiredRecords(0, 0, 2)), answered(parked));
    }

    @Test
    void a_lock_running_out_wakes_a_parked_fetch_on_the_broker_tick() throws Exception {
        append(1);
        fetchNow("ann");
        CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> parked = fetchParked("bob");

        clock.advance(Duration.ofSeconds(31)); // ann never answers: her 30 s lock runs out
        broker.tickGroups();

        assertEquals(List.of(new AcquiredRecords(0, 0, 2)), answered(parked));
    }

    @Test
    void an_acknowledgement_that_moves_a_full_window_wakes_a_parked_fetch() throws Exception {
        broker.groupConfigs().alter("desk", Map.of("share.partition.max.record.locks", "100"), Set.of(), false,
                false);
        append(150);
        List<AcquiredRecords> held = fetchNow("ann");
        assertEquals(99, held.get(held.size() - 1).lastOffset(), "the window holds 100");
        CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> parked = fetchParked("bob");

        shares.acknowledge("desk", "ann", Map.of(TICKETS, List.of(AcknowledgementBatch.of(0, 99,
                AcknowledgeType.ACCEPT))));

        List<AcquiredRecords> got = answered(parked);
        assertEquals(100, got.get(0).firstOffset(), "the window moved past what ann accepted");
        assertEquals(149, got.get(got.size() - 1).lastOffset());
    }

    @Test
    void a_release_in_another_group_leaves_a_parked_fetch_parked() throws Exception {
        broker.groupConfigs().alter("till", Map.of("share.auto.offset.reset", "earliest"), Set.of(), false, false);
        append(1);
        fetchNow("ann");
        assertEquals(List.of(new AcquiredRecords(0, 0, 1)), shares.fetch("till", "tom", List.of(TICKETS),
                ShareFetchLimits.defaults(), 1 << 20, Duration.ZERO).get().get(TICKETS).acquired());
        CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> parked = fetchParked("bob");

        shares.release("till", "tom");
        assertFalse(parked.isDone(), "till's record is not desk's to take");

        shares.release("desk", "ann");
        assertEquals(List.of(new AcquiredRecords(0, 0, 2)), answered(parked));
    }

    private void append(int records) {
        for (int i = 0; i < records; i++) {
            broker.partitions().appendRecords("tickets", List.of(new Partitions.ProduceRecord(0,
                    Record.of("t" + i, "ticket " + i, clock.instant()))));
        }
    }

    private List<AcquiredRecords> fetchNow(String member) throws Exception {
        return shares.fetch("desk", member, List.of(TICKETS), ShareFetchLimits.defaults(), 1 << 20, Duration.ZERO)
                .get().get(TICKETS).acquired();
    }

    /** A fetch that finds nothing to acquire, parked for a minute. */
    private CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> fetchParked(String member) {
        CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> parked = shares.fetch("desk", member,
                List.of(TICKETS), ShareFetchLimits.defaults(), 1 << 20, PARKED);
        assertFalse(parked.isDone(), "nothing to acquire yet: the fetch waits");
        return parked;
    }

    /** The parked fetch's records, once woken; it leaves nothing waiting behind it. */
    private List<AcquiredRecords> answered(CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> parked)
            throws Exception {
        List<AcquiredRecords> got = parked.get(PARKED.toSeconds() / 2, TimeUnit.SECONDS).get(TICKETS).acquired();
        assertEquals(0, broker.partitions().waitingReads(), "its wait for appends went with it");
        return got;
    }
}
