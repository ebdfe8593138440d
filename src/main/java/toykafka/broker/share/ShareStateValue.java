package toykafka.broker.share;

import java.util.List;
import toykafka.broker.share.partition.PersisterStateBatch;

/**
 * The value of a record of {@code __share_group_state}: a whole {@link ShareSnapshot} or a {@link ShareUpdate} on top
 * of the last one. Both carry the snapshot epoch, the leader epoch, the start offset, the delivery-complete count
 * (-1 when unknown) and state batches.
 */
public sealed interface ShareStateValue permits ShareSnapshot, ShareUpdate {

    /** How many snapshots came before the one this value belongs to. */
    int snapshotEpoch();

    int leaderEpoch();

    long startOffset();

    /** The settled offsets from the start offset on, or -1 when not known (the field's default in Kafka). */
    int deliveryCompleteCount();

    List<PersisterStateBatch> stateBatches();
}
