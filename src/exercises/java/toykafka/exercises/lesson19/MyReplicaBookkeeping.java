package toykafka.exercises.lesson19;

import java.util.Map;
import java.util.Set;
import toykafka.lesson19.ReplicaBookkeeping;

/**
 * Exercise for lesson 19: the leader's bookkeeping for its followers, the high watermark and the ISR.
 * Check your work with {@code ./toykafka check 19}; ask for help with {@code ./toykafka hint 19}.
 * Read the lesson with its code in place: {@code ./toykafka read 19} (add a section's name for one section).
 */
public class MyReplicaBookkeeping implements ReplicaBookkeeping {

    @Override
    public long highWatermark(Map<Integer, Long> logEndOffsets, Set<Integer> inSync) {
        throw new UnsupportedOperationException(
                "highWatermark() is yours to write: see section \"The high watermark\" (./toykafka read 19 high-watermark)");
    }

    @Override
    public Set<Integer> inSync(int leader, Map<Integer, Long> lastCaughtUpMs, long nowMs, long lagTimeMaxMs) {
        throw new UnsupportedOperationException(
                "inSync() is yours to write: see section \"In sync\" (./toykafka read 19 in-sync)");
    }
}
