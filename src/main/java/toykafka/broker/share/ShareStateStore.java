package toykafka.broker.share;

import java.util.Map;
import toykafka.broker.share.partition.ShareGroupState;

/**
 * Where share partitions keep their state across a restart (Kafka's {@code Persister}, which writes through the share
 * coordinator to {@code __share_group_state}): each write is durable before the member that caused it is answered.
 */
public interface ShareStateStore {

    /** Keeps nothing: a broker started again starts every share partition afresh. */
    ShareStateStore NONE = new ShareStateStore() {
        @Override
        public void write(SharePartitionKey key, ShareGroupState state) {
        }

        @Override
        public void delete(SharePartitionKey key) {
        }

        @Override
        public Map<SharePartitionKey, ShareGroupState> replay() {
            return Map.of();
        }
    };

    /** The partition's state now, replacing what was kept. */
    void write(SharePartitionKey key, ShareGroupState state);

    /** The partition's state is gone: its group or topic was deleted, or its offsets. */
    void delete(SharePartitionKey key);

    /** Every partition's last state, as the store kept it: read once, at start. */
    Map<SharePartitionKey, ShareGroupState> replay();
}
