package toykafka.exercises.lesson09;

import java.util.List;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson09.RetentionPolicy;

/** A learner's answer, written from the lesson's text: the check must pass it. */
public class MyRetentionPolicy implements RetentionPolicy {

    @Override
    public int segmentsToDelete(List<SegmentInfo> segments, long now, long retentionMs, long retentionBytes) {
        int tooOld = 0;
        if (retentionMs >= 0) {
            for (SegmentInfo segment : segments) {
                boolean hasRecords = segment.largestTimestamp() != Long.MIN_VALUE;
                if (!hasRecords || now - segment.largestTimestamp() <= retentionMs) {
                    break;
                }
                tooOld++;
            }
        }
        int tooBig = 0;
        if (retentionBytes >= 0) {
            long total = 0;
            for (SegmentInfo segment : segments) {
                total += segment.bytes();
            }
            for (int i = 0; i < segments.size() - 1; i++) {
                if (total - segments.get(i).bytes() < retentionBytes) {
                    break;
                }
                total -= segments.get(i).bytes();
                tooBig++;
            }
        }
        return Math.max(tooOld, tooBig);
    }
}
