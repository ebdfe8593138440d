package toykafka.common;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a topic's log accepts, read from its config. Every store, in memory and on disk, applies the same
 * rules, so a batch that one refuses the other refuses too, with the same error.
 *
 * @param maxMessageBytes   the largest batch, as Kafka encodes it: {@code max.message.bytes}
 * @param keysRequired      whether a record without a key is refused, as a compacted topic does
 * @param timestampsBehind  how far behind the broker's clock a producer's timestamp may lie
 *                          ({@code message.timestamp.before.max.ms}); {@link Long#MAX_VALUE} for any distance
 * @param timestampsAhead   how far ahead of it ({@code message.timestamp.after.max.ms})
 */
public record RecordRules(int maxMessageBytes, boolean keysRequired, long timestampsBehind, long timestampsAhead) {

    public RecordRules {
        if (maxMessageBytes < 0) {
            throw new InvalidConfigurationException("max.message.bytes must be 0 or more, was " + maxMessageBytes);
        }
        if (timestampsBehind < 0 || timestampsAhead < 0) {
            throw new InvalidConfigurationException("message.timestamp.before.max.ms and message.timestamp.after.max.ms"
                    + " must be 0 or more, were " + timestampsBehind + " and " + timestampsAhead);
        }
    }

    /**
     * The rules of a topic with this config. A LogAppendTime topic replaces every producer's timestamp with
     * the broker's, so, as in Kafka, it takes a timestamp any distance from the clock.
     */
    public static RecordRules of(TopicConfig config) {
        boolean anyTime = config.logAppendTime();
        return new RecordRules(config.maxMessageBytes(), config.compact(),
                anyTime ? Long.MAX_VALUE : config.messageTimestampBeforeMaxMs(),
                anyTime ? Long.MAX_VALUE : config.messageTimestampAfterMaxMs());
    }

    public static RecordRules defaults() {
        return of(TopicConfig.defaults());
    }

    // tag::batch[]
    /** Checks a whole batch before any of it is stored: every record, naming each refused, then the batch's size. */
    public void check(List<Record> batch) {
        Objects.requireNonNull(batch, "a batch must not be null");
        if (batch.isEmpty()) {
            throw new InvalidRecordException("an empty batch has nothing to append");
        }
        RecordErrors refused = new RecordErrors();
        for (int i = 0; i < batch.size(); i++) {
            Record record = Objects.requireNonNull(batch.get(i), "a record must not be null");
            refused.check(i, () -> checkKey(record.hasKey()));
        }
        refused.throwIfAny(batch.size());
        checkSize(RecordBatchSize.of(batch));
    }
    // end::batch[]

    // tag::check[]
    /**
     * Checks one record by its key and value. A record with no key and no value is stored, as Kafka stores
     * it: a producer may send nothing but headers and a timestamp. (A blank line typed into Kafka's console
     * producer is not one: its value is empty, zero bytes, not absent.) Only a compacted topic asks for
     * something, a key.
     *
     * @param hasKey whether the record has a key
     */
    public void checkKey(boolean hasKey) {
        if (keysRequired && !hasKey) {
            throw new InvalidRecordException("this log requires a key on every record, as a compacted topic"
                    + " (cleanup.policy=compact) does, and the record has none; nothing was appended");
        }
    }

    /**
     * Checks a producer's timestamp against the broker's clock, as Kafka's {@code LogValidator} does: a
     * timestamp years ahead would hold a segment back from retention and roll a new one, so a topic takes
     * only those within its window.
     *
     * @param timestamp the record's timestamp, milliseconds since 1970
     * @param now       the broker's clock, in the same unit
     */
    public void checkTimestamp(long timestamp, long now) {
        if (timestamp == RecordBatch.NO_TIMESTAMP) {
            return; // a record without a time is in no window, and Kafka stores it as it is
        }
        long earliest = timestampsBehind >= now ? 0 : now - timestampsBehind;
        long latest = timestampsAhead > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timestampsAhead;
        if (timestamp < earliest || timestamp > latest) {
            boolean ahead = timestamp > latest;
            throw new InvalidTimestampException("timestamp " + timestamp + " ms (" + Instant.ofEpochMilli(timestamp)
                    + ") is " + (ahead ? "ahead of" : "behind") + " the broker's clock (" + Instant.ofEpochMilli(now)
                    + ") by more than " + (ahead ? TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS + "=" + timestampsAhead
                    : TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS + "=" + timestampsBehind) + ": this topic takes"
                    + " timestamps from " + earliest + " to " + latest + " ms; nothing was appended");
        }
    }

    /** Checks a batch's size against max.message.bytes. */
    public void checkSize(long batchBytes) {
        if (batchBytes > maxMessageBytes) {
            throw new RecordTooLargeException("a batch of " + batchBytes + " bytes is over the limit of "
                    + maxMessageBytes + " bytes (max.message.bytes): send batches of 0 to " + maxMessageBytes
                    + " bytes; nothing was appended");
        }
    }
    // end::check[]
}
