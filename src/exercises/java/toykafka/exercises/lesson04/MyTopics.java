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
import toykafka.lesson04.Topics;

/**
 * Exercise for lesson 4: write the topics yourself.
 * Check your work with {@code ./toykafka check 4}; ask for help with {@code ./toykafka hint 4}.
 * Read the lesson with its code in place: {@code ./toykafka read 4} (add a section's name for one section).
 * The exceptions (InvalidTopicException, TopicExistsException, ...) have factories that write the messages,
 * and TopicConfig knows every config key, its default and what it accepts: use them. Each partition is a
 * RecordLog; MemoryLog is one, and it applies the topic's rules (max.message.bytes) when you append.
 */
public class MyTopics implements Topics {

    public MyTopics(BrokerSettings settings, Clock clock) {
        throw new UnsupportedOperationException("the constructor is yours to write: keep the settings and the clock,"
                + " and start with no topics; see section \"Partitions are logs\" (./toykafka read 4 partitions)");
    }

    @Override
    public String createTopic(String name, int partitions, OnDuplicate onDuplicate) {
        throw new UnsupportedOperationException("createTopic() is yours to write: see"
                + " sections \"A topic's name\" and \"One name, one topic\" (./toykafka read 4 names)");
    }

    @Override
    public List<String> listTopics() {
        throw new UnsupportedOperationException("listTopics() is yours to write: see"
                + " section \"Partitions are logs\" (./toykafka read 4 partitions)");
    }

    @Override
    public TopicDescription describeTopic(String name) {
        throw new UnsupportedOperationException("describeTopic() is yours to write: see"
                + " section \"Config: replace or patch\" (./toykafka read 4 config)");
    }

    @Override
    public void replaceConfig(String topic, Map<String, String> config) {
        throw new UnsupportedOperationException("replaceConfig() is yours to write: see"
                + " section \"Config: replace or patch\" (./toykafka read 4 config)");
    }

    @Override
    public void patchConfig(String topic, Map<String, String> changes) {
        throw new UnsupportedOperationException("patchConfig() is yours to write: see"
                + " section \"Config: replace or patch\" (./toykafka read 4 config)");
    }

    @Override
    public void deleteTopic(String name) {
        throw new UnsupportedOperationException("deleteTopic() is yours to write: see"
                + " section \"Partitions are logs\" (./toykafka read 4 partitions)");
    }

    @Override
    public int partitionsFor(String topic) {
        throw new UnsupportedOperationException("partitionsFor() is yours to write: see"
                + " section \"Unknown topics: fail or create\" (./toykafka read 4 auto-create)");
    }

    @Override
    public RecordMetadata appendAll(String topic, int partition, List<Record> records) {
        throw new UnsupportedOperationException("appendAll() is yours to write: see"
                + " sections \"Partitions are logs\" and"
                + " \"Unknown topics: fail or create\" (./toykafka read 4 partitions)");
    }

    @Override
    public RecordLog log(String topic, int partition) {
        throw new UnsupportedOperationException("log() is yours to write: see"
                + " section \"Partitions are logs\" (./toykafka read 4 partitions)");
    }
}
