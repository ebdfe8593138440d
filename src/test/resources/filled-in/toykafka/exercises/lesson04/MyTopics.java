package toykafka.exercises.lesson04;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.InvalidTopicException;
import toykafka.common.MemoryLog;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.RecordMetadata;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.TopicDescription;
import toykafka.lesson04.Topics;

/** A learner's finished lesson 4 exercise, written from the lesson's text and hints. */
public class MyTopics implements Topics {

    /** One topic: a log per partition and its config. */
    private static final class Topic {
        final List<RecordLog> partitions = new ArrayList<>();
        TopicConfig config = TopicConfig.defaults();
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
        if (partitions < 1 || partitions > Topics.MAX_PARTITIONS) {
            throw InvalidPartitionsException.outOfRange(name, partitions, Topics.MAX_PARTITIONS);
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
        checkNoCollision(chosen);
        Topic topic = new Topic();
        for (int i = 0; i < partitions; i++) {
            topic.partitions.add(new MemoryLog(topic.config));
        }
        topics.put(chosen, topic);
        return chosen;
    }

    /** Kafka's metrics write '.' as '_', so two names that differ only there would be counted as one. */
    private void checkNoCollision(String name) {
        String normalised = name.replace('.', '_');
        for (String existing : topics.keySet()) {
            if (existing.replace('.', '_').equals(normalised)) {
                throw InvalidTopicException.collides(name, existing);
            }
        }
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
        return TopicDescription.of(name, topic.partitions.size(), topic.config);
    }

    @Override
    public void replaceConfig(String name, Map<String, String> config) {
        Topic topic = existing(name);
        use(topic, TopicConfig.of(config));
    }

    @Override
    public void patchConfig(String name, Map<String, String> changes) {
        Topic topic = existing(name);
        use(topic, topic.config.patched(changes));
    }

    private static void use(Topic topic, TopicConfig config) {
        topic.config = config;
        topic.partitions.forEach(log -> log.reconfigure(config));
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
    public RecordMetadata appendAll(String name, int partition, List<Record> records) {
        Topic topic = forWriting(name);
        checkPartition(name, topic, partition);
        List<Record> stored = records;
        if (topic.config.logAppendTime()) {
            Instant now = clock.instant();
            stored = records.stream().map(record -> record.withTimestamp(now)).toList();
        }
        long offset = topic.partitions.get(partition).appendAll(stored);
        return new RecordMetadata(new TopicPartition(name, partition), offset, stored.get(0).timestamp());
    }

    @Override
    public RecordLog log(String name, int partition) {
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
