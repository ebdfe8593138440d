package toykafka.broker.share;

import toykafka.common.TopicId;

/**
 * Which share partition a record of {@code __share_group_state} is about (Kafka's {@code SharePartitionKey}): the
 * share group, the topic by id, and the partition.
 */
public record SharePartitionKey(String groupId, TopicId topicId, int partition) {

    public SharePartitionKey {
        if (groupId == null || topicId == null) {
            throw new IllegalArgumentException("A share partition key needs a group id and a topic id");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("The partition id cannot be a negative number: " + partition);
        }
    }
}
