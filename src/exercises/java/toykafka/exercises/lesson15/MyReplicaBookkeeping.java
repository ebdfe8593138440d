package toykafka.exercises.lesson15;

import java.util.Map;
import java.util.Set;
import toykafka.lesson15.ReplicaBookkeeping;

/**
 * Exercise for lesson 15: the leader's bookkeeping for its followers, the high watermark and the ISR.
 * Check your work with {@code ./toykafka check 15}; ask for help with {@code ./toykafka hint 15}.
 * Read the lesson with its code in place: {@code ./toykafka read 15} (add a section's name for one section).
 */
public class MyReplicaBookkeeping implements ReplicaBookkeeping {

    @Override
    public long highWatermark(Map<Integer, Long> logEndOffsets, Set<Integer> inSync) {
        throw new UnsupportedOperationException(
                "highWatermark() is yours to write: see section \"The high watermark\" (./toykafka read 15 high-watermark)");
    }

    @Override
    public Set<Integer> inSync(int leader, Map<Integer, Long> lastCaughtUpMs, long nowMs, long lagTimeMaxMs) {
        throw new UnsupportedOperationException(
                "inSync() is yours to write: see section \"In sync\" (./toykafka read 15 in-sync)");
    }
}
