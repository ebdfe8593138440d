package toykafka.broker.coordinators;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import toykafka.broker.share.PersistedShareState;
import toykafka.broker.share.ShareGroupStateRecord;
import toykafka.broker.share.SharePartitionKey;
import toykafka.broker.share.ShareStateStore;
import toykafka.broker.share.ShareStateValue;
import toykafka.broker.share.ShareStateWriter;
import toykafka.broker.share.partition.ShareGroupState;
import toykafka.common.RecordBatch;
import toykafka.lesson04.TopicRegistry;

// tag::share-state-topic[]
/**
 * The share coordinator's store (Kafka's {@code ShareCoordinatorShard} behind its {@code DefaultStatePersister}):
 * {@code __share_group_state}, a compacted topic of the broker's own, written through the coordinators' one
 * {@link PartitionWriter} and fsynced before the write returns. Each write is a ShareSnapshot or a ShareUpdate in
 * Kafka 4.4's layout, as {@link ShareStateWriter} decides from what the partition's records add up to so far, which
 * the store keeps beside the topic as Kafka's coordinator does. As in Kafka, the topic is made at the first write.
 */
public final class ShareStateTopic implements ShareStateStore {
    // end::share-state-topic[]

    private final CoordinatorStateTopic topic;
    private final Clock clock;
    private final ShareStateWriter decide = new ShareStateWriter(PersistedShareState.DEFAULT_UPDATES_PER_SNAPSHOT);
    /** What each partition's records add up to: what the next write is decided against. */
    private final Map<SharePartitionKey, PersistedShareState> written = new HashMap<>();

    public ShareStateTopic(TopicRegistry topics, PartitionWriter writer, Clock clock, int segmentBytes) {
        this.topic = new CoordinatorStateTopic(InternalTopics.SHARE_STATE, "share state", topics, writer, clock,
                segmentBytes);
        this.clock = clock;
    }

    @Override
    public synchronized void write(SharePartitionKey key, ShareGroupState state) {
        PersistedShareState before = written.get(key);
        if (before != null && before.shareGroupState().equals(state)) {
            return; // nothing changed since the last write
        }
        ShareStateValue value = decide.next(state, before, RecordBatch.FIRST_LEADER_EPOCH, clock.millis());
        append(new ShareGroupStateRecord(key, value));
        written.put(key, PersistedShareState.replay(before, value, decide.updatesPerSnapshot()));
    }

    @Override
    public synchronized void delete(SharePartitionKey key) {
        if (written.remove(key) != null) {
            append(ShareGroupStateRecord.tombstone(key));
        }
    }

    private void append(ShareGroupStateRecord record) {
        topic.append(ShareGroupStateRecords.key(record), ShareGroupStateRecords.value(record));
    }

    // tag::share-state-replay[]
    /** Each share partition's records from the topic's start, added up as Kafka's share coordinator replays them. */
    @Override
    public synchronized Map<SharePartitionKey, ShareGroupState> replay() {
        written.clear();
        topic.replay(read -> {
            ShareGroupStateRecord record = ShareGroupStateRecords.decode(read.key(), read.value());
            PersistedShareState state = PersistedShareState.replay(written.get(record.key()), record.value(),
                    decide.updatesPerSnapshot());
            if (state == null) {
                written.remove(record.key());
            } else {
                written.put(record.key(), state);
            }
        });
        Map<SharePartitionKey, ShareGroupState> states = new LinkedHashMap<>();
        written.forEach((key, state) -> states.put(key, state.shareGroupState()));
        return states;
    }
    // end::share-state-replay[]
}
