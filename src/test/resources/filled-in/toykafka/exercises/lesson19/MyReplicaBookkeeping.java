package toykafka.exercises.lesson19;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import toykafka.lesson19.ReplicaBookkeeping;

/** A learner's answer, written from the lesson text and hints: the checks first, then a stream's minimum. */
public class MyReplicaBookkeeping implements ReplicaBookkeeping {

    @Override
    public long highWatermark(Map<Integer, Long> logEndOffsets, Set<Integer> inSync) {
        if (inSync.isEmpty()) {
            throw new IllegalArgumentException("the ISR is empty");
        }
        for (int replica : inSync) {
            if (!logEndOffsets.containsKey(replica)) {
                throw new IllegalArgumentException("replica " + replica + " is in sync but its log end offset is unknown");
            }
            if (logEndOffsets.get(replica) < 0) {
                throw new IllegalArgumentException("log end offset " + logEndOffsets.get(replica) + " is below 0");
            }
        }
        return inSync.stream().mapToLong(logEndOffsets::get).min().getAsLong();
    }

    @Override
    public Set<Integer> inSync(int leader, Map<Integer, Long> lastCaughtUpMs, long nowMs, long lagTimeMaxMs) {
        if (lagTimeMaxMs < 1) {
            throw new IllegalArgumentException("replica.lag.time.max.ms of " + lagTimeMaxMs + " is not above 0");
        }
        Set<Integer> inSync = new HashSet<>();
        inSync.add(leader);
        for (Map.Entry<Integer, Long> follower : lastCaughtUpMs.entrySet()) {
            if (follower.getValue() >= nowMs - lagTimeMaxMs) {
                inSync.add(follower.getKey());
            }
        }
        return inSync;
    }
}
