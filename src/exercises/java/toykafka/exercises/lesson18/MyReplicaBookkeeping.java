package toykafka.exercises.lesson18;

import java.util.Map;
import java.util.Set;
import toykafka.lesson18.ReplicaBookkeeping;

/**
 * Exercise for lesson 18: the leader's bookkeeping for its followers, the high watermark and the ISR.
 * Check your work with {@code ./toykafka check 18}; ask for help with {@code ./toykafka hint 18}.
 * Read the lesson with its code in place: {@code ./toykafka read 18} (add a section's name for one section).
 */
public class MyReplicaBookkeeping implements ReplicaBookkeeping {

    @Override
    public long highWatermark(Map<Integer, Long> logEndOffsets, Set<Integer> inSync) {
        throw new UnsupportedOperationException(
                "highWatermark() is yours to write: see section \"The high watermark\" (./toykafka read 18 high-watermark)");
    }

    @Override
    public Set<Integer> inSync(int leader, Map<Integer, Long> lastCaughtUpMs, long nowMs, long lagTimeMaxMs) {
        throw new UnsupportedOperationException(
                "inSync() is yours to write: see section \"In sync\" (./toykafka read 18 in-sync)");
    }
}
