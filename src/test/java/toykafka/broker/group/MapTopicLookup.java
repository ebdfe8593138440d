package toykafka.broker.group;

import java.util.List;
import java.util.Map;
import toykafka.broker.group.base.TopicLookup;

/** The broker's topics as a map the test changes as it goes: a topic by its name, and every name in order. */
public final class MapTopicLookup implements TopicLookup {

    private final Map<String, Topic> topics;

    public MapTopicLookup(Map<String, Topic> topics) {
        this.topics = topics;
    }

    @Override
    public Topic topic(String name) {
        return topics.get(name);
    }

    @Override
    public List<String> names() {
        return topics.keySet().stream().sorted().toList();
    }
}
