package toykafka.broker.group;

import java.util.Map;
import java.util.Set;
import toykafka.common.TopicId;
import toykafka.lesson16.Reconciler;
import toykafka.lesson16.ReconcilerContract;

/**
 * Lesson 16's reconciliation contract run against the broker's {@link MemberAssignment#next}, one topic's partitions
 * at a time: the rules the lesson teaches are the ones the broker's consumer groups follow.
 */
class BrokerReconciliationTest extends ReconcilerContract {

    private static final TopicId TOPIC = new TopicId(3, 4);

    @Override
    protected Reconciler newReconciler() {
        return (member, reported, target, targetEpoch, heldByOthers) -> {
            // the state the broker would have left it in after its last step
            MemberAssignment.State state = !member.revoking().isEmpty()
                    ? MemberAssignment.State.UNREVOKED_PARTITIONS
                    : member.epoch() == targetEpoch && !member.owned().equals(target)
                    ? MemberAssignment.State.UNRELEASED_PARTITIONS : MemberAssignment.State.STABLE;
            MemberAssignment next = new MemberAssignment(member.epoch(), member.epoch(), state,
                    Map.of(TOPIC, member.owned()), Map.of(TOPIC, member.revoking()))
                    .next(reported == null ? null : Map.of(TOPIC, reported), Map.of(TOPIC, target), targetEpoch,
                            (topic, partition) -> heldByOthers.contains(partition));
            return new Reconciler.Member(next.memberEpoch(), next.assigned().getOrDefault(TOPIC, Set.of()),
                    next.revoking().getOrDefault(TOPIC, Set.of()));
        };
    }
}
