package toykafka.broker.group.base;

import java.util.Map;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/** What OffsetDelete answers: an error for the group, and one for each partition it named. */
public record OffsetDeleteResponse(Errors error, Map<TopicPartition, Errors> partitions) {
}
