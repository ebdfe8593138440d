package toykafka.common;

import java.util.Collection;

/**
 * No such topic, or no such partition in it. Kafka uses one error for both, under this name; the
 * messages here say which it is and what there is instead.
 */
public class UnknownTopicOrPartitionException extends ApiException {

    public UnknownTopicOrPartitionException(String message) {
        super(Errors.UNKNOWN_TOPIC_OR_PARTITION, message);
    }

    public static UnknownTopicOrPartitionException unknownTopic(String name, Collection<String> topics) {
        String there = topics.isEmpty() ? "there are no topics yet" : "the topics are " + String.join(", ", topics);
        return new UnknownTopicOrPartitionException("there is no topic '" + name + "': " + there);
    }

    /** Writing to a topic that is not there, on a broker that does not create topics on first write. */
    public static UnknownTopicOrPartitionException unknownTopicForWrite(String name, Collection<String> topics) {
        return new UnknownTopicOrPartitionException(unknownTopic(name, topics).getMessage()
                + " (auto.create.topics.enable=false: create it first)");
    }

    public static UnknownTopicOrPartitionException unknownPartition(String topic, int partition, int partitions) {
        return new UnknownTopicOrPartitionException("topic '" + topic + "' has no partition " + partition
                + ": its partitions are 0.." + (partitions - 1));
    }
}
