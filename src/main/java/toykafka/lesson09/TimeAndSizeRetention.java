package toykafka.lesson09;

import java.util.List;
import toykafka.lesson08.Segment;
import toykafka.lesson08.SegmentInfo;

/** Kafka's retention rules: by {@code retention.ms} from the oldest segment, and by {@code retention.bytes}. */
public final class TimeAndSizeRetention implements RetentionPolicy {

    // tag::retention[]
    /**
     * How many segments, counted from the oldest, have to go: by age, every one whose newest record is
     * older than retention.ms (the active one too: the log then rolls first); by size, as many of the
     * oldest as keep the rest within retention.bytes (never the active one). A segment whose records carry
     * no time (-1) never counts as old here; Kafka falls back to its file's last-modified time.
     */
    @Override
    public int segmentsToDelete(List<SegmentInfo> segments, long now, long retentionMs, long retentionBytes) {
        int byAge = 0;
        while (retentionMs >= 0 && byAge < segments.size()
                && segments.get(byAge).largestTimestamp() != Segment.NO_TIMESTAMP
                && now - segments.get(byAge).largestTimestamp() > retentionMs) {
            byAge++;
        }
        int bySize = 0;
        if (retentionBytes >= 0) {
            long excess = segments.stream().mapToLong(SegmentInfo::bytes).sum() - retentionBytes;
            while (bySize < segments.size() - 1 && excess - segments.get(bySize).bytes() >= 0) {
                excess -= segments.get(bySize).bytes();
                bySize++;
            }
        }
        return Math.max(byAge, bySize);
    }
    // end::retention[]
}
