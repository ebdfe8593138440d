package toykafka.broker.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.share.partition.PersisterStateBatch;
import toykafka.broker.share.partition.RecordState;
import toykafka.broker.share.partition.ShareGroupState;

/** The share coordinator's replay of {@code __share_group_state} and its choice between a snapshot and an update. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareStateWriterTest {

    private static final ShareStateWriter WRITER = new ShareStateWriter(PersistedShareState.DEFAULT_UPDATES_PER_SNAPSHOT);

    private static PersisterStateBatch batch(long first, long last, RecordState state, int count) {
        return new PersisterStateBatch(first, last, state, count);
    }

    private static PersistedShareState write(ShareStateWriter writer, PersistedShareState written,
                                             ShareGroupState state, long now) {
        ShareStateValue value = writer.next(state, written, 0, now);
        return PersistedShareState.replay(written, value, writer.updatesPerSnapshot());
    }

    @Test
    void the_first_write_is_a_snapshot_at_epoch_0_and_then_updates_carry_only_what_changed() {
        ShareGroupState first = new ShareGroupState(0, 100, List.of(batch(100, 109, RecordState.AVAILABLE, 1)));
        ShareStateValue value = WRITER.next(first, null, 3, 50);
        assertEquals(new ShareSnapshot(0, 0, 3, 100, 0, 50, 50, first.stateBatches()), value);
        PersistedShareState written = PersistedShareState.replay(null, value, 500);

        ShareGroupState acked = new ShareGroupState(0, 100, List.of(batch(100, 104, RecordState.AVAILABLE, 1),
                batch(105, 109, RecordState.ACKNOWLEDGED, 1), batch(110, 119, RecordState.AVAILABLE, 1)));
        ShareStateValue update = WRITER.next(acked, written, 3, 60);
        assertEquals(new ShareUpdate(0, 3, 100, 5, List.of(batch(100, 104, RecordState.AVAILABLE, 1),
                batch(105, 109, RecordState.ACKNOWLEDGED, 1), batch(110, 119, RecordState.AVAILABLE, 1))), update);
        PersistedShareState replayed = PersistedShareState.replay(written, update, 500);
        assertEquals(acked, replayed.shareGroupState());
        assertEquals(1, replayed.updatesSinceSnapshot());
        assertEquals(50, replayed.writeTimestamp(), "an update keeps the snapshot's timestamps");
    }

    @Test
    void an_update_merges_by_delivery_count_then_state_and_prunes_below_the_start_offset() {
        PersistedShareState written = PersistedShareState.replay(null, new ShareSnapshot(2, 1, 0, 10, 0, 1, 1,
                List.of(batch(10, 19, RecordState.AVAILABLE, 1), batch(20, 29, RecordState.ACKNOWLEDGED, 1))), 500);
        PersistedShareState after = PersistedShareState.replay(written, new ShareUpdate(2, -1, 12, 4, List.of(
                batch(15, 24, RecordState.AVAILABLE, 2), batch(26, 27, RecordState.ARCHIVED, 1),
                batch(28, 28, RecordState.AVAILABLE, 1))), 500);
        assertEquals(List.of(batch(12, 14, RecordState.AVAILABLE, 1), batch(15, 24, RecordState.AVAILABLE, 2),
                batch(25, 25, RecordState.ACKNOWLEDGED, 1), batch(26, 27, RecordState.ARCHIVED, 1),
                batch(28, 29, RecordState.ACKNOWLEDGED, 1)), after.stateBatches(),
                "count 2 beats count 1; ARCHIVED (4) beats ACKNOWLEDGED (2) beats AVAILABLE (0)");
        assertEquals(12, after.startOffset());
        assertEquals(0, after.leaderEpoch(), "a leader epoch of -1 keeps the old one");
        assertEquals(1, after.stateEpoch(), "an update keeps the snapshot's state epoch");
        assertEquals(4, after.deliveryCompleteCount());
        PersistedShareState sameStart = PersistedShareState.replay(after, new ShareUpdate(2, 5, -1, 4, List.of()), 500);
        assertEquals(12, sameStart.startOffset(), "a start offset of -1 keeps the old one");
        assertEquals(5, sameStart.leaderEpoch());
    }

    @Test
    void a_new_state_epoch_is_a_snapshot_and_an_older_one_is_fenced() {
        PersistedShareState written = write(WRITER, null, new ShareGroupState(1, 0, List.of()), 1);
        written = write(WRITER, written, new ShareGroupState(1, 0, List.of(batch(0, 4, RecordState.AVAILABLE, 1))), 2);
        ShareStateValue reset = WRITER.next(new ShareGroupState(2, 50, List.of()), written, 0, 3);
        assertEquals(new ShareSnapshot(1, 2, 0, 50, 0, 3, 3, List.of()), reset);
        IllegalArgumentException fenced = assertThrows(IllegalArgumentException.class,
                () -> WRITER.next(new ShareGroupState(0, 0, List.of()), PersistedShareState.replay(null, reset, 500),
                        0, 4));
        assertTrue(fenced.getMessage().contains("FENCED_STATE_EPOCH"), fenced.getMessage());
    }

    @Test
    void a_snapshot_follows_the_configured_number_of_updates_and_resets_the_count() {
        ShareStateWriter everyThird = new ShareStateWriter(3);
        PersistedShareState written = write(everyThird, null, new ShareGroupState(0, 0, List.of()), 0);
        List<String> kinds = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            ShareGroupState state = new ShareGroupState(0, i, List.of(batch(i, i + 3, RecordState.AVAILABLE, 1)));
            ShareStateValue value = everyThird.next(state, written, 0, i);
            kinds.add(value instanceof ShareSnapshot ? "S" : "U");
            written = PersistedShareState.replay(written, value, 3);
            assertEquals(state, written.shareGroupState());
        }
        assertEquals(List.of("U", "U", "U", "S", "U", "U", "U", "S"), kinds);
        assertEquals(2, written.snapshotEpoch());
        ShareStateWriter always = new ShareStateWriter(0);
        assertInstanceOf(ShareSnapshot.class, always.next(new ShareGroupState(0, 9, List.of()), written, 0, 9),
                "0 updates per snapshot: every write is a snapshot");
    }

    @Test
    void a_snapshot_of_a_new_state_epoch_keeps_an_unfinished_update_count_as_kafka_does() {
        PersistedShareState written = write(WRITER, null, new ShareGroupState(0, 0, List.of()), 0);
        written = write(WRITER, written, new ShareGroupState(0, 1, List.of()), 1);
        written = write(WRITER, written, new ShareGroupState(1, 7, List.of()), 2);
        assertEquals(1, written.updatesSinceSnapshot());
    }

    @Test
    void a_change_an_update_cannot_say_is_written_as_a_snapshot() {
        PersistedShareState written = write(WRITER, null, new ShareGroupState(0, 0,
                List.of(batch(0, 9, RecordState.ACKNOWLEDGED, 2))), 0);
        ShareGroupState lower = new ShareGroupState(0, 0, List.of(batch(0, 9, RecordState.AVAILABLE, 1)));
        assertInstanceOf(ShareSnapshot.class, WRITER.next(lower, written, 0, 1), "a lower count cannot win a merge");
        ShareGroupState gap = new ShareGroupState(0, 0, List.of(batch(0, 3, RecordState.ACKNOWLEDGED, 2)));
        assertInstanceOf(ShareSnapshot.class, WRITER.next(gap, written, 0, 1), "an update cannot drop a batch");
        ShareGroupState back = new ShareGroupState(0, 0, List.of(batch(0, 9, RecordState.ACKNOWLEDGED, 2),
                batch(10, 10, RecordState.AVAILABLE, 1)));
        assertInstanceOf(ShareUpdate.class, WRITER.next(back, written, 0, 1));
    }

    @Test
    void a_tombstone_forgets_the_partition() {
        PersistedShareState written = write(WRITER, null, new ShareGroupState(0, 0, List.of()), 0);
        assertNull(PersistedShareState.replay(written, null, 500));
    }

    @Test
    void bad_settings_are_refused_with_the_range() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> new ShareStateWriter(501));
        assertTrue(tooMany.getMessage().contains("between 0 and 500"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WRITER.next(ShareGroupState.uninitialized(), null, -1, 0));
    }

    /** States a share partition could move through, and some it could not: every one must replay exactly. */
    @Test
    void any_sequence_of_states_written_then_replayed_gives_back_the_last_state() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        int updates = 0;
        for (int run = 0; run < 300; run++) {
            ShareStateWriter writer = new ShareStateWriter(random.nextInt(6));
            PersistedShareState written = null;
            List<ShareStateValue> log = new ArrayList<>();
            int stateEpoch = 0;
            long start = random.nextBoolean() ? ShareGroupState.UNINITIALIZED : random.nextInt(20);
            List<PersisterStateBatch> batches = new ArrayList<>();
            for (int step = 0; step < 30; step++) {
                if (random.nextInt(10) == 0) {
                    stateEpoch++;
                }
                start = random.nextInt(4) == 0 ? start : Math.max(start, 0) + random.nextInt(5) - 1;
                batches = nextBatches(random, Math.max(start, 0), batches);
                ShareGroupState state = new ShareGroupState(stateEpoch, start, batches);
                ShareStateValue value = writer.next(state, written, random.nextInt(3), step);
                log.add(value);
                updates += value instanceof ShareUpdate ? 1 : 0;
                written = PersistedShareState.replay(written, value, writer.updatesPerSnapshot());
                assertEquals(state, written.shareGroupState(), "seed " + seed + ", run " + run + ", step " + step);
            }
            PersistedShareState reloaded = null;
            for (ShareStateValue value : log) {
                reloaded = PersistedShareState.replay(reloaded, value, writer.updatesPerSnapshot());
            }
            assertEquals(written, reloaded, "a reload replays to the same state; seed " + seed);
        }
        assertTrue(updates > 0, "updates were written, not only snapshots; seed " + seed);
    }

    /** Mostly the old batches moved on (counts and states up), sometimes anything at all. */
    private static List<PersisterStateBatch> nextBatches(Random random, long start, List<PersisterStateBatch> old) {
        List<PersisterStateBatch> next = new ArrayList<>();
        boolean wild = random.nextInt(5) == 0;
        long offset = start;
        int runs = old.isEmpty() ? random.nextInt(4) : old.size() + random.nextInt(2) - (random.nextInt(3) == 0 ? 1 : 0);
        for (int i = 0; i < runs; i++) {
            offset += random.nextInt(3) == 0 ? random.nextInt(3) : 0;
            long last = offset + random.nextInt(4);
            PersisterStateBatch before = i < old.size() ? old.get(i) : null;
            int count = before == null || wild ? random.nextInt(4) : before.deliveryCount() + random.nextInt(2);
            RecordState[] states = {RecordState.AVAILABLE, RecordState.ACKNOWLEDGED, RecordState.ARCHIVED};
            next.add(batch(offset, last, states[random.nextInt(states.length)], count));
            offset = last + 1;
        }
        return next;
    }
}
