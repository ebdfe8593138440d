package toykafka.restproxy;

import java.util.concurrent.atomic.AtomicInteger;
import toykafka.common.Errors;

/**
 * How many REST consumer instances the broker's process holds in all groups together, bounded by
 * {@code consumer.instances.max}: each holds positions, a subscription and a place in its group, and
 * without a bound a client could create instances in group after group ({@code group.max.size} bounds
 * only one) until the heap ran out. REST Proxy runs in a process of its own, so its heap is the bound there;
 * here the instances share the broker's heap.
 */
final class InstanceBudget {

    private final AtomicInteger held = new AtomicInteger();
    private final int max;

    InstanceBudget(int max) {
        this.max = max;
    }

    /** Takes a place for a new instance of {@code groupId}, or refuses with 429 when none is left. */
    void take(String groupId) {
        if (held.incrementAndGet() > max) {
            held.decrementAndGet();
            throw new ConsumerInstance.Refused(Errors.THROTTLING_QUOTA_EXCEEDED, "the broker holds " + max
                    + " consumer instances, the most consumer.instances.max allows, so group '" + groupId + "' gets"
                    + " no new one: delete the instances you are done with, or wait for idle ones to go after"
                    + " consumer.instance.timeout.ms");
        }
    }

    /** Gives back the place of an instance that went. */
    void release() {
        held.decrementAndGet();
    }
}
