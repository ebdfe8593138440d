package toykafka.broker.share.partition;

import java.util.List;

/**
 * All a share partition keeps across a restart, as Kafka's ShareSnapshot record holds it: the share-partition start
 * offset, the state epoch (raised each time the start offset is reset) and the in-flight records from it on.
 * A start offset of -1 says the partition was never started: its first use takes share.auto.offset.reset.
 */
public record ShareGroupState(int stateEpoch, long startOffset, List<PersisterStateBatch> stateBatches) {

    /** The start offset Kafka's persister answers for a partition with no state yet. */
    public static final long UNINITIALIZED = -1;

    public ShareGroupState {
        stateBatches = List.copyOf(stateBatches);
    }

    /**
     * The offsets from the start offset on whose delivery is complete (acknowledged or archived): ShareSnapshot's
     * DeliveryCompleteCount, from which a share group's lag is worked out.
     */
    public long deliveryCompleteCount() {
        return stateBatches.stream().filter(batch -> batch.firstOffset() >= startOffset && batch.state().terminal())
                .mapToLong(batch -> batch.lastOffset() - batch.firstOffset() + 1).sum();
    }

    /** The state of a partition never started. */
    public static ShareGroupState uninitialized() {
        return new ShareGroupState(0, UNINITIALIZED, List.of());
    }
}
