package toykafka.broker.share;

import java.util.List;
import toykafka.broker.share.partition.PersisterStateBatch;
import toykafka.broker.share.partition.ShareGroupState;
import toykafka.broker.share.partition.SharePartition;

/**
 * What the records of {@code __share_group_state} add up to for one share partition (Kafka's share coordinator keeps
 * it as a {@code ShareGroupOffset}, and counts the updates since the last snapshot beside it): the last snapshot with
 * every later update merged in.
 *
 * @param updatesSinceSnapshot the ShareUpdate records replayed since the counter was last reset
 */
public record PersistedShareState(int snapshotEpoch, int stateEpoch, int leaderEpoch, long startOffset,
                                  int deliveryCompleteCount, long createTimestamp, long writeTimestamp,
                                  List<PersisterStateBatch> stateBatches, int updatesSinceSnapshot) {

    /** Kafka's {@code share.coordinator.snapshot.update.records.per.snapshot} default. */
    public static final int DEFAULT_UPDATES_PER_SNAPSHOT = 500;
    /** The value a ShareUpdate's start offset or leader epoch takes to leave the old one in place. */
    static final int UNCHANGED = -1;

    public PersistedShareState {
        stateBatches = List.copyOf(stateBatches);
    }

    /** The state a share partition is rebuilt from: {@link SharePartition#fromState}. */
    public ShareGroupState shareGroupState() {
        return new ShareGroupState(stateEpoch, startOffset, stateBatches);
    }

    // tag::replay[]
    /**
     * The state after one more record of the partition, as Kafka's share coordinator replays it. A tombstone leaves
     * nothing (null). A snapshot replaces everything, and restarts the update count only once it has reached
     * {@code updatesPerSnapshot}. An update keeps the snapshot's epochs and timestamps, takes its own start offset and
     * leader epoch unless they are -1, its delivery-complete count always, and merges its batches into the ones so
     * far from the new start offset on; replayed with nothing before it, it stands alone at state epoch 0.
     *
     * @param before the state so far, or null if there is none
     */
    public static PersistedShareState replay(PersistedShareState before, ShareStateValue value,
                                             int updatesPerSnapshot) {
        if (value == null) {
            return null;
        }
        if (value instanceof ShareSnapshot snapshot) {
            int updates = before == null || before.updatesSinceSnapshot >= updatesPerSnapshot ? 0
                    : before.updatesSinceSnapshot;
            return new PersistedShareState(snapshot.snapshotEpoch(), snapshot.stateEpoch(), snapshot.leaderEpoch(),
                    snapshot.startOffset(), snapshot.deliveryCompleteCount(), snapshot.createTimestamp(),
                    snapshot.writeTimestamp(), snapshot.stateBatches(), updates);
        }
        ShareUpdate update = (ShareUpdate) value;
        if (before == null) {
            return new PersistedShareState(update.snapshotEpoch(), 0, update.leaderEpoch(), update.startOffset(),
                    update.deliveryCompleteCount(), 0, 0, update.stateBatches(), 1);
        }
        long startOffset = update.startOffset() == UNCHANGED ? before.startOffset : update.startOffset();
        int leaderEpoch = update.leaderEpoch() == UNCHANGED ? before.leaderEpoch : update.leaderEpoch();
        return new PersistedShareState(before.snapshotEpoch, before.stateEpoch, leaderEpoch, startOffset,
                update.deliveryCompleteCount(), before.createTimestamp, before.writeTimestamp,
                StateBatchCombiner.combine(before.stateBatches, update.stateBatches(), startOffset),
                before.updatesSinceSnapshot + 1);
    }
    // end::replay[]
}
