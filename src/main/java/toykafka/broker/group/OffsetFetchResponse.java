package toykafka.broker.group;

import java.util.SortedMap;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/** A group's committed offsets (Kafka's OffsetFetch response); a partition with none is left out. */
public record OffsetFetchResponse(Errors error, SortedMap<TopicPartition, Long> offsets) {
}
