package toykafka.broker.share.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;

/**
 * A share partition's rules, one at a time: acquiring, the four acknowledgements, locks running out, the delivery
 * count limit, the start offset's advance, the limit of record locks, read_committed, a member leaving, moving the
 * start offset, and each refusal with Kafka's error. Its fixtures are public: the share state's writer is tested on a
 * working share partition too.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public class SharePartitionTest {

    public static final long NO_LSO = Long.MAX_VALUE;
    public static final ShareFetchLimits FETCH = ShareFetchLimits.defaults();

    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** A log from {@code earliestOffset} to {@code latestOffset} in which any time finds {@code forAnyTimestamp}. */
    public record FixedLog(long earliestOffset, long latestOffset, long forAnyTimestamp) implements OffsetLookup {
        @Override
        public long offsetForTimestamp(long timestampMs) {
            return forAnyTimestamp;
        }
    }

    /** A log of records 0 to 99 whose share partition starts at the earliest one. */
    public static final OffsetLookup LOG = new FixedLog(0, 100, 40);

    public static ShareGroupSettings settings(int deliveryLimit, int maxLocks, boolean readCommitted, boolean renew) {
        return new ShareGroupSettings(30000, deliveryLimit, maxLocks, ShareAutoOffsetReset.EARLIEST, readCommitted, renew);
    }

    SharePartition partition() {
        return SharePartition.start(settings(5, 2000, false, true), clock, LOG);
    }

    public static List<FetchedBatch> batches(long... bounds) {
        List<FetchedBatch> batches = new java.util.ArrayList<>();
        for (int i = 0; i < bounds.length; i += 2) {
            batches.add(FetchedBatch.of(bounds[i], bounds[i + 1]));
        }
        return batches;
    }

    public static void ack(SharePartition partition, String member, long first, long last, AcknowledgeType type) {
        partition.acknowledge(member, List.of(AcknowledgementBatch.of(first, last, type)));
    }

    static RecordState stateOf(SharePartition partition, long offset) {
        InFlightState state = partition.stateAt(offset);
        return state == null ? null : state.state();
    }

    @Test
    void a_fetch_acquires_new_records_for_the_member_delivered_once() {
        SharePartition partition = partition();
        List<AcquiredRecords> acquired = partition.acquire("anna", FETCH, batches(0, 4, 5, 9), NO_LSO);
        assertEquals(List.of(new AcquiredRecords(0, 9, 1)), acquired);
        assertEquals(RecordState.ACQUIRED, stateOf(partition, 7));
        assertEquals("anna", partition.stateAt(7).memberId());
        assertEquals(0, partition.startOffset());
        assertEquals(9, partition.endOffset());
        assertEquals(10, partition.nextFetchOffset());
    }

    @Test
    void records_acquired_by_one_member_are_not_acquired_by_another() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        assertEquals(List.of(), partition.acquire("ben", FETCH, batches(0, 9), NO_LSO));
        assertEquals(List.of(new AcquiredRecords(10, 14, 1)), partition.acquire("ben", FETCH, batches(0, 9, 10, 14), NO_LSO));
    }

    @Test
    void accepted_records_are_acknowledged_and_the_start_offset_moves_past_them() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 4, 5, 9), NO_LSO);
        ack(partition, "anna", 0, 4, AcknowledgeType.ACCEPT);
        assertEquals(5, partition.startOffset());
        assertNull(partition.stateAt(2), "settled records leave the window");
        ack(partition, "anna", 5, 9, AcknowledgeType.ACCEPT);
        assertEquals(10, partition.startOffset());
        assertEquals(10, partition.endOffset());
        assertEquals(0, partition.inFlightCount());
        assertEquals(List.of(), partition.acquire("ben", FETCH, batches(0, 9), NO_LSO), "an accepted record never goes out again");
    }

    @Test
    void the_start_offset_stops_at_the_first_record_not_settled() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        ack(partition, "anna", 3, 9, AcknowledgeType.ACCEPT);
        assertEquals(0, partition.startOffset(), "offsets 0 to 2 are still acquired");
        assertEquals(RecordState.ACKNOWLEDGED, stateOf(partition, 5));
        ack(partition, "anna", 0, 1, AcknowledgeType.REJECT);
        assertEquals(2, partition.startOffset());
        ack(partition, "anna", 2, 2, AcknowledgeType.ACCEPT);
        assertEquals(10, partition.startOffset());
    }

    @Test
    void released_records_are_available_again_and_delivered_once_more() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        ack(partition, "anna", 0, 9, AcknowledgeType.RELEASE);
        assertEquals(RecordState.AVAILABLE, stateOf(partition, 0));
        assertEquals(0, partition.nextFetchOffset());
        assertEquals(List.of(new AcquiredRecords(0, 9, 2)), partition.acquire("ben", FETCH, batches(0, 9), NO_LSO));
    }

    @Test
    void rejected_records_are_archived_and_never_delivered_again() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        partition.acknowledge("anna", List.of(new AcknowledgementBatch(0, 2, List.of(AcknowledgeType.REJECT,
                AcknowledgeType.RELEASE, AcknowledgeType.ACCEPT))));
        assertEquals(1, partition.startOffset());
        assertEquals(RecordState.AVAILABLE, stateOf(partition, 1));
        assertEquals(RecordState.ACKNOWLEDGED, stateOf(partition, 2));
        assertEquals(List.of(new AcquiredRecords(1, 1, 2)), partition.acquire("ben", FETCH, batches(0, 9), NO_LSO));
    }

    @Test
    void a_gap_is_archived() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 1), NO_LSO);
        partition.acknowledge("anna", List.of(new AcknowledgementBatch(0, 1, List.of(AcknowledgeType.GAP, AcknowledgeType.ACCEPT))));
        assertEquals(2, partition.startOffset());
    }

    @Test
    void a_record_whose_lock_runs_out_is_available_again_when_the_partition_is_next_used() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        clock.advance(Duration.ofMillis(29_999));
        assertEquals(RecordState.ACQUIRED, stateOf(partition, 0));
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(new AcquiredRecords(0, 9, 2)), partition.acquire("ben", FETCH, batches(0, 9), NO_LSO));
        SharePartitionException late = assertThrows(SharePartitionException.class,
                () -> ack(partition, "anna", 0, 9, AcknowledgeType.ACCEPT));
        assertEquals(Errors.INVALID_RECORD_STATE, late.error(), "anna's lock ran out: ben holds them now");
    }

    @Test
    void expire_locks_releases_what_ran_out_by_then() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 4), NO_LSO);
        clock.advance(Duration.ofSeconds(10));
        partition.acquire("ben", FETCH, batches(5, 9), NO_LSO);
        long annaRunsOut = Instant.parse("2026-01-01T00:00:30Z").toEpochMilli();
        assertEquals(0, partition.expireLocks(annaRunsOut - 1));
        assertEquals(5, partition.expireLocks(annaRunsOut));
        assertEquals(RecordState.AVAILABLE, stateOf(partition, 0));
        assertEquals(RecordState.ACQUIRED, stateOf(partition, 5));
    }

    @Test
    void renew_gives_a_fresh_lock_from_now() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        clock.advance(Duration.ofSeconds(20));
        ack(partition, "anna", 0, 4, AcknowledgeType.RENEW);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(5, partition.nextFetchOffset(), "the lock not renewed ran out");
        assertEquals(RecordState.AVAILABLE, stateOf(partition, 5));
        assertEquals(RecordState.ACQUIRED, stateOf(partition, 4));
        assertEquals(1, partition.stateAt(4).deliveryCount(), "a renewal is no new delivery");
        ack(partition, "anna", 0, 4, AcknowledgeType.ACCEPT);
        assertEquals(5, partition.startOffset());
    }

    @Test
    void renew_is_refused_when_the_group_disables_it() {
        SharePartition partition = SharePartition.start(settings(5, 2000, false, false), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        SharePartitionException refused = assertThrows(SharePartitionException.class,
                () -> ack(partition, "anna", 0, 9, AcknowledgeType.RENEW));
        assertEquals(Errors.INVALID_RECORD_STATE, refused.error());
        assertTrue(refused.getMessage().contains("share.renew.acknowledge.enable"), refused.getMessage());
    }

    @Test
    void a_record_released_at_the_delivery_count_limit_is_archived() {
        SharePartition partition = SharePartition.start(settings(2, 2000, false, true), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 0), NO_LSO);
        ack(partition, "anna", 0, 0, AcknowledgeType.RELEASE);
        assertEquals(List.of(new AcquiredRecords(0, 0, 2)), partition.acquire("ben", FETCH, batches(0, 0), NO_LSO));
        ack(partition, "ben", 0, 0, AcknowledgeType.RELEASE);
        assertEquals(1, partition.startOffset(), "delivered twice, the limit: archived, and the start offset moves on");
        assertEquals(List.of(), partition.acquire("carl", FETCH, batches(0, 0), NO_LSO));
    }

    @Test
    void a_lock_that_runs_out_at_the_delivery_count_limit_archives_the_record() {
        SharePartition partition = SharePartition.start(settings(2, 2000, false, true), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 0), NO_LSO);
        clock.advance(Duration.ofSeconds(30));
        partition.acquire("ben", FETCH, batches(0, 0), NO_LSO);
        clock.advance(Duration.ofSeconds(30));
        assertEquals(1, partition.expireLocks(clock.millis()));
        assertEquals(1, partition.startOffset());
    }

    @Test
    void a_member_that_leaves_releases_its_records_keeping_their_delivery_counts() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 4), NO_LSO);
        partition.acquire("ben", FETCH, batches(5, 9), NO_LSO);
        partition.releaseAcquiredRecords("anna");
        assertEquals(RecordState.AVAILABLE, stateOf(partition, 0));
        assertEquals(1, partition.stateAt(0).deliveryCount(), "Kafka keeps the count when a member leaves");
        assertEquals(RecordState.ACQUIRED, stateOf(partition, 5));
        assertEquals(List.of(new AcquiredRecords(0, 4, 2)), partition.acquire("carl", FETCH, batches(0, 4, 5, 9), NO_LSO));
    }

    @Test
    void a_member_leaving_at_the_delivery_count_limit_archives_its_records() {
        SharePartition partition = SharePartition.start(settings(2, 2000, false, true), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 4), NO_LSO);
        ack(partition, "anna", 0, 4, AcknowledgeType.RELEASE);
        partition.acquire("ben", FETCH, batches(0, 4), NO_LSO);
        partition.releaseAcquiredRecords("ben");
        assertEquals(5, partition.startOffset());
    }

    @Test
    void new_records_stop_at_the_limit_of_record_locks_but_the_window_stays_acquirable() {
        SharePartition partition = SharePartition.start(settings(5, 100, false, true), clock, LOG);
        assertEquals(List.of(new AcquiredRecords(0, 99, 1)), partition.acquire("anna", FETCH, batches(0, 99), NO_LSO));
        assertEquals(List.of(), partition.acquire("ben", FETCH, batches(100, 149), NO_LSO), "100 records in flight");
        ack(partition, "anna", 50, 99, AcknowledgeType.RELEASE);
        assertEquals(List.of(new AcquiredRecords(50, 99, 2)), partition.acquire("ben", FETCH, batches(50, 99, 100, 149), NO_LSO),
                "at the limit only records already in the window are taken");
        ack(partition, "anna", 0, 9, AcknowledgeType.ACCEPT);
        assertEquals(List.of(new AcquiredRecords(100, 149, 1)), partition.acquire("carl", FETCH, batches(100, 149), NO_LSO),
                "the start offset moved: room for a whole batch, as batch_optimized takes whole batches");
    }

    @Test
    void batch_optimized_takes_whole_batches_and_record_limit_keeps_to_the_count() {
        SharePartition batches = partition();
        assertEquals(List.of(new AcquiredRecords(0, 9, 1)), batches.acquire("anna",
                new ShareFetchLimits(ShareAcquireMode.BATCH_OPTIMIZED, 3, 500), batches(0, 9), NO_LSO));
        SharePartition records = partition();
        ShareFetchLimits three = new ShareFetchLimits(ShareAcquireMode.RECORD_LIMIT, 3, 500);
        assertEquals(List.of(new AcquiredRecords(0, 2, 1)), records.acquire("anna", three, batches(0, 9), NO_LSO));
        assertEquals(RecordState.AVAILABLE, stateOf(records, 3), "the rest of the batch waits, in the window");
        assertEquals(3, records.nextFetchOffset());
        assertEquals(List.of(new AcquiredRecords(3, 5, 1)), records.acquire("ben", three, batches(0, 9), NO_LSO));
    }

    @Test
    void acquired_runs_are_cut_at_the_batch_size() {
        SharePartition partition = partition();
        assertEquals(List.of(new AcquiredRecords(0, 9, 1), new AcquiredRecords(10, 14, 1)), partition.acquire("anna",
                new ShareFetchLimits(ShareAcquireMode.BATCH_OPTIMIZED, 500, 10), batches(0, 4, 5, 9, 10, 14), NO_LSO));
    }

    @Test
    void read_committed_archives_aborted_transactions_and_stops_at_the_last_stable_offset() {
        SharePartition partition = SharePartition.start(settings(5, 2000, true, true), clock, LOG);
        List<FetchedBatch> fetched = List.of(FetchedBatch.of(0, 4), new FetchedBatch(5, 9, true), FetchedBatch.of(10, 14),
                FetchedBatch.of(15, 19));
        assertEquals(List.of(new AcquiredRecords(0, 4, 1), new AcquiredRecords(10, 14, 1)),
                partition.acquire("anna", FETCH, fetched, 15));
        assertEquals(RecordState.ARCHIVED, stateOf(partition, 5));
        assertEquals(14, partition.endOffset(), "offsets from the last stable offset on are not read");
        ack(partition, "anna", 0, 4, AcknowledgeType.ACCEPT);
        assertEquals(10, partition.startOffset(), "the aborted records are settled");
    }

    @Test
    void read_uncommitted_delivers_aborted_records_and_reads_past_the_last_stable_offset() {
        SharePartition partition = partition();
        assertEquals(List.of(new AcquiredRecords(0, 9, 1)),
                partition.acquire("anna", FETCH, List.of(new FetchedBatch(0, 9, true)), 5));
    }

    @Test
    void records_delivered_often_come_out_in_smaller_helpings_and_the_last_attempt_alone() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 7), NO_LSO);
        for (int delivery = 2; delivery <= 3; delivery++) {
            ack(partition, "anna", 0, 7, AcknowledgeType.RELEASE);
            partition.acquire("anna", FETCH, batches(0, 7), NO_LSO);
        }
        ack(partition, "anna", 0, 7, AcknowledgeType.RELEASE);
        assertEquals(List.of(new AcquiredRecords(0, 3, 4)), partition.acquire("anna", FETCH, batches(0, 7), NO_LSO),
                "delivered 3 times of 5: half the batch (8 >> 1)");
        ack(partition, "anna", 0, 3, AcknowledgeType.RELEASE);
        assertEquals(List.of(new AcquiredRecords(0, 0, 5)), partition.acquire("anna", FETCH, batches(0, 7), NO_LSO),
                "a record on its last attempt goes alone");
    }

    @Test
    void acknowledging_records_another_member_holds_is_refused_and_changes_nothing() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 4), NO_LSO);
        partition.acquire("ben", FETCH, batches(5, 9), NO_LSO);
        SharePartitionException refused = assertThrows(SharePartitionException.class, () -> partition.acknowledge("anna",
                List.of(AcknowledgementBatch.of(0, 4, AcknowledgeType.ACCEPT), AcknowledgementBatch.of(5, 5, AcknowledgeType.ACCEPT))));
        assertEquals(Errors.INVALID_RECORD_STATE, refused.error());
        assertTrue(refused.getMessage().contains("offset 5"), refused.getMessage());
        assertEquals(RecordState.ACQUIRED, stateOf(partition, 0), "all or nothing");
        assertEquals(0, partition.startOffset());
    }

    @Test
    void acknowledging_records_not_acquired_is_refused() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        ack(partition, "anna", 5, 5, AcknowledgeType.RELEASE);
        assertEquals(Errors.INVALID_RECORD_STATE, assertThrows(SharePartitionException.class,
                () -> ack(partition, "anna", 5, 5, AcknowledgeType.ACCEPT)).error(), "available, not acquired");
        assertEquals(Errors.INVALID_RECORD_STATE, assertThrows(SharePartitionException.class,
                () -> partition.acknowledge("anna", List.of(AcknowledgementBatch.of(1, 1, AcknowledgeType.ACCEPT),
                        AcknowledgementBatch.of(1, 1, AcknowledgeType.ACCEPT)))).error(), "the same offset twice");
    }

    @Test
    void acknowledging_past_the_records_in_flight_is_an_invalid_request() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        assertEquals(Errors.INVALID_REQUEST, assertThrows(SharePartitionException.class,
                () -> ack(partition, "anna", 5, 12, AcknowledgeType.ACCEPT)).error());
        assertEquals(Errors.INVALID_REQUEST, assertThrows(SharePartitionException.class,
                () -> ack(partition, "anna", 20, 22, AcknowledgeType.ACCEPT)).error());
        SharePartition empty = partition();
        assertEquals(Errors.INVALID_RECORD_STATE, assertThrows(SharePartitionException.class,
                () -> ack(empty, "anna", 0, 0, AcknowledgeType.ACCEPT)).error());
    }

    @Test
    void offsets_below_the_start_offset_are_settled_already_and_skipped() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        ack(partition, "anna", 0, 4, AcknowledgeType.ACCEPT);
        ack(partition, "anna", 0, 4, AcknowledgeType.REJECT);
        ack(partition, "anna", 2, 9, AcknowledgeType.ACCEPT);
        assertEquals(10, partition.startOffset());
    }

    @Test
    void malformed_acknowledgements_are_invalid_requests() {
        assertEquals(Errors.INVALID_REQUEST, assertThrows(SharePartitionException.class,
                () -> new AcknowledgementBatch(0, 2, List.of(AcknowledgeType.ACCEPT, AcknowledgeType.ACCEPT))).error());
        assertEquals(Errors.INVALID_REQUEST, assertThrows(SharePartitionException.class,
                () -> AcknowledgementBatch.of(5, 4, AcknowledgeType.ACCEPT)).error());
        assertEquals(Errors.INVALID_REQUEST, assertThrows(SharePartitionException.class,
                () -> AcknowledgeType.forId((byte) 5)).error());
        assertEquals(Errors.INVALID_REQUEST, assertThrows(SharePartitionException.class,
                () -> partition().acquire("", FETCH, batches(0, 0), NO_LSO)).error());
    }

    @Test
    void the_start_offset_comes_from_share_auto_offset_reset() {
        assertEquals(0, SharePartition.start(settings(5, 2000, false, true), clock, LOG).startOffset());
        ShareGroupSettings latest = new ShareGroupSettings(30000, 5, 2000, ShareAutoOffsetReset.LATEST, false, true);
        assertEquals(100, SharePartition.start(latest, clock, LOG).startOffset());
        long[] askedFor = new long[1];
        OffsetLookup byTime = new OffsetLookup() {
            public long earliestOffset() {
                return 0;
            }

            public long latestOffset() {
                return 100;
            }

            public long offsetForTimestamp(long timestampMs) {
                askedFor[0] = timestampMs;
                return 40;
            }
        };
        ShareGroupSettings hourAgo = new ShareGroupSettings(30000, 5, 2000, ShareAutoOffsetReset.parse("by_duration:PT1H"),
                false, true);
        assertEquals(40, SharePartition.start(hourAgo, clock, byTime).startOffset());
        assertEquals(clock.millis() - 3_600_000, askedFor[0]);
    }

    @Test
    void a_fetch_from_before_the_start_offset_begins_at_it() {
        ShareGroupSettings latest = new ShareGroupSettings(30000, 5, 2000, ShareAutoOffsetReset.LATEST, false, true);
        SharePartition partition = SharePartition.start(latest, clock, LOG);
        assertEquals(List.of(new AcquiredRecords(100, 104, 1)), partition.acquire("anna", FETCH, batches(90, 104), NO_LSO));
    }

    @Test
    void altering_the_start_offset_empties_the_window_and_raises_the_state_epoch() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        ack(partition, "anna", 0, 9, AcknowledgeType.RELEASE);
        partition.alterStartOffset(50);
        assertEquals(50, partition.startOffset());
        assertEquals(0, partition.inFlightCount());
        assertEquals(1, partition.stateEpoch());
        assertEquals(List.of(new AcquiredRecords(50, 59, 1)), partition.acquire("anna", FETCH, batches(0, 9, 50, 59), NO_LSO));
    }

    @Test
    void altering_the_start_offset_is_refused_while_a_member_holds_records() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        SharePartitionException refused = assertThrows(SharePartitionException.class, () -> partition.alterStartOffset(0));
        assertEquals(Errors.NON_EMPTY_GROUP, refused.error());
        assertEquals(0, partition.stateEpoch());
        clock.advance(Duration.ofSeconds(30));
        partition.alterStartOffset(5);
        assertEquals(5, partition.startOffset(), "the locks ran out: nobody holds records");
        assertEquals(Errors.INVALID_REQUEST,
                assertThrows(SharePartitionException.class, () -> partition.alterStartOffset(-1)).error());
    }

    @Test
    void the_start_offset_follows_the_log_start_offset_and_records_below_it_leave_the_window() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        partition.logStartOffsetMoved(5);
        assertEquals(5, partition.startOffset());
        assertNull(partition.stateAt(3));
        assertEquals(RecordState.ACQUIRED, stateOf(partition, 5));
        ack(partition, "anna", 0, 9, AcknowledgeType.ACCEPT);
        assertEquals(10, partition.startOffset(), "anna's word on 0 to 4 is skipped");
        partition.logStartOffsetMoved(3);
        assertEquals(10, partition.startOffset(), "a log start offset behind it changes nothing");
        partition.logStartOffsetMoved(20);
        assertEquals(20, partition.startOffset());
        assertEquals(20, partition.endOffset());
        assertEquals(20, partition.nextFetchOffset());
    }

    @Test
    void available_records_the_log_no_longer_has_are_archived_when_a_fetch_reads_past_them() {
        SharePartition partition = partition();
        partition.acquire("anna", FETCH, batches(0, 4, 5, 9, 10, 14), NO_LSO);
        partition.acknowledge("anna", List.of(AcknowledgementBatch.of(0, 0, AcknowledgeType.RELEASE),
                AcknowledgementBatch.of(2, 4, AcknowledgeType.RELEASE), AcknowledgementBatch.of(5, 9, AcknowledgeType.RELEASE)));
        assertEquals(0, partition.nextFetchOffset());
        assertEquals(List.of(), partition.acquire("ben", FETCH, 0, batches(10, 14), NO_LSO),
                "compaction took 0 to 9: the log read from 0 starts at 10");
        assertEquals(1, partition.startOffset(), "0 archived");
        assertEquals(RecordState.ACQUIRED, stateOf(partition, 1), "anna still holds it");
        assertEquals(RecordState.ARCHIVED, stateOf(partition, 7));
        ack(partition, "anna", 1, 1, AcknowledgeType.ACCEPT);
        assertEquals(10, partition.startOffset());
    }

    @Test
    void fetched_batches_out_of_order_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> partition().acquire("anna", FETCH, batches(5, 9, 0, 4), NO_LSO));
        assertThrows(IllegalArgumentException.class, () -> FetchedBatch.of(5, 4));
    }
}
