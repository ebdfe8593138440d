package toykafka.exercises.lesson09;

import java.util.List;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson09.RetentionPolicy;

/**
 * Exercise for lesson 9: decide which segments retention deletes, by retention.ms and by retention.bytes.
 * Check your work with {@code ./toykafka check 9}; ask for help with {@code ./toykafka hint 9}.
 * Read the lesson with its code in place: {@code ./toykafka read 9} (add a section's name for one section).
 */
public class MyRetentionPolicy implements RetentionPolicy {

    @Override
    public int segmentsToDelete(List<SegmentInfo> segments, long now, long retentionMs, long retentionBytes) {
        throw new UnsupportedOperationException(
                "segmentsToDelete() is yours to write: see section \"Retention\" (./toykafka read 9 retention)");
    }
}
