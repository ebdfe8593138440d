package toykafka.exercises.lesson04;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import toykafka.lesson01.EventLog;
import toykafka.lesson01.ListLog;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.InvalidPartitionsException;
import toykafka.lesson04.InvalidTopicException;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.Record;
import toykafka.lesson04.RecordMetadata;
import toykafka.lesson04.RecordTooLargeException;
import toykafka.lesson04.TopicConfig;
import toykafka.lesson04.TopicDescription;
import toykafka.lesson04.TopicExistsException;
import toykafka.lesson04.TopicPartition;
import toykafka.lesson04.Topics;
import toykafka.lesson04.UnknownTopicOrPartitionException;

/** A learner's finished lesson 4 exercise, written from the lesson's text and hints. */
public class MyTopics implements Topics {

    /** One topic: a log per partition and the config keys set on it. */
    private static final class Topic {
        final List<ListLog<Record>> partitions = new ArrayList<>();
        Map<String, String> overrides = new HashMap<>();
    }

    private final BrokerSettings settings;
    private final Clock clock;
    private final TreeMap<String, Topic> topics = new TreeMap<>();

    public MyTopics(BrokerSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String createTopic(String name, int partitions, OnDuplicate onDuplicate) {
        checkName(name);
        if (partitions < 1) {
            throw InvalidPartitionsException.notPositive(name, partitions);
        }
        String chosen = name;
        if (topics.containsKey(name)) {
            if (onDuplicate == OnDuplicate.FAIL) {
                throw TopicExistsException.of(name);
            }
            int n = 0;
            while (topics.containsKey(name + "__" + n)) {
                n++;
            }
            chosen = name + "__" + n;
        }
        Topic topic = new Topic();
        for (int i = 0; i < partitions; i++) {
            topic.partitions.add(new ListLog<>());
        }
        topics.put(chosen, topic);
        return chosen;
    }

    private static void checkName(String name) {
        if (name == null) {
            throw InvalidTopicException.missing();
        }
        if (name.isEmpty()) {
            throw InvalidTopicException.empty();
        }
        if (name.equals(".") || name.equals("..")) {
            throw InvalidTopicException.dots(name);
        }
        if (name.length() > 249) {
            throw InvalidTopicException.tooLong(name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                throw InvalidTopicException.illegalCharacter(name, i);
            }
        }
    }

    @Override
    public List<String> listTopics() {
        return List.copyOf(topics.keySet());
    }

    @Override
    public TopicDescription describeTopic(String name) {
        Topic topic = existing(name);
        return TopicDescription.of(name, topic.partitions.size(), topic.overrides);
    }

    @Override
    public void replaceConfig(String name, Map<String, String> config) {
        Topic topic = existing(name);
        TopicConfig.validate(config);
        topic.overrides = new HashMap<>(config);
    }

    @Override
    public void patchConfig(String name, Map<String, String> changes) {
        Topic topic = existing(name);
        TopicConfig.validate(changes);
        topic.overrides.putAll(changes);
    }

    @Override
    public void deleteTopic(String name) {
        existing(name);
        topics.remove(name);
    }

    @Override
    public int partitionsFor(String name) {
        return forWriting(name).partitions.size();
    }

    @Override
    public RecordMetadata append(String name, int partition, Record record) {
        Topic topic = forWriting(name);
        checkPartition(name, topic, partition);
        Map<String, String> config = TopicConfig.effective(topic.overrides);
        int limit = Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES));
        if (record.sizeInBytes() > limit) {
            throw RecordTooLargeException.of(name, record.sizeInBytes(), limit);
        }
        Record stored = TopicConfig.LOG_APPEND_TIME.equals(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE))
                ? record.withTimestamp(clock.instant()) : record;
        long offset = topic.partitions.get(partition).append(stored);
        return new RecordMetadata(new TopicPartition(name, partition), offset, stored.timestamp());
    }

    @Override
    public EventLog<Record> log(String name, int partition) {
        Topic topic = existing(name);
        checkPartition(name, topic, partition);
        return topic.partitions.get(partition);
    }

    private Topic existing(String name) {
        Topic topic = topics.get(name);
        if (topic == null) {
            throw UnknownTopicOrPartitionException.unknownTopic(name, listTopics());
        }
        return topic;
    }

    /** A write to a topic nobody created: create it if the broker is told to, refuse it if not. */
    private Topic forWriting(String name) {
        if (!topics.containsKey(name)) {
            if (!settings.autoCreateTopicsEnable()) {
                throw UnknownTopicOrPartitionException.unknownTopicForWrite(name, listTopics());
            }
            createTopic(name, settings.numPartitions(), OnDuplicate.FAIL);
        }
        return topics.get(name);
    }

    private static void checkPartition(String name, Topic topic, int partition) {
        if (partition < 0 || partition >= topic.partitions.size()) {
            throw UnknownTopicOrPartitionException.unknownPartition(name, partition, topic.partitions.size());
        }
    }
}
