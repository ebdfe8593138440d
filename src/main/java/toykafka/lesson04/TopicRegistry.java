package toykafka.lesson04;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import toykafka.common.ForwardingRecordLog;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.InvalidTopicException;
import toykafka.common.LogStorage;
import toykafka.common.MemoryStorage;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.RecordMetadata;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicId;
import toykafka.common.TopicMetadata;
import toykafka.common.TopicName;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * The reference topics: a sorted map from name to topic, where a topic is a list of logs and its config.
 * The logs come from a {@link LogStorage}: in memory unless the registry is given a store on disk, which
 * also remembers every topic, so a restarted registry finds them all again. This is what a single Kafka
 * broker keeps.
 *
 * <p>Admin calls (create, configure, delete) take turns on one lock. Producers and consumers never take
 * it: they look their topic up in a concurrent map and go straight to the partition's log, which orders
 * its own appends, so a producer waiting for one partition's fsync holds up no other partition.
 */
public final class TopicRegistry implements Topics, AutoCloseable {

    /** One topic as it stands: replaced whole when its config or partitions change, never edited. */
    private record Topic(TopicMetadata metadata, List<RecordLog> partitions) {
        TopicConfig config() {
            return metadata.config();
        }
    }

    private final ConcurrentSkipListMap<String, Topic> topics = new ConcurrentSkipListMap<>();
    private final Object admin = new Object();
    private final BrokerSettings settings;
    private final Clock clock;
    private final LogStorage storage;
    /** Counts the changes to which topics there are and how many partitions each has; see {@link #changes()}. */
    private final AtomicLong changes = new AtomicLong();
    /** What every topic inherits where its config sets nothing: a broker's {@code log.*} settings. */
    private volatile Map<String, String> brokerDefaults; // changed only under admin

    /** Topics in memory. @param clock the broker's clock, which stamps records under LogAppendTime */
    public TopicRegistry(BrokerSettings settings, Clock clock) {
        this(settings, clock, new MemoryStorage());
    }

    /** Topics kept by {@code storage}, starting with every topic it already holds. */
    public TopicRegistry(BrokerSettings settings, Clock clock, LogStorage storage) {
        this(settings, clock, storage, Map.of());
    }

    /**
     * Topics kept by {@code storage}, each inheriting {@code brokerDefaults} (topic config keys and values)
     * where it sets nothing itself, as Kafka's topics inherit the broker's {@code log.*} settings. Only a
     * topic's own keys are stored, so a broker started with other defaults gives them to its old topics too.
     */
    public TopicRegistry(BrokerSettings settings, Clock clock, LogStorage storage, Map<String, String> brokerDefaults) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.brokerDefaults = Map.copyOf(brokerDefaults);
        TopicConfig.validate(this.brokerDefaults);
        try {
            openStored(storage.storedTopics().values());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Kafka's rule for a name, which {@link TopicName} keeps for every part of the broker. */
    public static String validateName(String name) {
        return TopicName.validate(name);
    }

    // tag::create[]
    @Override
    public String createTopic(String name, int partitions, OnDuplicate onDuplicate) {
        return createTopic(name, partitions, onDuplicate, TopicConfig.defaults());
    }

    /** Creates a topic with its config set from the start, as Kafka's CreateTopics request can. */
    public String createTopic(String name, int partitions, OnDuplicate onDuplicate, TopicConfig config) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(onDuplicate, "onDuplicate is null: pass OnDuplicate.FAIL to refuse a name that is"
                + " taken, as Kafka does, or OnDuplicate.RENAME to create it as name__N");
        validateName(name);
        checkPartitionCount(name, partitions);
        synchronized (admin) {
            String chosen = name;
            if (topics.containsKey(name)) {
                if (onDuplicate == OnDuplicate.FAIL) {
                    throw TopicExistsException.of(name);
                }
                // Katar's way: the first free name__N. It must obey the name rule too.
                int suffix = 0;
                while (topics.containsKey(name + "__" + suffix) || collision(name + "__" + suffix) != null) {
                    suffix++;
                }
                chosen = validateName(name + "__" + suffix);
            }
            String rival = collision(chosen);
            if (rival != null) {
                throw InvalidTopicException.collides(chosen, rival);
            }
            TopicMetadata metadata = new TopicMetadata(chosen, partitions, config.inheriting(brokerDefaults));
            topics.put(chosen, createAllOrNothing(metadata));
            changes.incrementAndGet();
            return chosen;
        }
    }

    /**
     * Saves the topic, opens every partition, then saves it again: on disk the first save marks it as being
     * created and the second commits it, so a restart finds it whole or not at all. A create that fails
     * part-way (a disk that is full, too many open files) deletes what it made before it throws.
     */
    private Topic createAllOrNothing(TopicMetadata metadata) {
        storage.saveTopic(metadata);
        try {
            Topic created = open(metadata, List.of());
            try {
                storage.saveTopic(metadata);
            } catch (RuntimeException e) {
                closeAfter(created.partitions(), e);
                throw e;
            }
            return created;
        } catch (RuntimeException e) {
            try {
                storage.deleteTopic(metadata);
            } catch (RuntimeException cleanUp) {
                e.addSuppressed(cleanUp); // the mark stays, and the next start removes the topic
            }
            throw e;
        }
    }

    /**
     * Refuses what {@link #createTopic} with {@link OnDuplicate#FAIL} would refuse, and creates nothing:
     * what Kafka's CreateTopics does with {@code validate_only}. A topic may still be created in between.
     */
    public void checkNewTopic(String name, int partitions) {
        validateName(name);
        checkPartitionCount(name, partitions);
        synchronized (admin) {
            if (topics.containsKey(name)) {
                throw TopicExistsException.of(name);
            }
            String rival = collision(name);
            if (rival != null) {
                throw InvalidTopicException.collides(name, rival);
            }
        }
    }

    private static void checkPartitionCount(String name, int partitions) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw InvalidPartitionsException.outOfRange(name, partitions, MAX_PARTITIONS);
        }
    }

    /**
     * The topic whose name differs only by '.' against '_', if any. Kafka refuses such pairs, because
     * both would have the same name in the metrics it reports, where '.' becomes '_'.
     */
    private String collision(String name) {
        String folded = name.replace('.', '_');
        for (String existing : topics.keySet()) {
            if (!existing.equals(name) && existing.replace('.', '_').equals(folded)) {
                return existing;
            }
        }
        return null;
    }
    // end::create[]

    @Override
    public List<String> listTopics() {
        return List.copyOf(topics.keySet());
    }

    @Override
    public TopicDescription describeTopic(String name) {
        TopicMetadata topic = topic(name).metadata();
        return TopicDescription.of(name, topic.partitions(), topic.config());
    }

    /** The id the topic was given when it was made. */
    public TopicId topicId(String name) {
        return topic(name).metadata().id();
    }

    // tag::config[]
    @Override
    public void replaceConfig(String name, Map<String, String> config) {
        synchronized (admin) {
            // what is not given is no longer overridden, and takes the broker's default again
            reconfigure(topic(name), TopicConfig.of(config).inheriting(brokerDefaults));
        }
    }

    @Override
    public void patchConfig(String name, Map<String, String> changes) {
        synchronized (admin) {
            Topic topic = topic(name);
            reconfigure(topic, topic.config().patched(changes)); // what is not given keeps its value
        }
    }

    /**
     * Gives every topic new broker defaults where it sets nothing itself: Kafka's dynamic {@code log.*}
     * settings, which reach topics that inherit them at once. Only the topics' own keys are stored, so none
     * is written.
     */
    public void changeBrokerDefaults(Map<String, String> defaults) {
        TopicConfig.validate(defaults);
        synchronized (admin) {
            brokerDefaults = Map.copyOf(defaults);
            for (Topic topic : List.copyOf(topics.values())) {
                TopicConfig config = topic.config().inheriting(brokerDefaults);
                topic.partitions().forEach(log -> log.reconfigure(config));
                topics.put(topic.metadata().name(), new Topic(topic.metadata().withConfig(config), topic.partitions()));
            }
        }
    }

    private void reconfigure(Topic topic, TopicConfig config) {
        TopicMetadata changed = topic.metadata().withConfig(config);
        storage.saveTopic(changed);
        topic.partitions().forEach(log -> log.reconfigure(config));
        topics.put(changed.name(), new Topic(changed, topic.partitions()));
    }
    // end::config[]

    @Override
    public void deleteTopic(String name) {
        synchronized (admin) {
            Topic topic = topic(name);
            topics.remove(name);
            changes.incrementAndGet();
            closeAll(topic.partitions());
            storage.deleteTopic(topic.metadata());
        }
    }

    /**
     * Refuses what {@link #increasePartitions} would refuse and adds nothing: an unknown topic, a count that
     * adds no partition, or one above {@link #MAX_PARTITIONS}. Returns the count now.
     */
    public int checkIncreasePartitions(String name, int totalPartitions) {
        synchronized (admin) {
            int current = topic(name).partitions().size();
            if (totalPartitions <= current) {
                throw InvalidPartitionsException.notMore(name, current, totalPartitions, MAX_PARTITIONS);
            }
            if (totalPartitions > MAX_PARTITIONS) {
                throw InvalidPartitionsException.outOfRange(name, totalPartitions, MAX_PARTITIONS);
            }
            return current;
        }
    }

    /**
     * Adds partitions to a topic, as Kafka's Admin.createPartitions() does. Existing partitions keep their
     * records; new keys may hash to new partitions, so a key's old records and new ones can part company.
     */
    public void increasePartitions(String name, int totalPartitions) {
        synchronized (admin) {
            Topic topic = topic(name);
            int current = checkIncreasePartitions(name, totalPartitions);
            TopicMetadata grown = topic.metadata().withPartitions(totalPartitions);
            Topic opened = open(grown, topic.partitions()); // a failure here closes the new logs, and keeps the old count
            try {
                storage.saveTopic(grown); // the commit: until now a restart finds the old count
            } catch (RuntimeException e) {
                closeAfter(opened.partitions().subList(current, totalPartitions), e);
                throw e;
            }
            topics.put(name, opened);
            changes.incrementAndGet();
        }
    }

    /**
     * How many times a topic was created or deleted, or gained partitions, since the registry opened: a reader that
     * remembers the count knows, by comparing, whether anything it looked up may have changed (Kafka's brokers compare
     * the offset of their metadata image the same way). Counted after each change is visible.
     */
    public long changes() {
        return changes.get();
    }

    // tag::write[]
    @Override
    public int partitionsFor(String name) {
        return topicForWrite(name).partitions().size();
    }

    /** The topic's partition count, for a caller that has checked the name and creates no topic. */
    public int partitionCount(String name) {
        return topic(name).partitions().size();
    }

    @Override
    public RecordMetadata appendAll(String name, int partition, List<Record> records) {
        Objects.requireNonNull(records, "records must not be null: send a list of 1 or more");
        records.forEach(record -> Objects.requireNonNull(record, "a record must not be null"));
        Topic topic = topicForWrite(name);
        RecordLog log = partition(topic, partition);
        List<Record> stored = records;
        if (topic.config().logAppendTime()) {
            Instant now = clock.instant(); // the broker's clock, not the producer's
            stored = records.stream().map(record -> record.withTimestamp(now)).toList();
        }
        long offset = log.appendAll(stored); // the log applies max.message.bytes and the other rules
        return new RecordMetadata(new TopicPartition(name, partition), offset, stored.get(0).timestamp());
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
        synchronized (admin) {
            if (!topics.containsKey(name)) { // another producer may have created it meanwhile
                createTopic(name, settings.numPartitions(), OnDuplicate.FAIL);
            }
            return topic(name);
        }
    }
    // end::write[]

    /**
     * A read-only view of the partition's log. Writing to the log itself would skip the topic's config
     * (message.timestamp.type), so the view refuses it.
     */
    @Override
    public RecordLog log(String name, int partition) {
        RecordLog log = partition(topic(name), partition); // checks the number before it names a partition
        return new ReadOnlyPartition(new TopicPartition(name, partition), log);
    }

    /** Closes every partition's log, and the storage. */
    @Override
    public void close() {
        synchronized (admin) {
            List<RecordLog> logs = topics.values().stream().flatMap(topic -> topic.partitions().stream()).toList();
            topics.clear();
            try {
                closeAll(logs);
            } finally {
                storage.close();
            }
        }
    }

    /** Where the topics' data is: "memory", or a data directory. */
    public String location() {
        return storage.location();
    }

    /** One partition's log as readers see it: every read passes through, and nothing is written. */
    private static final class ReadOnlyPartition extends ForwardingRecordLog {
        private final TopicPartition partition;

        ReadOnlyPartition(TopicPartition partition, RecordLog log) {
            super(log);
            this.partition = partition;
        }

        @Override
        public long appendAll(List<Record> records) {
            throw new IllegalStateException("the log of " + partition + " is for reading: append through"
                    + " Topics.append(topic, partition, record), which applies the topic's config");
        }

        @Override
        public void reconfigure(TopicConfig config) {
            throw new IllegalStateException("the log of " + partition + " is for reading: change its config"
                    + " through Topics.patchConfig or Topics.replaceConfig");
        }

        @Override
        public void close() {
            // the registry owns the log and closes it
        }

        @Override
        public String toString() {
            return partition + " " + delegate();
        }
    }

    /** The topic with its logs: those it already has, and new ones opened up to its partition count. */
    private Topic open(TopicMetadata metadata, List<RecordLog> existing) {
        List<RecordLog> logs = new ArrayList<>(existing);
        logs.addAll(storage.openLogs(partitionsOf(metadata, existing.size()), Map.of(metadata.name(), metadata.config())));
        return new Topic(metadata, List.copyOf(logs)); // a topic that does not open leaves nothing open: see openLogs
    }

    /** Every stored topic's logs, opened at once: a store on disk opens many together, whatever the topics. */
    private void openStored(Collection<TopicMetadata> stored) {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, TopicConfig> configs = new HashMap<>();
        List<TopicMetadata> inheriting = stored.stream().map(metadata -> metadata.withConfig(metadata.config()
                .inheriting(brokerDefaults))).toList();
        for (TopicMetadata metadata : inheriting) {
            partitions.addAll(partitionsOf(metadata, 0));
            configs.put(metadata.name(), metadata.config());
        }
        List<RecordLog> logs = storage.openLogs(partitions, configs);
        int next = 0;
        for (TopicMetadata metadata : inheriting) {
            topics.put(metadata.name(), new Topic(metadata, List.copyOf(logs.subList(next, next + metadata.partitions()))));
            next += metadata.partitions();
        }
    }

    private static List<TopicPartition> partitionsOf(TopicMetadata metadata, int from) {
        return IntStream.range(from, metadata.partitions()).mapToObj(p -> new TopicPartition(metadata.name(), p))
                .toList();
    }

    /** Closes the logs after {@code failure}, to which a failure to close is added. */
    private void closeAfter(List<RecordLog> logs, RuntimeException failure) {
        try {
            closeAll(logs);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void closeAll(List<RecordLog> logs) {
        storage.closeLogs(logs);
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

    private static RecordLog partition(Topic topic, int partition) {
        int count = topic.partitions().size();
        if (partition < 0 || partition >= count) {
            throw UnknownTopicOrPartitionException.unknownPartition(topic.metadata().name(), partition, count);
        }
        return topic.partitions().get(partition);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TopicRegistry[");
        topics.forEach((name, topic) -> {
            if (text.length() > "TopicRegistry[".length()) {
                text.append(", ");
            }
            text.append(name).append('=').append(topic.partitions().size());
        });
        return text.append("]").toString();
    }
}
