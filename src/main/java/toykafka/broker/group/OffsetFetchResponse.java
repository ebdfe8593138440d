package toykafka.broker.group;

import java.util.Map;
import java.util.SortedMap;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * A group's committed offsets (Kafka's OffsetFetch response); a partition with none is left out.
 *
 * @param metadata the string committed with each offset, "" where none was
 */
public record OffsetFetchResponse(Errors error, SortedMap<TopicPartition, Long> offsets,
                                  Map<TopicPartition, String> metadata) {

    public OffsetFetchResponse(Errors error, SortedMap<TopicPartition, Long> offsets) {
        this(error, offsets, Map.of());
    }

    /** The metadata committed with this partition's offset, or "". */
    public String metadataOf(TopicPartition partition) {
        return metadata.getOrDefault(partition, "");
    }
}
