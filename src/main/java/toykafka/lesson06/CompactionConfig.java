package toykafka.lesson06;

import java.time.Duration;
import java.util.Objects;
import toykafka.common.TopicConfig;

/**
 * How a compacted log cleans itself. Kafka sets the same three things per topic.
 *
 * @param segmentSize             offsets per segment; the newest segment (the head) is never compacted.
 *                                Kafka sizes segments in bytes ({@code segment.bytes}); we count offsets
 * @param minCleanableDirtyRatio  compact once this share of the compactable records is dirty
 *                                ({@code min.cleanable.dirty.ratio}, 0.5 by default)
 * @param deleteRetention         how long a tombstone stays after it was appended, so that slow readers
 *                                still see the delete ({@code delete.retention.ms}, one day by default)
 */
public record CompactionConfig(int segmentSize, double minCleanableDirtyRatio, Duration deleteRetention) {

    /** Kafka's defaults for the ratio and the tombstone retention, as the one topic config has them. */
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = TopicConfig.defaults().minCleanableDirtyRatio();
    public static final Duration DEFAULT_DELETE_RETENTION = Duration.ofMillis(TopicConfig.defaults().deleteRetentionMs());

    public CompactionConfig {
        if (segmentSize < 1) {
            throw new IllegalArgumentException("a segment must hold at least 1 offset, was " + segmentSize);
        }
        if (!(minCleanableDirtyRatio >= 0.0 && minCleanableDirtyRatio <= 1.0)) {
            throw new IllegalArgumentException("min.cleanable.dirty.ratio must be between 0.0 and 1.0, was "
                    + minCleanableDirtyRatio);
        }
        Objects.requireNonNull(deleteRetention, "deleteRetention must not be null: use Duration.ZERO for none");
        if (deleteRetention.isNegative()) {
            throw new IllegalArgumentException("delete retention must be zero or more, was " + deleteRetention);
        }
    }

    /** What a topic's config asks for (min.cleanable.dirty.ratio, delete.retention.ms), in segments of {@code segmentSize} offsets. */
    public static CompactionConfig of(TopicConfig topic, int segmentSize) {
        return new CompactionConfig(segmentSize, topic.minCleanableDirtyRatio(), Duration.ofMillis(topic.deleteRetentionMs()));
    }

    /** Segments of {@code segmentSize} offsets, with Kafka's default ratio and tombstone retention. */
    public static CompactionConfig segmentsOf(int segmentSize) {
        return new CompactionConfig(segmentSize, DEFAULT_MIN_CLEANABLE_DIRTY_RATIO, DEFAULT_DELETE_RETENTION);
    }

    public CompactionConfig withMinCleanableDirtyRatio(double ratio) {
        return new CompactionConfig(segmentSize, ratio, deleteRetention);
    }

    public CompactionConfig withDeleteRetention(Duration retention) {
        return new CompactionConfig(segmentSize, minCleanableDirtyRatio, retention);
    }

    /** The first offset of the segment that holds {@code offset}. */
    public long segmentStart(long offset) {
        return offset - offset % segmentSize;
    }
}
