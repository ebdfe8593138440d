package toykafka.broker.group.streams;

import java.util.function.Predicate;

/**
 * How the coordinator has the broker make a streams group's internal topics, its repartition and changelog topics,
 * as Kafka's broker makes them when a heartbeat finds them missing. The making may fail (a name taken, no room): the
 * member is then told MISSING_INTERNAL_TOPICS again at its next heartbeat, and it is tried again.
 */
@FunctionalInterface
public interface InternalTopicMaker {

    /** Makes the topic, or says why not (null if made, or made by someone else meanwhile). */
    String make(ConfiguredTopology.InternalTopic topic);

    /** A broker that makes none: the members wait with MISSING_INTERNAL_TOPICS. */
    InternalTopicMaker NONE = topic -> "this coordinator makes no topics";

    /** Why a topic the heartbeat's principal may not CREATE was not made. */
    String UNAUTHORIZED = "Unauthorized to CREATE";

    /**
     * This maker for one heartbeat: a topic whose name {@code mayCreate} refuses is not made ({@link #UNAUTHORIZED}),
     * as Kafka's handler creates only the topics its principal may CREATE.
     */
    default InternalTopicMaker onlyWhere(Predicate<String> mayCreate) {
        return topic -> mayCreate.test(topic.name()) ? make(topic) : UNAUTHORIZED;
    }
}
