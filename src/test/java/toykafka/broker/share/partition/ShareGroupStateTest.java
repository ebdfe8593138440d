package toykafka.broker.share.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.broker.share.partition.SharePartitionTest.FETCH;
import static toykafka.broker.share.partition.SharePartitionTest.LOG;
import static toykafka.broker.share.partition.SharePartitionTest.NO_LSO;
import static toykafka.broker.share.partition.SharePartitionTest.ack;
import static toykafka.broker.share.partition.SharePartitionTest.batches;
import static toykafka.broker.share.partition.SharePartitionTest.settings;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;

/** A share partition's state as {@code __share_group_state} keeps it, written out and read back. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareGroupStateTest {

    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ShareGroupSettings settings = settings(5, 2000, false, true);

    /** Offsets 0 to 9 delivered to anna; 0 to 2 and 7 accepted, 5 released, the rest still hers. */
    SharePartition partlySettled() {
        SharePartition partition = SharePartition.start(settings, clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 9), NO_LSO);
        ack(partition, "anna", 0, 2, AcknowledgeType.ACCEPT);
        ack(partition, "anna", 5, 5, AcknowledgeType.RELEASE);
        ack(partition, "anna", 7, 7, AcknowledgeType.ACCEPT);
        return partition;
    }

    @Test
    void the_snapshot_holds_the_start_offset_the_epoch_and_runs_of_like_records_acquired_ones_as_available() {
        ShareGroupState state = partlySettled().stateSnapshot();
        assertEquals(new ShareGroupState(0, 3, List.of(
                new PersisterStateBatch(3, 6, RecordState.AVAILABLE, 1),
                new PersisterStateBatch(7, 7, RecordState.ACKNOWLEDGED, 1),
                new PersisterStateBatch(8, 9, RecordState.AVAILABLE, 1))), state);
        assertEquals(1, state.deliveryCompleteCount(), "offset 7 of those from the start offset 3 on");
        assertEquals(0, state.stateBatches().get(0).deliveryState(), "the id Kafka persists for AVAILABLE");
        assertEquals(2, state.stateBatches().get(1).deliveryState(), "and for ACKNOWLEDGED");
    }

    @Test
    void a_partition_read_back_from_its_snapshot_delivers_what_was_not_settled_counting_the_earlier_delivery() {
        ShareGroupState state = partlySettled().stateSnapshot();
        SharePartition restored = SharePartition.fromState(state, settings, clock, LOG);
        assertEquals(state, restored.stateSnapshot(), "the round trip changes nothing");
        assertEquals(3, restored.startOffset());
        assertEquals(9, restored.endOffset());
        assertEquals(List.of(new AcquiredRecords(3, 6, 2), new AcquiredRecords(8, 9, 2)),
                restored.acquire("ben", FETCH, batches(0, 9), NO_LSO));
        ack(restored, "ben", 3, 6, AcknowledgeType.ACCEPT);
        ack(restored, "ben", 8, 9, AcknowledgeType.ACCEPT);
        assertEquals(10, restored.startOffset());
    }

    @Test
    void an_acquired_state_read_back_is_available_with_its_count() {
        ShareGroupState state = new ShareGroupState(3, 0, List.of(new PersisterStateBatch(0, 4, RecordState.ACQUIRED, 2)));
        SharePartition restored = SharePartition.fromState(state, settings, clock, LOG);
        assertEquals(3, restored.stateEpoch());
        assertEquals(List.of(new AcquiredRecords(0, 4, 3)), restored.acquire("anna", FETCH, batches(0, 4), NO_LSO));
    }

    @Test
    void a_record_acquired_on_its_last_delivery_is_written_and_read_back_archived() {
        SharePartition partition = SharePartition.start(settings(2, 2000, false, true), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 4), NO_LSO);
        ack(partition, "anna", 0, 4, AcknowledgeType.RELEASE);
        partition.acquire("anna", FETCH, batches(0, 4, 5, 9), NO_LSO);
        assertEquals(List.of(new PersisterStateBatch(0, 4, RecordState.ARCHIVED, 2),
                new PersisterStateBatch(5, 9, RecordState.AVAILABLE, 1)), partition.stateSnapshot().stateBatches());
        ShareGroupState written = new ShareGroupState(0, 0, List.of(new PersisterStateBatch(0, 4, RecordState.ACQUIRED, 2)));
        assertEquals(5, SharePartition.fromState(written, settings(2, 2000, false, true), clock, LOG).startOffset());
    }

    @Test
    void settled_records_at_the_front_move_the_start_offset_on_reading() {
        ShareGroupState state = new ShareGroupState(0, 0, List.of(new PersisterStateBatch(0, 4, RecordState.ARCHIVED, 5),
                new PersisterStateBatch(5, 9, RecordState.AVAILABLE, 1)));
        assertEquals(5, SharePartition.fromState(state, settings, clock, LOG).startOffset());
    }

    @Test
    void offsets_missing_from_the_state_are_fetched_as_new_records_and_hold_the_start_offset() {
        ShareGroupState state = new ShareGroupState(0, 10, List.of(new PersisterStateBatch(15, 19, RecordState.ARCHIVED, 1)));
        SharePartition restored = SharePartition.fromState(state, settings, clock, LOG);
        assertEquals(10, restored.startOffset(), "offsets 10 to 14 are not settled");
        assertEquals(10, restored.nextFetchOffset());
        assertEquals(List.of(new AcquiredRecords(10, 14, 1)), restored.acquire("anna", FETCH, batches(10, 14, 15, 19), NO_LSO));
        ack(restored, "anna", 10, 14, AcknowledgeType.ACCEPT);
        assertEquals(20, restored.startOffset());
    }

    @Test
    void a_state_never_started_takes_share_auto_offset_reset() {
        SharePartition fresh = SharePartition.fromState(ShareGroupState.uninitialized(), settings, clock, LOG);
        assertEquals(0, fresh.startOffset(), "earliest, in these settings");
        assertEquals(new ShareGroupState(0, 0, List.of()), fresh.stateSnapshot());
    }

    @Test
    void a_state_whose_batches_are_out_of_place_is_refused() {
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class, () -> SharePartition.fromState(
                new ShareGroupState(0, 10, List.of(new PersisterStateBatch(5, 12, RecordState.AVAILABLE, 1))), settings, clock, LOG));
        assertTrue(below.getMessage().contains("start offset 10"), below.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharePartition.fromState(new ShareGroupState(0, 0, List.of(
                new PersisterStateBatch(0, 4, RecordState.AVAILABLE, 1), new PersisterStateBatch(3, 6, RecordState.AVAILABLE, 1))),
                settings, clock, LOG));
        assertThrows(IllegalArgumentException.class, () -> SharePartition.fromState(new ShareGroupState(0, 0, List.of(
                new PersisterStateBatch(0, 4, (byte) 5, (short) 1))), settings, clock, LOG), "no state has id 5");
    }
}
