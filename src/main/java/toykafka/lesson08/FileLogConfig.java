package toykafka.lesson08;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a file-backed log. Each is named after the Kafka topic setting it mirrors, and the
 * defaults are Kafka's, except where a toy needs smaller numbers to be looked at.
 *
 * @param segmentBytes       roll to a new segment before one would grow past this: {@code segment.bytes}
 * @param segmentMs          roll once the active segment's first record is this old: {@code segment.ms}
 * @param indexIntervalBytes bytes of records between two index entries: {@code index.interval.bytes}
 * @param retentionMs        delete a segment once its newest record is this old, -1 for never: {@code retention.ms}
 * @param retentionBytes     delete the oldest segments while the log is larger, -1 for no limit: {@code retention.bytes}
 * @param maxRecordBytes     the largest record, as it lies on disk: {@code max.message.bytes}
 * @param keysRequired       refuse records without a key, as Kafka does on a compacted topic
 * @param durability         when appended bytes are forced to disk: {@code flush.ms}, {@code flush.messages}
 */
public record FileLogConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, long retentionMs,
                            long retentionBytes, int maxRecordBytes, boolean keysRequired, Durability durability) {

    public static final int MIN_SEGMENT_BYTES = RecordCodec.FRAME_HEAD + RecordCodec.MIN_BODY;

    public FileLogConfig {
        Objects.requireNonNull(durability, "durability");
        atLeast("segment.bytes", segmentBytes, MIN_SEGMENT_BYTES);
        atLeast("segment.ms", segmentMs, 1);
        atLeast("index.interval.bytes", indexIntervalBytes, 0);
        atLeast("retention.ms", retentionMs, -1);
        atLeast("retention.bytes", retentionBytes, -1);
        atLeast("max.message.bytes", maxRecordBytes, MIN_SEGMENT_BYTES);
        if (maxRecordBytes > RecordCodec.MAX_FRAME) {
            throw new IllegalArgumentException("max.message.bytes must be at most " + RecordCodec.MAX_FRAME
                    + ", was " + maxRecordBytes);
        }
    }

    /** Kafka's defaults: 1 GiB segments rolled weekly, an index entry every 4 KiB, a week's retention. */
    public static FileLogConfig defaults() {
        return new FileLogConfig(1 << 30, Duration.ofDays(7).toMillis(), 4096, Duration.ofDays(7).toMillis(),
                -1, 1024 * 1024, false, Durability.leaveToOs());
    }

    public FileLogConfig withSegmentBytes(int bytes) {
        return new FileLogConfig(bytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes,
                maxRecordBytes, keysRequired, durability);
    }

    public FileLogConfig withSegmentAge(Duration age) {
        return new FileLogConfig(segmentBytes, age.toMillis(), indexIntervalBytes, retentionMs, retentionBytes,
                maxRecordBytes, keysRequired, durability);
    }

    public FileLogConfig withIndexIntervalBytes(int bytes) {
        return new FileLogConfig(segmentBytes, segmentMs, bytes, retentionMs, retentionBytes,
                maxRecordBytes, keysRequired, durability);
    }

    /** Keep records this long; {@code null} keeps them forever. */
    public FileLogConfig withRetention(Duration age) {
        return new FileLogConfig(segmentBytes, segmentMs, indexIntervalBytes, age == null ? -1 : age.toMillis(),
                retentionBytes, maxRecordBytes, keysRequired, durability);
    }

    public FileLogConfig withRetentionBytes(long bytes) {
        return new FileLogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, bytes,
                maxRecordBytes, keysRequired, durability);
    }

    public FileLogConfig withMaxRecordBytes(int bytes) {
        return new FileLogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes,
                bytes, keysRequired, durability);
    }

    public FileLogConfig withKeysRequired(boolean required) {
        return new FileLogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes,
                maxRecordBytes, required, durability);
    }

    public FileLogConfig withDurability(Durability policy) {
        return new FileLogConfig(segmentBytes, segmentMs, indexIntervalBytes, retentionMs, retentionBytes,
                maxRecordBytes, keysRequired, policy);
    }

    /** The rules every appended record must keep. */
    public RecordRules rules() {
        return new RecordRules(maxRecordBytes, keysRequired);
    }

    private static void atLeast(String name, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
        }
    }
}
