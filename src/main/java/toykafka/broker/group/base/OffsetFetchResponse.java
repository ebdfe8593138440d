package toykafka.broker.group.base;

import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

/**
 * A group's committed offsets (Kafka's OffsetFetch response), each with its leader epoch and metadata; a partition
 * with none is left out.
 */
public record OffsetFetchResponse(Errors error, SortedMap<TopicPartition, OffsetAndMetadata> committed) {

    public OffsetFetchResponse {
        committed = new TreeMap<>(committed);
    }

    /** An answer with no offsets: a group refused, or one with nothing committed. */
    public static OffsetFetchResponse none(Errors error) {
        return new OffsetFetchResponse(error, new TreeMap<>());
    }

    /** The offsets alone. */
    public SortedMap<TopicPartition, Long> offsets() {
        return OffsetAndMetadata.offsets(committed);
    }

    /** The metadata committed with this partition's offset, or "". */
    public String metadataOf(TopicPartition partition) {
        OffsetAndMetadata value = committed.get(partition);
        return value == null ? "" : value.metadata();
    }

    /** The leader epoch committed with this partition's offset, or -1. */
    public int leaderEpochOf(TopicPartition partition) {
        OffsetAndMetadata value = committed.get(partition);
        return value == null ? OffsetAndMetadata.NO_LEADER_EPOCH : value.leaderEpoch();
    }
}
