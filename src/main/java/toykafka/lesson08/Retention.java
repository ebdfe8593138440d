package toykafka.lesson08;

import java.util.List;

/** Which of the oldest segments retention deletes. Whole segments only: a segment is the unit of deletion. */
final class Retention {

    private Retention() {
    }

    // tag::retention[]
    /**
     * How many segments, counted from the oldest, have to go: by age, every one whose newest record is
     * older than retention.ms (the active one too: the log then rolls first); by size, as many of the
     * oldest as keep the rest within retention.bytes (never the active one).
     */
    static int segmentsToDelete(List<SegmentInfo> segments, long now, long retentionMs, long retentionBytes) {
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
