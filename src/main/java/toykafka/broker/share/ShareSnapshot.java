package toykafka.broker.share;

import java.util.List;
import toykafka.broker.share.partition.PersisterStateBatch;

/**
 * A share partition's whole persisted state (Kafka's {@code ShareSnapshotValue}): replaying it replaces whatever came
 * before. It alone carries the state epoch, and when the state was created and last written.
 */
public record ShareSnapshot(int snapshotEpoch, int stateEpoch, int leaderEpoch, long startOffset,
                            int deliveryCompleteCount, long createTimestamp, long writeTimestamp,
                            List<PersisterStateBatch> stateBatches) implements ShareStateValue {

    public ShareSnapshot {
        stateBatches = List.copyOf(stateBatches);
    }
}
