package toykafka.broker.group;

import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import toykafka.common.TopicPartition;

/**
 * Where the coordinator keeps committed offsets so they outlive the broker: in Kafka, the topic
 * {@code __consumer_offsets}, which the coordinator replays when it takes a group.
 */
public interface OffsetStore {

    /** Stores a group's commit; it is durable when this returns, and throws if it cannot be stored. */
    void write(String groupId, String memberId, int generation, Map<TopicPartition, Long> offsets);

    /**
     * As {@link #write(String, String, int, Map)}, with the string a client commits beside each offset; a store
     * that keeps no such strings stores the offsets alone.
     */
    default void write(String groupId, String memberId, int generation, Map<TopicPartition, Long> offsets,
                       Map<TopicPartition, String> metadata) {
        write(groupId, memberId, generation, offsets);
    }

    /** Removes the group's offsets for these partitions, durably. */
    void delete(String groupId, Collection<TopicPartition> partitions);

    /** Every group's committed offsets, as the stored commits and deletions leave them. */
    Map<String, SortedMap<TopicPartition, Long>> replay();

    /** The strings committed beside the offsets {@link #replay()} gives, where they are not "". */
    default Map<String, Map<TopicPartition, String>> replayMetadata() {
        return Map.of();
    }
}
