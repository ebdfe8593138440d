package toykafka.lesson16;

import java.util.Map;
import java.util.Set;
import toykafka.broker.group.consumer.MemberAssignment;
import toykafka.common.TopicId;

// tag::step[]
/**
 * The reconciliation rules of Kafka 4's consumer groups, one member and one heartbeat at a time: the broker's own rule
 * ({@link MemberAssignment#next}), run on a member that reads one topic.
 */
public final class CurrentAssignment implements Reconciler {

    /** The one topic a {@link Reconciler.Member} reads; any id does. */
    private static final TopicId TOPIC = new TopicId(16, 16);

    @Override
    public Member next(Member member, Set<Integer> reported, Set<Integer> target, int targetEpoch,
                       Set<Integer> heldByOthers) {
        MemberAssignment next = inBroker(member, target, targetEpoch).next(
                reported == null ? null : Map.of(TOPIC, reported), Map.of(TOPIC, target), targetEpoch,
                (topic, partition) -> heldByOthers.contains(partition));
        return new Member(next.memberEpoch(), next.assigned().getOrDefault(TOPIC, Set.of()),
                next.revoking().getOrDefault(TOPIC, Set.of()));
    }

    /**
     * The member as the broker keeps it. A {@link Reconciler.Member} has no state, so it is read off where the member
     * stands: giving partitions up; at the target's epoch without all of its target, waiting for some to be
     * released; or stable.
     */
    private static MemberAssignment inBroker(Member member, Set<Integer> target, int targetEpoch) {
        MemberAssignment.State state = !member.revoking().isEmpty() ? MemberAssignment.State.UNREVOKED_PARTITIONS
                : member.epoch() == targetEpoch && !member.owned().equals(target)
                ? MemberAssignment.State.UNRELEASED_PARTITIONS : MemberAssignment.State.STABLE;
        return new MemberAssignment(member.epoch(), member.epoch(), state, Map.of(TOPIC, member.owned()),
                Map.of(TOPIC, member.revoking()));
    }
}
// end::step[]
