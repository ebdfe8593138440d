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
 * The exceptions (InvalidTopicException, TopicExistsException, ...) have factories that write the messages,
 * and TopicConfig knows every config key, its default and what it accepts: use them. Each partition is a
 * RecordLog; MemoryLog is one, and it applies the topic's rules (max.message.bytes) when you append.
 */
public class MyTopics implements Topics {

    public MyTopics(BrokerSettings settings, Clock clock) {
        throw new UnsupportedOperationException("the constructor is yours to write: keep the settings and the clock,"
                + " and start with no topics; see lessons/04-topics-and-partitions.adoc, section \"Partitions are logs\"");
    }

    @Override
    public String createTopic(String name, int partitions, OnDuplicate onDuplicate) {
        throw new UnsupportedOperationException("createTopic() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, sections \"A topic's name\" and \"One name, one topic\"");
    }

    @Override
    public List<String> listTopics() {
        throw new UnsupportedOperationException("listTopics() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, section \"Partitions are logs\"");
    }

    @Override
    public TopicDescription describeTopic(String name) {
        throw new UnsupportedOperationException("describeTopic() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, section \"Config: replace or patch\"");
    }

    @Override
    public void replaceConfig(String topic, Map<String, String> config) {
        throw new UnsupportedOperationException("replaceConfig() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, section \"Config: replace or patch\"");
    }

    @Override
    public void patchConfig(String topic, Map<String, String> changes) {
        throw new UnsupportedOperationException("patchConfig() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, section \"Config: replace or patch\"");
    }

    @Override
    public void deleteTopic(String name) {
        throw new UnsupportedOperationException("deleteTopic() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, section \"Partitions are logs\"");
    }

    @Override
    public int partitionsFor(String topic) {
        throw new UnsupportedOperationException("partitionsFor() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, section \"Unknown topics: fail or create\"");
    }

    @Override
    public RecordMetadata appendAll(String topic, int partition, List<Record> records) {
        throw new UnsupportedOperationException("appendAll() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, sections \"Partitions are logs\" and"
                + " \"Unknown topics: fail or create\"");
    }

    @Override
    public RecordLog log(String topic, int partition) {
        throw new UnsupportedOperationException("log() is yours to write: see"
                + " lessons/04-topics-and-partitions.adoc, section \"Partitions are logs\"");
    }
}
