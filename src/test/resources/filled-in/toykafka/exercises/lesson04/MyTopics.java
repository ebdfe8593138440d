package toykafka.exercises.lesson04;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.OnDuplicate;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.RecordMetadata;
import toykafka.lesson04.TopicDescription;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson04.Topics;

/** A finished lesson 4 exercise that hands every call to the reference registry: it proves the check's wiring. */
public class MyTopics implements Topics {

    private final Topics registry;

    public MyTopics(BrokerSettings settings, Clock clock) {
        registry = new TopicRegistry(settings, clock);
    }

    @Override
    public String createTopic(String name, int partitions, OnDuplicate onDuplicate) {
        return registry.createTopic(name, partitions, onDuplicate);
    }

    @Override
    public List<String> listTopics() {
        return registry.listTopics();
    }

    @Override
    public TopicDescription describeTopic(String name) {
        return registry.describeTopic(name);
    }

    @Override
    public void replaceConfig(String topic, Map<String, String> config) {
        registry.replaceConfig(topic, config);
    }

    @Override
    public void patchConfig(String topic, Map<String, String> changes) {
        registry.patchConfig(topic, changes);
    }

    @Override
    public void deleteTopic(String name) {
        registry.deleteTopic(name);
    }

    @Override
    public int partitionsFor(String topic) {
        return registry.partitionsFor(topic);
    }

    @Override
    public RecordMetadata appendAll(String topic, int partition, List<Record> records) {
        return registry.appendAll(topic, partition, records);
    }

    @Override
    public RecordLog log(String topic, int partition) {
        return registry.log(topic, partition);
    }
}
