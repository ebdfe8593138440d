package toykafka.broker.group.share;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.modern.ModernGroupMember;
import toykafka.common.TopicId;

/**
 * A member of a share group (Kafka's {@code ShareGroupMember}): the topics it reads, the partitions it was given at
 * its epoch, and when the coordinator last heard from it.
 *
 * @param previousEpoch the epoch before this one, which a heartbeat crossing the change may still carry
 */
record ShareGroupMember(String memberId, int memberEpoch, int previousEpoch, String rackId, String clientId,
                        String clientHost, SortedSet<String> subscribedTopics,
                        Map<TopicId, SortedSet<Integer>> assigned, Instant lastHeard) implements ModernGroupMember {

    ShareGroupMember {
        subscribedTopics = Collections.unmodifiableSortedSet(new TreeSet<>(subscribedTopics));
    }

    /** Always: it takes its target at once, with nothing to give up first. */
    @Override
    public boolean stable() {
        return true;
    }

    @Override
    public long bytes() {
        return CoordinatorMemory.MEMBER_BYTES
                + CoordinatorMemory.PARTITION_BYTES * assigned.values().stream().mapToLong(SortedSet::size).sum();
    }
}
