package toykafka.broker.group.base;

import java.util.List;
import toykafka.common.TopicId;

/**
 * What a consumer group needs to know of the broker's topics: a subscribed topic's id and partition count, or null
 * for a topic that does not exist (a member may subscribe to a topic before it is made); and every topic's name, which
 * a member's regular expression is matched against.
 */
@FunctionalInterface
public interface TopicLookup {

    Topic topic(String name);

    /** Every topic's name; none, for a lookup that only finds topics by name. */
    default List<String> names() {
        return List.of();
    }

    /**
     * A number that changes whenever a topic is made or deleted or gains partitions, read before the lookups it
     * covers; -1 for a lookup that cannot tell, whose answers are looked up again every time.
     */
    default long version() {
        return -1;
    }

    /** A topic as an assignor needs it. */
    record Topic(TopicId id, int partitions) {
    }
}
