package toykafka.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import toykafka.broker.coordinators.InternalTopics;
import toykafka.common.ApiException;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicId;
import toykafka.common.TopicName;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.TopicRegistry;

/**
 * The broker's topic administration: creating topics, adding partitions and changing topic configs, each checked
 * whole before anything changes (Kafka's controller does this in {@code ReplicationControlManager} and
 * {@code ConfigurationControlManager}). One create or increase at a time, since a file descriptor budget checked is
 * a budget spent; one config change at a time, since each reads, changes and writes a topic's whole set.
 */
final class TopicAdmin {

    private final TopicRegistry topics;
    private final DescriptorBudget descriptors;
    private final DelayedFetches delayedFetches;
    private final int numPartitions;
    private final Supplier<Map<String, String>> topicDefaults;
    private final Object admin = new Object();
    private final Object configChanges = new Object();
    private volatile TopicNamesById namesById = TopicNamesById.NONE;

    /**
     * @param numPartitions the partitions of a topic created without a count (num.partitions)
     * @param topicDefaults the broker's log.* settings in force, as topic configs a new topic inherits
     */
    TopicAdmin(TopicRegistry topics, DescriptorBudget descriptors, DelayedFetches delayedFetches, int numPartitions,
               Supplier<Map<String, String>> topicDefaults) {
        this.topics = topics;
        this.descriptors = descriptors;
        this.delayedFetches = delayedFetches;
        this.numPartitions = numPartitions;
        this.topicDefaults = topicDefaults;
    }

    /**
     * Creates a topic with {@code partitions} partitions (null for num.partitions) and these config keys
     * set on top of the broker's defaults; every key is checked before anything is created.
     */
    String createTopic(String name, Integer partitions, Map<String, String> configs, OnDuplicate onDuplicate) {
        TopicName.validateNew(name); // every client's create comes here; the broker's own topics do not
        refuseOwnName(name); // before a rename could make one's twin
        TopicConfig topicConfig = newTopicConfig(configs);
        int count = partitions == null ? numPartitions : partitions;
        synchronized (admin) {
            if (onDuplicate == OnDuplicate.FAIL) {
                checkNameAndCount(name, count); // a name taken or a count out of range is named as such first
            }
            descriptors.requireRoomFor(name, count);
            return topics.createTopic(name, count, onDuplicate, topicConfig);
        }
    }

    /**
     * Refuses what {@link #createTopic} with {@link OnDuplicate#FAIL} would refuse, in the same order, and
     * creates nothing: Kafka's CreateTopics with {@code validate_only}. Returns the config the topic would have.
     */
    TopicConfig checkNewTopic(String name, Integer partitions, Map<String, String> configs) {
        TopicName.validateNew(name);
        refuseOwnName(name);
        TopicConfig topicConfig = newTopicConfig(configs);
        int count = partitions == null ? numPartitions : partitions;
        checkNameAndCount(name, count);
        descriptors.requireRoomFor(name, count);
        return topicConfig;
    }

    /**
     * The broker's own topics exist from its start, so a client's create of one is refused as Kafka refuses
     * {@code __consumer_offsets} once it exists, TOPIC_ALREADY_EXISTS, with the reason it is taken.
     */
    private static void refuseOwnName(String name) {
        if (InternalTopics.isInternal(name)) {
            throw new TopicExistsException("topic '" + name + "' already exists: it is one of the broker's own topics ("
                    + InternalTopics.OFFSETS + ", " + InternalTopics.STATS + "), made when the broker starts, which clients may read but"
                    + " not create, change or delete; choose another name");
        }
    }

    /**
     * The registry's checks, with a taken name worded for the broker's clients: the registry's own words
     * point a lesson 4 learner at {@code OnDuplicate.RENAME}, which no Kafka or REST client has.
     */
    private void checkNameAndCount(String name, int count) {
        try {
            topics.checkNewTopic(name, count);
        } catch (TopicExistsException taken) {
            throw new TopicExistsException("topic '" + name + "' already exists: delete it first, or choose another"
                    + " name");
        }
    }

    /** A new topic's config: these keys, every one checked, inheriting the broker's defaults for the rest. */
    private TopicConfig newTopicConfig(Map<String, String> configs) {
        return TopicConfig.of(Objects.requireNonNull(configs, "configs")).inheriting(topicDefaults.get());
    }

    /** Sets the topic's whole config: keys not given go back to the broker's defaults. */
    void replaceConfig(String name, Map<String, String> configs) {
        InternalTopics.requireUserTopic(name, "change the config of");
        TopicConfig.of(configs); // checks every value before anything changes
        synchronized (configChanges) {
            topics.replaceConfig(name, configs);
        }
    }

    /** Changes only the keys given. */
    void patchConfig(String name, Map<String, String> changes) {
        InternalTopics.requireUserTopic(name, "change the config of");
        synchronized (configChanges) {
            topics.log(name, 0).config().patched(changes); // checks every value before anything changes
            topics.patchConfig(name, changes);
        }
    }

    /**
     * Kafka's IncrementalAlterConfigs for one topic: sets the keys of {@code set}, and returns each key of
     * {@code reset} to the broker's default (its {@code log.*} setting, else Kafka's). Every key and value is
     * checked first; with {@code validateOnly} that check is all, and nothing changes.
     */
    void alterConfig(String name, Map<String, String> set, Set<String> reset, boolean validateOnly) {
        InternalTopics.requireUserTopic(name, "change the config of");
        synchronized (configChanges) { // read, change, write: a concurrent change is never lost between
            Map<String, String> wanted = new TreeMap<>(topics.log(name, 0).config().overrides());
            for (String key : reset) {
                if (!TopicConfig.keys().containsKey(key)) {
                    throw new InvalidConfigurationException("unknown topic config '" + key + "': the topic configs are "
                            + String.join(", ", TopicConfig.keys().keySet()));
                }
                wanted.remove(key);
            }
            wanted.putAll(set);
            TopicConfig.of(wanted); // checks every value before anything changes
            if (!validateOnly) {
                topics.replaceConfig(name, wanted); // the keys reset inherit the broker's default again
            }
        }
    }

    /** Adds partitions; existing records stay where they are. */
    void increasePartitions(String name, int total) {
        InternalTopics.requireUserTopic(name, "add partitions to");
        synchronized (admin) {
            int current = topics.checkIncreasePartitions(name, total); // the rule broken is named before the budget
            descriptors.requireRoomFor(name, total - current);
            topics.increasePartitions(name, total);
        }
        delayedFetches.wake(name);
    }

    /**
     * Refuses what {@link #increasePartitions} would refuse, in the same order, and adds nothing: Kafka's
     * CreatePartitions with {@code validate_only}. Another client may still change the count in between.
     */
    void checkIncreasePartitions(String name, int total) {
        InternalTopics.requireUserTopic(name, "add partitions to");
        synchronized (admin) {
            int current = topics.checkIncreasePartitions(name, total);
            descriptors.requireRoomFor(name, total - current);
        }
    }

    /**
     * The topic with this id, or null when no topic has it, one id at a time. The index is rebuilt only after topics
     * were created or deleted, as Kafka's metadata cache keeps its topic ids beside its names.
     */
    String topicName(TopicId id) {
        long changes = topics.changes();
        TopicNamesById index = namesById;
        if (index.changes() != changes) {
            index = TopicNamesById.of(topics, changes);
            namesById = index;
        }
        return index.names().get(id);
    }

    /** Every topic's name by its id, as of the registry's count of changes when it was read. */
    private record TopicNamesById(long changes, Map<TopicId, String> names) {

        static final TopicNamesById NONE = new TopicNamesById(-1, Map.of());

        static TopicNamesById of(TopicRegistry topics, long changes) { // the count is read first: never staler than it
            Map<TopicId, String> names = new HashMap<>();
            for (String name : topics.listTopics()) {
                try {
                    names.put(topics.topicId(name), name);
                } catch (ApiException deletedMeanwhile) {
                    // no longer a topic, so no id to name
                }
            }
            return new TopicNamesById(changes, Map.copyOf(names));
        }
    }
}
