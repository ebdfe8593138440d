package toykafka.broker.group;

import toykafka.common.TopicId;

/**
 * What a consumer group needs to know of the broker's topics: a subscribed topic's id and partition count, or null
 * for a topic that does not exist (a member may subscribe to a topic before it is made).
 */
@FunctionalInterface
public interface TopicLookup {

    Topic topic(String name);

    /** A topic as an assignor needs it. */
    record Topic(TopicId id, int partitions) {
    }
}
