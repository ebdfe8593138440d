package toykafka.broker.coordinators;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import toykafka.common.InvalidTopicException;
import toykafka.common.TopicConfig;
import toykafka.common.TopicName;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.TopicRegistry;

/** The broker's own topics: made at start if missing, or, for a coordinator's log, when it first writes. */
public final class InternalTopics {

    /** The group coordinator's log: committed offsets, Kafka's name. */
    public static final String OFFSETS = "__consumer_offsets";
    /** The transaction coordinator's log, made when the first transactional producer starts: Kafka's name. */
    public static final String TRANSACTIONS = "__transaction_state";
    /** The share coordinator's log, made when a share group first settles a record: Kafka's name. */
    public static final String SHARE_STATE = "__share_group_state";
    /** The broker's own statistics, readable like any other topic (Kaf's {@code _kaf}). */
    public static final String STATS = "__broker_stats";

    private static final Set<String> ALL = Set.of(OFFSETS, TRANSACTIONS, SHARE_STATE, STATS);

    private InternalTopics() {
    }

    /** Whether the topic is one of the broker's own, which clients may read but not change. */
    public static boolean isInternal(String topic) {
        return ALL.contains(topic);
    }

    /** Refuses a name no topic can have, and the broker's own topics, which clients may read but not change. */
    public static void requireUserTopic(String name, String action) {
        TopicName.validate(name);
        if (isInternal(name)) {
            throw new InvalidTopicException("cannot " + action + " " + name + ": it is one of the broker's own"
                    + " topics (" + OFFSETS + ", " + STATS + "), which clients may read but not change");
        }
    }

    /** {@code __consumer_offsets} and {@code __broker_stats}, made if missing; the offsets topic is kept compacted. */
    public static void create(TopicRegistry topics, int offsetsSegmentBytes) {
        Map<String, String> offsetsConfig = coordinatorLog(offsetsSegmentBytes);
        ensure(topics, OFFSETS, TopicConfig.of(offsetsConfig));
        TopicConfig current = topics.log(OFFSETS, 0).config();
        if (!current.compact() || current.segmentBytes() != offsetsSegmentBytes) {
            // written by a broker that kept every commit, or with other settings: from now on old commits can go
            Map<String, String> compacted = new TreeMap<>(current.overrides());
            compacted.putAll(offsetsConfig);
            compacted.remove(TopicConfig.RETENTION_MS);
            topics.replaceConfig(OFFSETS, compacted);
        }
        ensure(topics, STATS, TopicConfig.of(Map.of(TopicConfig.RETENTION_MS,
                String.valueOf(Duration.ofDays(7).toMillis()))));
    }

    /**
     * A coordinator's log, as Kafka keeps {@code __consumer_offsets} and {@code __transaction_state}: each write
     * fsynced before it is acknowledged, and compacted, since only each key's latest record matters.
     */
    static Map<String, String> coordinatorLog(int segmentBytes) {
        return Map.of(TopicConfig.FLUSH_MESSAGES, "1", TopicConfig.CLEANUP_POLICY, "compact",
                TopicConfig.SEGMENT_BYTES, String.valueOf(segmentBytes));
    }

    /** Makes the topic, one partition, unless it exists. */
    static void ensure(TopicRegistry topics, String name, TopicConfig config) {
        if (!topics.listTopics().contains(name)) {
            topics.createTopic(name, 1, OnDuplicate.FAIL, config);
        }
    }
}
