package toykafka.broker.group.base;

import java.util.List;

/**
 * Which topics the member that sent a heartbeat may DESCRIBE, as the front end's authorizer answers for its
 * principal: a regular expression's matches are filtered by it, as Kafka's {@code TopicRegexResolver} asks its
 * authorizer, so a subscription by pattern never hands a member a topic it could not name. The coordinator knows no
 * authorizer and no principal; it only asks this.
 */
@FunctionalInterface
public interface DescribableTopics {

    /** Every topic: a broker with no authorizer. */
    DescribableTopics ALL = topics -> topics;

    /** Those of {@code topics} the member may describe, in their order. */
    List<String> of(List<String> topics);
}
