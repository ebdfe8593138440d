package toykafka.lesson04;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.InvalidTopicException;
import toykafka.common.Record;
import toykafka.common.RecordMetadata;
import toykafka.common.RecordTooLargeException;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * The reference topics: a sorted map from name to topic, where a topic is a list of lesson 1's logs and
 * the config its creator overrode. This is what a single Kafka broker keeps, minus the disks.
 */
public final class TopicRegistry implements Topics {

    /** One topic: its partitions, each an ordinary log, and the config keys set on it. */
    private static final class Topic {
        final List<EventLog<Record>> partitions = new ArrayList<>();
        SortedMap<String, String> overrides = new TreeMap<>();

        Topic(int partitionCount) {
            addPartitions(partitionCount);
        }

        void addPartitions(int count) {
            for (int i = 0; i < count; i++) {
                partitions.add(new ListLog<>());
            }
        }
    }

    private final SortedMap<String, Topic> topics = new TreeMap<>();
    private final BrokerSettings settings;
    private final Clock clock;

    /** @param clock the broker's clock, which stamps records on topics with message.timestamp.type=LogAppendTime */
    public TopicRegistry(BrokerSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // tag::name-rule[]
    /** Kafka's rule: 1 to 249 characters from [a-zA-Z0-9._-], and never "." or "..". */
    public static String validateName(String name) {
        if (name == null) {
            throw InvalidTopicException.missing();
        }
        if (name.isEmpty()) {
            throw InvalidTopicException.empty();
        }
        if (name.equals(".") || name.equals("..")) {
            throw InvalidTopicException.dots(name);
        }
        if (name.length() > InvalidTopicException.MAX_NAME_LENGTH) {
            throw InvalidTopicException.tooLong(name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                throw InvalidTopicException.illegalCharacter(name, i);
            }
        }
        return name;
    }
    // end::name-rule[]

    // tag::create[]
    @Override
    public synchronized String createTopic(String name, int partitions, OnDuplicate onDuplicate) {
        Objects.requireNonNull(onDuplicate, "onDuplicate is null: pass OnDuplicate.FAIL to refuse a name that is"
                + " taken, as Kafka does, or OnDuplicate.RENAME to create it as name__N");
        validateName(name);
        if (partitions < 1) {
            throw InvalidPartitionsException.notPositive(name, partitions);
        }
        String chosen = name;
        if (topics.containsKey(name)) {
            if (onDuplicate == OnDuplicate.FAIL) {
                throw TopicExistsException.of(name);
            }
            // Katar's way: the first free name__N. It must obey the name rule too.
            int suffix = 0;
            while (topics.containsKey(name + "__" + suffix)) {
                suffix++;
            }
            chosen = validateName(name + "__" + suffix);
        }
        topics.put(chosen, new Topic(partitions));
        return chosen;
    }
    // end::create[]

    @Override
    public synchronized List<String> listTopics() {
        return List.copyOf(topics.keySet());
    }

    @Override
    public synchronized TopicDescription describeTopic(String name) {
        Topic topic = topic(name);
        return TopicDescription.of(name, topic.partitions.size(), topic.overrides);
    }

    // tag::config[]
    @Override
    public synchronized void replaceConfig(String name, Map<String, String> config) {
        Topic topic = topic(name);
        TopicConfig.validate(config);
        topic.overrides = new TreeMap<>(config); // what is not given is no longer overridden
    }

    @Override
    public synchronized void patchConfig(String name, Map<String, String> changes) {
        Topic topic = topic(name);
        TopicConfig.validate(changes);
        topic.overrides.putAll(changes); // what is not given keeps its value
    }
    // end::config[]

    @Override
    public synchronized void deleteTopic(String name) {
        topic(name);
        topics.remove(name);
    }

    /**
     * Adds partitions to a topic, as Kafka's Admin.createPartitions() does. Existing partitions keep their
     * records; new keys may hash to new partitions, so a key's old records and new ones can part company.
     */
    public synchronized void increasePartitions(String name, int totalPartitions) {
        Topic topic = topic(name);
        if (totalPartitions <= topic.partitions.size()) {
            throw InvalidPartitionsException.notMore(name, topic.partitions.size(), totalPartitions);
        }
        topic.addPartitions(totalPartitions - topic.partitions.size());
    }

    // tag::write[]
    @Override
    public synchronized int partitionsFor(String name) {
        return topicForWrite(name).partitions.size();
    }

    @Override
    public synchronized RecordMetadata append(String name, int partition, Record record) {
        Objects.requireNonNull(record, "a record must not be null");
        Topic topic = topicForWrite(name);
        EventLog<Record> log = partition(name, topic, partition);
        SortedMap<String, String> config = TopicConfig.effective(topic.overrides);
        int limit = Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES));
        if (record.sizeInBytes() > limit) {
            throw RecordTooLargeException.of(name, record.sizeInBytes(), limit);
        }
        Record stored = TopicConfig.LOG_APPEND_TIME.equals(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE))
                ? record.withTimestamp(clock.instant())
                : record;
        long offset = log.append(stored);
        return new RecordMetadata(new TopicPartition(name, partition), offset, stored.timestamp());
    }

    /** The topic to write to: an existing one, or a new one if the broker creates topics on first write. */
    private Topic topicForWrite(String name) {
        Topic topic = topics.get(validateName(name));
        if (topic != null) {
            return topic;
        }
        if (!settings.autoCreateTopicsEnable()) {
            throw UnknownTopicOrPartitionException.unknownTopicForWrite(name, topics.keySet());
        }
        createTopic(name, settings.numPartitions(), OnDuplicate.FAIL);
        return topics.get(name);
    }
    // end::write[]

    /**
     * A read-only view of the partition's log, read under this registry's lock. Writing to the log itself
     * would skip the topic's config (max.message.bytes, message.timestamp.type), so the view refuses it.
     */
    @Override
    public synchronized EventLog<Record> log(String name, int partition) {
        EventLog<Record> log = partition(name, topic(name), partition);
        return new ReadOnlyPartition(new TopicPartition(name, partition), log);
    }

    /** One partition's log as readers see it: every read under the registry's lock, and no appends. */
    private final class ReadOnlyPartition implements EventLog<Record> {
        private final TopicPartition partition;
        private final EventLog<Record> log;

        ReadOnlyPartition(TopicPartition partition, EventLog<Record> log) {
            this.partition = partition;
            this.log = log;
        }

        @Override
        public long append(Record record) {
            throw new IllegalStateException("the log of " + partition + " is for reading: append through"
                    + " Topics.append(topic, partition, record), which applies the topic's config");
        }

        @Override
        public Record read(long offsetOrIndex) {
            synchronized (TopicRegistry.this) {
                return log.read(offsetOrIndex);
            }
        }

        @Override
        public long earliest() {
            synchronized (TopicRegistry.this) {
                return log.earliest();
            }
        }

        @Override
        public long endOffset() {
            synchronized (TopicRegistry.this) {
                return log.endOffset();
            }
        }

        @Override
        public String toString() {
            synchronized (TopicRegistry.this) {
                return partition + " " + log;
            }
        }
    }

    private Topic topic(String name) {
        if (name == null) {
            throw InvalidTopicException.missing();
        }
        Topic topic = topics.get(name);
        if (topic == null) {
            throw UnknownTopicOrPartitionException.unknownTopic(name, topics.keySet());
        }
        return topic;
    }

    private static EventLog<Record> partition(String name, Topic topic, int partition) {
        if (partition < 0 || partition >= topic.partitions.size()) {
            throw UnknownTopicOrPartitionException.unknownPartition(name, partition, topic.partitions.size());
        }
        return topic.partitions.get(partition);
    }

    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder("TopicRegistry[");
        topics.forEach((name, topic) -> {
            if (text.length() > "TopicRegistry[".length()) {
                text.append(", ");
            }
            text.append(name).append('=').append(topic.partitions.size());
        });
        return text.append("]").toString();
    }
}
