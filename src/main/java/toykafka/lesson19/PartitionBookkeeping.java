package toykafka.lesson19;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The reference bookkeeping: Kafka's rules, as its {@code Partition} applies them on the leader. */
public final class PartitionBookkeeping implements ReplicaBookkeeping {

    // tag::high-watermark[]
    @Override
    public long highWatermark(Map<Integer, Long> logEndOffsets, Set<Integer> inSync) {
        if (inSync.isEmpty()) {
            throw new IllegalArgumentException("no replica is in sync, so no high watermark can be worked out;"
                    + " the ISR always holds the leader");
        }
        long lowest = Long.MAX_VALUE;
        for (int replica : inSync) {
            Long end = logEndOffsets.get(replica);
            if (end == null) {
                throw new IllegalArgumentException("in-sync replica " + replica + " has no log end offset; known are "
                        + new TreeSet<>(logEndOffsets.keySet()));
            }
            if (end < 0) {
                throw new IllegalArgumentException("replica " + replica + " has log end offset " + end
                        + "; a log end offset is 0 or more");
            }
            lowest = Math.min(lowest, end);
        }
        return lowest;
    }
    // end::high-watermark[]

    // tag::in-sync[]
    @Override
    public Set<Integer> inSync(int leader, Map<Integer, Long> lastCaughtUpMs, long nowMs, long lagTimeMaxMs) {
        if (lagTimeMaxMs <= 0) {
            throw new IllegalArgumentException("replica.lag.time.max.ms must be above 0; it is " + lagTimeMaxMs);
        }
        Set<Integer> inSync = new TreeSet<>();
        inSync.add(leader);
        lastCaughtUpMs.forEach((follower, caughtUp) -> {
            if (nowMs - caughtUp <= lagTimeMaxMs) {
                inSync.add(follower);
            }
        });
        return inSync;
    }
    // end::in-sync[]

    @Override
    public String toString() {
        return "the leader's bookkeeping: the high watermark and the ISR";
    }
}
