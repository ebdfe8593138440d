package toykafka.common;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a group commits for one partition, as Kafka keeps it ({@code OffsetAndMetadata}): the next offset to read,
 * the leader epoch of the last record the client consumed (-1 for none given), and a string the client keeps
 * beside them ("" for none). The client gets the epoch back with the offset and uses it to find out whether the
 * log was truncated under it.
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata) {

    /** No leader epoch: the committer gave none (Kafka's {@code RecordBatch.NO_PARTITION_LEADER_EPOCH}). */
    public static final int NO_LEADER_EPOCH = -1;

    public OffsetAndMetadata {
        leaderEpoch = leaderEpoch < 0 ? NO_LEADER_EPOCH : leaderEpoch; // any negative is none, as Kafka reads it
        metadata = metadata == null ? "" : metadata;
    }

    /** An offset with no epoch and no metadata. */
    public static OffsetAndMetadata of(long offset) {
        return new OffsetAndMetadata(offset, NO_LEADER_EPOCH, "");
    }

    /** Offsets alone, each with no epoch and no metadata, in partition order. */
    public static SortedMap<TopicPartition, OffsetAndMetadata> of(Map<TopicPartition, Long> offsets) {
        SortedMap<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>();
        offsets.forEach((partition, offset) -> committed.put(partition, of(offset)));
        return committed;
    }

    /** The offsets alone, in partition order. */
    public static SortedMap<TopicPartition, Long> offsets(Map<TopicPartition, OffsetAndMetadata> committed) {
        SortedMap<TopicPartition, Long> offsets = new TreeMap<>();
        committed.forEach((partition, value) -> offsets.put(partition, value.offset()));
        return offsets;
    }
}
