package toykafka.broker.share.partition;

import java.util.Locale;
import java.util.Map;
import toykafka.common.InvalidConfigurationException;

/**
 * The group configs a share partition follows, under Kafka's names, with Kafka's defaults and the bounds its broker
 * puts on them by default (group.share.min/max.record.lock.duration.ms and the like).
 *
 * @param recordLockDurationMs    how long an acquired record stays locked to its member
 * @param deliveryCountLimit      the deliveries after which a record is archived rather than made available again
 * @param partitionMaxRecordLocks the most records in flight at once, from the start offset on
 * @param readCommitted           whether aborted transactions are archived and reads stop at the last stable offset
 * @param renewAcknowledgeEnabled whether a member may renew its locks with a RENEW acknowledgement
 * @param deadLetterTopic         where records set aside are written (share.version 2), or "" for nowhere
 * @param deadLetterCopyRecord    whether a dead letter carries the record's key and value, or its headers alone
 */
public record ShareGroupSettings(int recordLockDurationMs, int deliveryCountLimit, int partitionMaxRecordLocks,
                                 ShareAutoOffsetReset autoOffsetReset, boolean readCommitted,
                                 boolean renewAcknowledgeEnabled, String deadLetterTopic,
                                 boolean deadLetterCopyRecord) {

    public static final String RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";
    public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
    public static final String PARTITION_MAX_RECORD_LOCKS = "share.partition.max.record.locks";
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String ISOLATION_LEVEL = "share.isolation.level";
    public static final String RENEW_ACKNOWLEDGE_ENABLE = "share.renew.acknowledge.enable";
    public static final String DEAD_LETTER_TOPIC = "errors.deadletterqueue.topic.name";
    public static final String DEAD_LETTER_COPY_RECORD = "errors.deadletterqueue.copy.record.enable";

    public ShareGroupSettings {
        within(RECORD_LOCK_DURATION_MS, recordLockDurationMs, 15000, 60000);
        within(DELIVERY_COUNT_LIMIT, deliveryCountLimit, 2, 10);
        within(PARTITION_MAX_RECORD_LOCKS, partitionMaxRecordLocks, 100, 4000);
        if (autoOffsetReset == null) {
            throw new InvalidConfigurationException(AUTO_OFFSET_RESET + " must be earliest, latest or by_duration:<PnDTnHnMn.nS>");
        }
        if (deadLetterTopic == null || deadLetterTopic.startsWith("__")) {
            throw new InvalidConfigurationException(DEAD_LETTER_TOPIC + " must be a topic name not starting with '__',"
                    + " or empty for none; got " + deadLetterTopic);
        }
    }

    /** Settings with no dead-letter topic: records set aside are archived in place. */
    public ShareGroupSettings(int recordLockDurationMs, int deliveryCountLimit, int partitionMaxRecordLocks,
                              ShareAutoOffsetReset autoOffsetReset, boolean readCommitted,
                              boolean renewAcknowledgeEnabled) {
        this(recordLockDurationMs, deliveryCountLimit, partitionMaxRecordLocks, autoOffsetReset, readCommitted,
                renewAcknowledgeEnabled, "", false);
    }

    /**
     * Whether a record rejected, or released at the delivery count limit, goes to the dead-letter topic (ARCHIVING)
     * before it is archived: the group names one, as Kafka's does from share.version 2, which this broker runs.
     */
    public boolean deadLetters() {
        return !deadLetterTopic.isEmpty();
    }

    /** Kafka's defaults: 30 s locks, 5 deliveries, 2000 locks, latest, read_uncommitted, renew enabled. */
    public static ShareGroupSettings defaults() {
        return new ShareGroupSettings(30000, 5, 2000, ShareAutoOffsetReset.LATEST, false, true);
    }

    /** The settings a group's configs give, Kafka's default for each one it does not set. */
    public static ShareGroupSettings fromConfigs(Map<String, String> configs) {
        ShareGroupSettings defaults = defaults();
        int lock = intOf(configs, RECORD_LOCK_DURATION_MS, defaults.recordLockDurationMs());
        int deliveries = intOf(configs, DELIVERY_COUNT_LIMIT, defaults.deliveryCountLimit());
        int locks = intOf(configs, PARTITION_MAX_RECORD_LOCKS, defaults.partitionMaxRecordLocks());
        ShareAutoOffsetReset reset = defaults.autoOffsetReset();
        if (configs.containsKey(AUTO_OFFSET_RESET)) {
            try {
                reset = ShareAutoOffsetReset.parse(configs.get(AUTO_OFFSET_RESET));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(e.getMessage());
            }
        }
        String isolation = configs.getOrDefault(ISOLATION_LEVEL, "read_uncommitted").toLowerCase(Locale.ROOT);
        if (!isolation.equals("read_committed") && !isolation.equals("read_uncommitted")) {
            throw new InvalidConfigurationException("Invalid value " + configs.get(ISOLATION_LEVEL) + " for configuration "
                    + ISOLATION_LEVEL + ": String must be one of: read_committed, read_uncommitted");
        }
        boolean renew = booleanOf(configs, RENEW_ACKNOWLEDGE_ENABLE, true);
        String deadLetterTopic = configs.getOrDefault(DEAD_LETTER_TOPIC, "").trim();
        boolean copyRecord = booleanOf(configs, DEAD_LETTER_COPY_RECORD, false);
        return new ShareGroupSettings(lock, deliveries, locks, reset, isolation.equals("read_committed"), renew,
                deadLetterTopic, copyRecord);
    }

    private static boolean booleanOf(Map<String, String> configs, String name, boolean kafkaDefault) {
        String value = configs.getOrDefault(name, String.valueOf(kafkaDefault)).trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidConfigurationException("Invalid value " + configs.get(name) + " for configuration " + name
                    + ": Expected value to be either true or false");
        }
        return value.equals("true");
    }

    private static int intOf(Map<String, String> configs, String name, int kafkaDefault) {
        String value = configs.get(name);
        if (value == null) {
            return kafkaDefault;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException("Invalid value " + value + " for configuration " + name
                    + ": Not a number of type INT");
        }
    }

    private static void within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidConfigurationException(name + " must be in the range " + min + " to " + max + " inclusive, got " + value);
        }
    }
}
