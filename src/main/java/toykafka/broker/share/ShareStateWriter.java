package toykafka.broker.share;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import toykafka.broker.share.partition.PersisterStateBatch;
import toykafka.broker.share.partition.ShareGroupState;

/**
 * Decides what a share partition's next write to {@code __share_group_state} is, as Kafka's share coordinator does in
 * its {@code ShareCoordinatorShard}: a whole ShareSnapshot, or a ShareUpdate carrying only the batches that changed.
 * Snapshots bound how many records a reload replays, Kafka's
 * {@code share.coordinator.snapshot.update.records.per.snapshot} (0 to 500, default 500) updates apart.
 */
public final class ShareStateWriter {

    private final int updatesPerSnapshot;

    public ShareStateWriter(int updatesPerSnapshot) {
        if (updatesPerSnapshot < 0 || updatesPerSnapshot > PersistedShareState.DEFAULT_UPDATES_PER_SNAPSHOT) {
            throw new IllegalArgumentException("share.coordinator.snapshot.update.records.per.snapshot is "
                    + updatesPerSnapshot + ": it must be between 0 and 500");
        }
        this.updatesPerSnapshot = updatesPerSnapshot;
    }

    public int updatesPerSnapshot() {
        return updatesPerSnapshot;
    }

    // tag::write-decision[]
    /**
     * The value to write for a partition's new state. A snapshot when nothing is written yet (snapshot epoch 0, as
     * Kafka's initialize writes it), when the state epoch has moved on (the start offset was reset), or once
     * {@code updatesPerSnapshot} updates have followed the last snapshot; its snapshot epoch is one past the last.
     * Otherwise an update with the batches that changed, unless replaying it would not give back the new state (a
     * batch gone, a record whose count or state went down, the start offset moved back): then a snapshot too.
     *
     * @param written what the partition's records replay to so far, or null if there are none
     * @param leaderEpoch the leader epoch of the partition whose state this is
     * @param nowMs the time of the write, a snapshot's create and write timestamps
     * @throws IllegalArgumentException if the new state's epoch is older than the written one (Kafka's
     *     FENCED_STATE_EPOCH)
     */
    public ShareStateValue next(ShareGroupState state, PersistedShareState written, int leaderEpoch, long nowMs) {
        if (leaderEpoch < 0) {
            throw new IllegalArgumentException("The leader epoch cannot be a negative number: " + leaderEpoch);
        }
        if (written == null) {
            return snapshot(state, 0, leaderEpoch, nowMs);
        }
        if (state.stateEpoch() < written.stateEpoch()) {
            throw new IllegalArgumentException("State epoch " + state.stateEpoch() + " is older than the written "
                    + written.stateEpoch() + " (FENCED_STATE_EPOCH)");
        }
        int nextSnapshotEpoch = written.snapshotEpoch() + 1;
        if (state.stateEpoch() > written.stateEpoch() || written.updatesSinceSnapshot() >= updatesPerSnapshot) {
            return snapshot(state, nextSnapshotEpoch, leaderEpoch, nowMs);
        }
        ShareUpdate update = new ShareUpdate(written.snapshotEpoch(), leaderEpoch, state.startOffset(),
                deliveryCompleteCount(state), changed(state.stateBatches(), written.stateBatches()));
        PersistedShareState replayed = PersistedShareState.replay(written, update, updatesPerSnapshot);
        if (!replayed.shareGroupState().equals(state)) {
            return snapshot(state, nextSnapshotEpoch, leaderEpoch, nowMs);
        }
        return update;
    }
    // end::write-decision[]

    private static ShareSnapshot snapshot(ShareGroupState state, int snapshotEpoch, int leaderEpoch, long nowMs) {
        return new ShareSnapshot(snapshotEpoch, state.stateEpoch(), leaderEpoch, state.startOffset(),
                deliveryCompleteCount(state), nowMs, nowMs, state.stateBatches());
    }

    /** The new batches not already written as they are. */
    private static List<PersisterStateBatch> changed(List<PersisterStateBatch> batches,
                                                     List<PersisterStateBatch> written) {
        List<PersisterStateBatch> changed = new ArrayList<>(batches);
        changed.removeAll(new HashSet<>(written));
        return changed;
    }

    /** -1 for a partition never started, as Kafka's initialize writes it; capped at what the int32 field holds. */
    private static int deliveryCompleteCount(ShareGroupState state) {
        if (state.startOffset() == ShareGroupState.UNINITIALIZED) {
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, state.deliveryCompleteCount());
    }
}
