package toykafka.lesson09;

import java.util.List;
import toykafka.lesson08.SegmentInfo;

// tag::interface[]
/**
 * Which of a log's segments retention deletes: a count from the oldest, since a log loses records only at its
 * old end. Kafka's {@code UnifiedLog.deleteRetentionMsBreachedSegments} and {@code deleteRetentionSizeBreachedSegments}.
 */
public interface RetentionPolicy {

    /**
     * How many segments, counted from the oldest, have to go.
     *
     * @param segments       the log's segments, oldest first; the last is the active one
     * @param now            the clock's time, in epoch ms
     * @param retentionMs    retention.ms: the age past which a segment's newest record is too old; -1 for no limit
     * @param retentionBytes retention.bytes: how many bytes the log may keep; -1 for no limit
     */
    int segmentsToDelete(List<SegmentInfo> segments, long now, long retentionMs, long retentionBytes);
    // end::interface[]
}
