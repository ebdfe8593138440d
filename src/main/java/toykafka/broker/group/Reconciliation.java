package toykafka.broker.group;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import toykafka.common.TopicId;

// tag::reconcile[]
/**
 * How a member gets from what it owns to its target, one heartbeat at a time (Kafka's
 * {@code CurrentAssignmentBuilder}). Revocation comes first: a member asked to give partitions up keeps only the rest
 * and its epoch waits, until a heartbeat says it no longer owns them. Then it takes its new partitions, and the
 * target's epoch, but only those no other member still holds: a partition is never owned by two members at once.
 * Those withheld come at a later heartbeat, once their old owner has let them go.
 */
final class Reconciliation {

    private Reconciliation() {
    }

    /**
     * Moves the member as far towards {@code target} as it may go now, and says whether what it owns changed.
     *
     * @param owned       what the member says it owns, or null if it did not say
     * @param heldByOther whether another member owns, or is still giving up, a partition
     */
    static boolean advance(ConsumerGroupMember member, Map<TopicId, Set<Integer>> target, int assignmentEpoch,
                           Map<TopicId, ? extends Set<Integer>> owned, BiPredicate<TopicId, Integer> heldByOther,
                           Instant now) {
        if (member.state == ConsumerGroupMember.State.UNREVOKED_PARTITIONS) {
            if (owned == null || stillOwnsAny(owned, member.revoking)) {
                return false; // it has not given them up yet
            }
            member.revoking.clear();
            member.revokeBy = null;
        }
        if (member.state == ConsumerGroupMember.State.STABLE && member.memberEpoch == assignmentEpoch) {
            return false;
        }
        SortedMap<TopicId, SortedSet<Integer>> keep = ConsumerGroupMember.copy(Map.of());
        SortedMap<TopicId, SortedSet<Integer>> revoke = ConsumerGroupMember.copy(Map.of());
        member.assigned.forEach((topic, partitions) -> partitions.forEach(partition -> {
            boolean wanted = target.getOrDefault(topic, Set.of()).contains(partition);
            (wanted ? keep : revoke).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
        }));
        if (!revoke.isEmpty()) {
            boolean changed = !keep.equals(member.assigned);
            member.assigned = keep;
            member.revoking = revoke;
            member.state = ConsumerGroupMember.State.UNREVOKED_PARTITIONS;
            member.revokeBy = now.plusMillis(member.rebalanceTimeoutMs);
            return changed;
        }
        SortedMap<TopicId, SortedSet<Integer>> next = ConsumerGroupMember.copy(keep);
        boolean withheld = false;
        for (Map.Entry<TopicId, Set<Integer>> topic : target.entrySet()) {
            for (int partition : topic.getValue()) {
                if (keep.getOrDefault(topic.getKey(), new TreeSet<>()).contains(partition)) {
                    continue;
                }
                if (heldByOther.test(topic.getKey(), partition)) {
                    withheld = true;
                } else {
                    next.computeIfAbsent(topic.getKey(), t -> new TreeSet<>()).add(partition);
                }
            }
        }
        boolean changed = !next.equals(member.assigned);
        member.assigned = next;
        if (member.memberEpoch != assignmentEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = assignmentEpoch;
        }
        member.state = withheld ? ConsumerGroupMember.State.UNRELEASED_PARTITIONS : ConsumerGroupMember.State.STABLE;
        return changed;
    }
    // end::reconcile[]

    private static boolean stillOwnsAny(Map<TopicId, ? extends Set<Integer>> owned,
                                        Map<TopicId, SortedSet<Integer>> revoking) {
        return revoking.entrySet().stream().anyMatch(topic -> {
            Set<Integer> stillOwned = owned.get(topic.getKey());
            return stillOwned != null && topic.getValue().stream().anyMatch(stillOwned::contains);
        });
    }
}
