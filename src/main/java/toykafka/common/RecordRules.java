package toykafka.common;

import java.util.List;
import java.util.Objects;

/**
 * What a topic's log accepts, read from its config. Every store, in memory and on disk, applies the same
 * rules, so a batch that one refuses the other refuses too, with the same error.
 *
 * @param maxMessageBytes the largest batch, as Kafka encodes it: {@code max.message.bytes}
 * @param keysRequired    whether a record without a key is refused, as a compacted topic does
 */
public record RecordRules(int maxMessageBytes, boolean keysRequired) {

    public RecordRules {
        if (maxMessageBytes < 0) {
            throw new InvalidConfigurationException("max.message.bytes must be 0 or more, was " + maxMessageBytes);
        }
    }

    /** The rules of a topic with this config. */
    public static RecordRules of(TopicConfig config) {
        return new RecordRules(config.maxMessageBytes(), config.compact());
    }

    public static RecordRules defaults() {
        return of(TopicConfig.defaults());
    }

    // tag::batch[]
    /** Checks a whole batch before any of it is stored: each record, then the batch's size. */
    public void check(List<Record> batch) {
        Objects.requireNonNull(batch, "a batch must not be null");
        if (batch.isEmpty()) {
            throw new InvalidRecordException("an empty batch has nothing to append");
        }
        for (int i = 0; i < batch.size(); i++) {
            Record record = Objects.requireNonNull(batch.get(i), "a record must not be null");
            try {
                check(record.hasKey(), record.valueLength());
            } catch (InvalidRecordException refused) {
                throw batch.size() == 1 ? refused : new InvalidRecordException("record " + i + " of a batch of "
                        + batch.size() + ": " + refused.getMessage());
            }
        }
        checkSize(RecordBatchSize.of(batch));
    }
    // end::batch[]

    // tag::check[]
    /**
     * Checks one record by its key and value.
     *
     * @param hasKey      whether the record has a key
     * @param valueLength its value's length, -1 for none
     */
    public void check(boolean hasKey, int valueLength) {
        if (!hasKey && valueLength < 0) {
            throw new InvalidRecordException("an empty record cannot be appended: it has no key and no value"
                    + " (a key with no value is a tombstone; a value needs no key); nothing was appended");
        }
        if (!hasKey && valueLength == 0) {
            throw new InvalidRecordException("an empty record cannot be appended: it has no key, and its value"
                    + " is there but 0 bytes long, so it carries nothing; nothing was appended");
        }
        if (keysRequired && !hasKey) {
            throw new InvalidRecordException("this log requires a key on every record, as a compacted topic"
                    + " (cleanup.policy=compact) does, and the record has none; nothing was appended");
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
