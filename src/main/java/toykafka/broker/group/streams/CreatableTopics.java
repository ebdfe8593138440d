package toykafka.broker.group.streams;

import java.util.List;

/**
 * Which internal topics the member that sent a streams heartbeat may not have made, as the front end's authorizer
 * answers for its principal: Kafka makes a group's missing internal topics only for a principal with CREATE on the
 * cluster or on each of them, and otherwise tells the member so in its MISSING_INTERNAL_TOPICS status. The
 * coordinator knows no authorizer; it only asks this.
 */
@FunctionalInterface
public interface CreatableTopics {

    /** A broker with no authorizer: every topic may be made. */
    CreatableTopics ALL = topics -> List.of();

    /** Those of {@code topics} the member may not create, in their order; none if it may create them all. */
    List<String> refused(List<String> topics);
}
