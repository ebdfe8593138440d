package toykafka.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A topic's settings, as Kafka's {@code LogConfig}: every topic-level key the course knows, under Kafka's
 * name, with Kafka's default. The rules are Kafka 4.1's but for four, which lesson 4 explains: smaller
 * segments, flush.messages only 1 or never, flush.ms from 1, retention.bytes from -1. Values are text,
 * as in Kafka's configs; a config holds what was set on the topic (its overrides) and what it inherits
 * from its broker (a broker's {@code log.retention.ms} is the {@code retention.ms} of every topic that
 * sets none), and every getter answers with the override, else the inherited value, else the default.
 * Lesson 4's topics, lesson 6's compaction and lesson 8's file log all read their settings from here.
 */
public final class TopicConfig {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String DEAD_LETTER_GROUP_ENABLE = "errors.deadletterqueue.group.enable";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";

    public static final String CREATE_TIME = "CreateTime";
    public static final String LOG_APPEND_TIME = "LogAppendTime";
    /** compression.type's default: each batch is stored in the codec its producer chose. */
    public static final String PRODUCER = "producer";
    /** compression.type's word for no codec, where a producer says "none". */
    public static final String UNCOMPRESSED = "uncompressed";
    /** compression.type's values, in Kafka's order. */
    private static final List<String> COMPRESSION_TYPES = List.of(UNCOMPRESSED, "zstd", "lz4", "snappy", "gzip", PRODUCER);
    /** Kafka's "never" for flush.messages and flush.ms: the operating system decides when to write back. */
    public static final long NEVER = Long.MAX_VALUE;
    /**
     * The smallest segment.bytes accepted: room for the smallest record Kafka ever had, Kafka 3.x's floor.
     * Kafka 4.0 raised its own to 1 MiB; small segments stay here so the notebooks can show several files.
     */
    public static final int MIN_SEGMENT_BYTES = 14;

    /** A key: its default, what it accepts, the rule in words for when it is broken, and what it means. */
    public record Key(String name, String defaultValue, Predicate<String> accepts, String rule, String meaning) {
    }

    // tag::keys[]
    private static final SortedMap<String, Key> KEYS = table(
            new Key(CLEANUP_POLICY, "delete", TopicConfig::isCleanupPolicy,
                    "must be delete, compact, or both as compact,delete",
                    "what happens to old records: deleted by age and size, or compacted to each key's latest"),
            new Key(COMPRESSION_TYPE, PRODUCER, COMPRESSION_TYPES::contains,
                    "must be one of " + String.join(", ", COMPRESSION_TYPES),
                    "the codec batches are stored in: the producer's, or one the broker recompresses them to"),
            new Key(DELETE_RETENTION_MS, "86400000", ConfigRange.whole(0, Long.MAX_VALUE),
                    "must be a whole number of milliseconds, 0 or more",
                    "how long a compacted topic keeps a tombstone, so slow readers still see the delete"),
            new Key(DEAD_LETTER_GROUP_ENABLE, "false", text -> text.equals("true") || text.equals("false"),
                    "must be true or false",
                    "whether share groups may write the records they set aside here, as their dead-letter topic"),
            new Key(FLUSH_MESSAGES, String.valueOf(NEVER), text -> text.equals("1") || text.equals(String.valueOf(NEVER)),
                    "must be 1 (fsync before each append is acknowledged) or " + NEVER + " (never force)",
                    "how many records may be appended before the log is forced to disk"),
            new Key(FLUSH_MS, String.valueOf(NEVER), ConfigRange.whole(1, Long.MAX_VALUE),
                    "must be a whole number of milliseconds, 1 or more (" + NEVER + " for never)",
                    "how often a background thread forces the log to disk"),
            new Key(INDEX_INTERVAL_BYTES, "4096", ConfigRange.whole(0, Integer.MAX_VALUE),
                    "must be a whole number of bytes from 0 to " + Integer.MAX_VALUE,
                    "bytes of records between two entries of the sparse offset index"),
            new Key(MAX_MESSAGE_BYTES, "1048588", ConfigRange.whole(0, Integer.MAX_VALUE),
                    "must be a whole number of bytes from 0 to " + Integer.MAX_VALUE,
                    "the largest record batch the topic accepts, measured as Kafka encodes it"),
            new Key(MESSAGE_TIMESTAMP_AFTER_MAX_MS, "3600000", ConfigRange.whole(0, Long.MAX_VALUE),
                    "must be a whole number of milliseconds, 0 or more",
                    "how far ahead of the broker's clock a producer's timestamp may be (CreateTime topics)"),
            new Key(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, String.valueOf(Long.MAX_VALUE), ConfigRange.whole(0, Long.MAX_VALUE),
                    "must be a whole number of milliseconds, 0 or more",
                    "how far behind the broker's clock a producer's timestamp may be (CreateTime topics)"),
            new Key(MESSAGE_TIMESTAMP_TYPE, CREATE_TIME, text -> text.equals(CREATE_TIME) || text.equals(LOG_APPEND_TIME),
                    "must be CreateTime or LogAppendTime",
                    "whose clock stamps a record: the producer's (CreateTime) or the broker's (LogAppendTime)"),
            new Key(MIN_CLEANABLE_DIRTY_RATIO, "0.5", ConfigRange.decimal(0.0, 1.0),
                    "must be a number from 0 to 1",
                    "compact once this share of the log is dirty (written since the last compaction)"),
            new Key(MIN_COMPACTION_LAG_MS, "0", ConfigRange.whole(0, Long.MAX_VALUE),
                    "must be a whole number of milliseconds, 0 or more",
                    "how long a record stays uncompacted after it is written"),
            new Key(RETENTION_BYTES, "-1", ConfigRange.whole(-1, Long.MAX_VALUE),
                    "must be a whole number of bytes, or -1 for no limit",
                    "delete the oldest segments while a partition is larger than this"),
            new Key(RETENTION_MS, "604800000", ConfigRange.whole(-1, Long.MAX_VALUE),
                    "must be a whole number of milliseconds, or -1 to keep records forever",
                    "delete a segment once its newest record is this old"),
            new Key(SEGMENT_BYTES, "1073741824", ConfigRange.whole(MIN_SEGMENT_BYTES, Integer.MAX_VALUE),
                    "must be a whole number of bytes from " + MIN_SEGMENT_BYTES + " to " + Integer.MAX_VALUE,
                    "roll to a new segment file before one would grow past this size"),
            new Key(SEGMENT_MS, "604800000", ConfigRange.whole(1, Long.MAX_VALUE),
                    "must be a whole number of milliseconds, 1 or more",
                    "roll to a new segment once the active one's first record is this old"));
    // end::keys[]

    private static final TopicConfig DEFAULTS = new TopicConfig(new TreeMap<>(), new TreeMap<>());

    private final SortedMap<String, String> overrides;
    private final SortedMap<String, String> inherited;

    private TopicConfig(SortedMap<String, String> overrides, SortedMap<String, String> inherited) {
        this.overrides = Collections.unmodifiableSortedMap(overrides);
        this.inherited = Collections.unmodifiableSortedMap(inherited);
    }

    /** Kafka's defaults for every key. */
    public static TopicConfig defaults() {
        return DEFAULTS;
    }

    /** A config with these keys set; every entry is checked before any is taken. */
    public static TopicConfig of(Map<String, String> overrides) {
        validate(overrides);
        return new TopicConfig(new TreeMap<>(overrides), new TreeMap<>());
    }

    /**
     * The same overrides, inheriting {@code brokerDefaults} where they set nothing: the values a broker's
     * {@code log.*} settings give every topic. They replace whatever this config inherited before.
     */
    public TopicConfig inheriting(Map<String, String> brokerDefaults) {
        validate(brokerDefaults);
        return new TopicConfig(new TreeMap<>(overrides), new TreeMap<>(brokerDefaults));
    }

    /** The same config with one more key set: a number, a word, anything whose text the key accepts. */
    public TopicConfig with(String key, Object value) {
        Objects.requireNonNull(value, () -> "a value for " + key + " must not be null");
        return patched(Map.of(key, String.valueOf(value)));
    }

    /** The same config with these keys set and the others kept (a PATCH). */
    public TopicConfig patched(Map<String, String> changes) {
        validate(changes);
        SortedMap<String, String> merged = new TreeMap<>(overrides);
        merged.putAll(changes);
        return new TopicConfig(merged, new TreeMap<>(inherited));
    }

    // tag::validate[]
    /** Checks every entry before any is used, so a bad one changes nothing. */
    public static void validate(Map<String, String> entries) {
        Objects.requireNonNull(entries, "a config must not be null: pass an empty map to set nothing");
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            Key key = KEYS.get(entry.getKey());
            if (key == null) {
                throw new InvalidConfigurationException("unknown topic config '" + entry.getKey()
                        + "': the topic configs are " + String.join(", ", KEYS.keySet()));
            }
            String value = entry.getValue();
            if (value == null || !key.accepts().test(value)) {
                throw new InvalidConfigurationException("invalid value " + (value == null ? "null" : "'" + value + "'")
                        + " for " + entry.getKey() + ": it " + key.rule());
            }
        }
    }
    // end::validate[]

    /** Every key the course knows, in name order, with its default, rule and meaning. */
    public static Map<String, Key> keys() {
        return Collections.unmodifiableSortedMap(KEYS);
    }

    /** The keys set on this topic, and their values. */
    public SortedMap<String, String> overrides() {
        return overrides;
    }

    /**
     * The keys this topic inherits from its broker, and their values; an override of its own takes
     * precedence over them, as {@link #get} says.
     */
    public SortedMap<String, String> inherited() {
        return inherited;
    }

    /** Every key with the value in force: the override, else the inherited value, else the default. */
    public SortedMap<String, String> values() {
        SortedMap<String, String> values = new TreeMap<>();
        KEYS.keySet().forEach(name -> values.put(name, get(name)));
        return Collections.unmodifiableSortedMap(values);
    }

    /** The value in force for one key. */
    public String get(String key) {
        Key known = KEYS.get(key);
        if (known == null) {
            throw new InvalidConfigurationException("unknown topic config '" + key + "': the topic configs are "
                    + String.join(", ", KEYS.keySet()));
        }
        return overrides.getOrDefault(key, inherited.getOrDefault(key, known.defaultValue()));
    }

    public boolean compact() {
        return get(CLEANUP_POLICY).contains("compact");
    }

    public boolean delete() {
        return get(CLEANUP_POLICY).contains("delete");
    }

    /** The codec every batch is stored in, or empty for {@code producer}: each batch keeps the producer's codec. */
    public Optional<Compression> compressionType() {
        String type = get(COMPRESSION_TYPE);
        if (type.equals(PRODUCER)) {
            return Optional.empty();
        }
        return Optional.of(type.equals(UNCOMPRESSED) ? Compression.NONE : Compression.ofConfigName(type));
    }

    public long deleteRetentionMs() {
        return longValue(DELETE_RETENTION_MS);
    }

    public long flushMessages() {
        return longValue(FLUSH_MESSAGES);
    }

    public long flushMs() {
        return longValue(FLUSH_MS);
    }

    public int indexIntervalBytes() {
        return (int) longValue(INDEX_INTERVAL_BYTES);
    }

    public int maxMessageBytes() {
        return (int) longValue(MAX_MESSAGE_BYTES);
    }

    public long messageTimestampAfterMaxMs() {
        return longValue(MESSAGE_TIMESTAMP_AFTER_MAX_MS);
    }

    public long messageTimestampBeforeMaxMs() {
        return longValue(MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
    }

    public boolean logAppendTime() {
        return get(MESSAGE_TIMESTAMP_TYPE).equals(LOG_APPEND_TIME);
    }

    public double minCleanableDirtyRatio() {
        return Double.parseDouble(get(MIN_CLEANABLE_DIRTY_RATIO));
    }

    public long minCompactionLagMs() {
        return longValue(MIN_COMPACTION_LAG_MS);
    }

    public long retentionBytes() {
        return longValue(RETENTION_BYTES);
    }

    public long retentionMs() {
        return longValue(RETENTION_MS);
    }

    public int segmentBytes() {
        return (int) longValue(SEGMENT_BYTES);
    }

    public long segmentMs() {
        return longValue(SEGMENT_MS);
    }

    private long longValue(String key) {
        return Long.parseLong(get(key));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicConfig that && overrides.equals(that.overrides) && inherited.equals(that.inherited);
    }

    @Override
    public int hashCode() {
        return overrides.hashCode() * 31 + inherited.hashCode();
    }

    @Override
    public String toString() {
        String own = overrides.isEmpty() ? "TopicConfig[defaults]" : "TopicConfig" + overrides;
        return inherited.isEmpty() ? own : own + " inheriting " + inherited;
    }

    private static SortedMap<String, Key> table(Key... keys) {
        Map<String, Key> byName = new LinkedHashMap<>();
        for (Key key : keys) {
            byName.put(key.name(), key);
        }
        return new TreeMap<>(byName);
    }

    private static boolean isCleanupPolicy(String text) {
        return switch (text) {
            case "delete", "compact", "compact,delete", "delete,compact" -> true;
            default -> false;
        };
    }
}
