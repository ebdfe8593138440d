package toykafka.lesson19;

import java.util.Map;
import java.util.Set;

/**
 * The two sums a partition's leader does for its followers, over and over: who is still in sync, and how far
 * every one of them has copied. Kafka's {@code Partition} does both, for every partition a broker leads.
 */
public interface ReplicaBookkeeping {

    // tag::rules[]
    /**
     * The high watermark: the offset below which every in-sync replica holds every record, which is the smallest
     * log end offset among them. Consumers read below it; an {@code acks=all} produce is answered once it passes.
     *
     * @param logEndOffsets each replica's log end offset, by broker id (the leader's own included)
     * @param inSync        the in-sync replicas (ISR), the leader among them
     * @throws IllegalArgumentException if no replica is in sync, an in-sync replica has no log end offset here,
     *                                  or an offset is negative
     */
    long highWatermark(Map<Integer, Long> logEndOffsets, Set<Integer> inSync);

    /**
     * The in-sync replicas: the leader, and every follower that was caught up with the leader's log end no longer
     * than {@code replica.lag.time.max.ms} ago (exactly that long ago still counts).
     *
     * @param leader         the leader's broker id, in sync by definition
     * @param lastCaughtUpMs when each follower last reached the leader's log end offset, by broker id
     * @param nowMs          the time now, on the same clock
     * @param lagTimeMaxMs   {@code replica.lag.time.max.ms}; must be above 0
     * @throws IllegalArgumentException if {@code lagTimeMaxMs} is not above 0
     */
    Set<Integer> inSync(int leader, Map<Integer, Long> lastCaughtUpMs, long nowMs, long lagTimeMaxMs);
    // end::rules[]
}
