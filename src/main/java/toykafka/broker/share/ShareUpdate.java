package toykafka.broker.share;

import java.util.List;
import toykafka.broker.share.partition.PersisterStateBatch;

/**
 * A change to a share partition's persisted state (Kafka's {@code ShareUpdateValue}): the state batches that changed,
 * merged into the last snapshot's when replayed. A start offset or leader epoch of -1 leaves the old one in place.
 */
public record ShareUpdate(int snapshotEpoch, int leaderEpoch, long startOffset, int deliveryCompleteCount,
                          List<PersisterStateBatch> stateBatches) implements ShareStateValue {

    public ShareUpdate {
        stateBatches = List.copyOf(stateBatches);
    }
}
