package toykafka.broker.coordinators;

import java.util.List;
import toykafka.broker.group.base.TopicLookup;
import toykafka.common.ApiException;
import toykafka.lesson04.TopicRegistry;

/**
 * The broker's topics as a consumer group's assignor sees them: a subscribed topic's id and partition count, or null
 * for a topic that does not exist (yet), or a name no topic can have.
 */
public final class GroupTopics implements TopicLookup {

    private final TopicRegistry topics;

    public GroupTopics(TopicRegistry topics) {
        this.topics = topics;
    }

    /** Every topic's name, the broker's own among them: Kafka matches a regular expression against those too. */
    @Override
    public List<String> names() {
        return topics.listTopics();
    }

    @Override
    public long version() {
        return topics.changes();
    }

    @Override
    public Topic topic(String name) {
        try {
            return new Topic(topics.topicId(name), topics.partitionCount(name));
        } catch (ApiException | IllegalArgumentException unknownOrDeletedMeanwhile) {
            return null;
        }
    }
}
