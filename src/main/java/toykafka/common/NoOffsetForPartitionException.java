package toykafka.common;


/** A group with no committed offset for a partition, told not to guess (auto.offset.reset=none). Kafka's name. */
public class NoOffsetForPartitionException extends ApiException {

    public NoOffsetForPartitionException(String message) {
        super(Errors.OFFSET_OUT_OF_RANGE, message);
    }

    public static NoOffsetForPartitionException of(String groupId, TopicPartition partition) {
        return new NoOffsetForPartitionException("group '" + groupId + "' has no committed offset for " + partition
                + " and auto.offset.reset=none: commit the offset to start from first");
    }
}
