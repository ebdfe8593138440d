package toykafka.lesson08;

import java.util.Objects;
import toykafka.common.Record;

/**
 * What a log accepts. Both stores, in memory and on disk, apply the same rules, so a record that one
 * refuses the other refuses too, with the same message.
 *
 * @param maxRecordBytes the largest record, measured as it lies on disk (its frame)
 * @param keysRequired   whether a record without a key is refused
 */
public record RecordRules(int maxRecordBytes, boolean keysRequired) {

    public static RecordRules defaults() {
        return FileLogConfig.defaults().rules();
    }

    /** Checks one record; a refusal says what is wrong and that nothing was appended. */
    public void check(Record record) {
        Objects.requireNonNull(record, "a record must not be null");
        byte[] value = record.value();
        check(record.hasKey(), value == null ? -1 : value.length, RecordCodec.frameSize(record));
    }

    // tag::check[]
    /**
     * @param hasKey      whether the record has a key
     * @param valueLength its value's length, -1 for none
     * @param frameSize   its size on disk
     */
    void check(boolean hasKey, int valueLength, int frameSize) {
        if (!hasKey && valueLength < 0) {
            throw new IllegalArgumentException("an empty record cannot be appended: it has no key and no value"
                    + " (a key with no value is a tombstone; a value needs no key); nothing was appended");
        }
        if (!hasKey && valueLength == 0) {
            throw new IllegalArgumentException("an empty record cannot be appended: it has no key, and its value"
                    + " is there but 0 bytes long, so it carries nothing; nothing was appended");
        }
        if (keysRequired && !hasKey) {
            throw new IllegalArgumentException("this log requires a key on every record, as a compacted topic"
                    + " does, and the record has none; nothing was appended");
        }
        if (frameSize > maxRecordBytes) {
            throw new IllegalArgumentException("a record of " + frameSize + " bytes is over the limit of "
                    + maxRecordBytes + " bytes (max.message.bytes); nothing was appended");
        }
    }
    // end::check[]
}
