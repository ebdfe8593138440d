package toykafka.broker.group;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import toykafka.common.TopicId;
import toykafka.lesson16.Reconciler;
import toykafka.lesson16.ReconcilerContract;

/**
 * Lesson 16's reconciliation contract run against the broker's {@link Reconciliation}, one topic's partitions at a
 * time: the rules the lesson teaches are the ones the broker's consumer groups follow.
 */
class BrokerReconciliationTest extends ReconcilerContract {

    private static final TopicId TOPIC = new TopicId(3, 4);

    @Override
    protected Reconciler newReconciler() {
        return (member, reported, target, targetEpoch, heldByOthers) -> {
            ConsumerGroupMember broker = new ConsumerGroupMember("member", Instant.EPOCH);
            broker.memberEpoch = member.epoch();
            broker.assigned = ConsumerGroupMember.copy(Map.of(TOPIC, member.owned()));
            broker.revoking = ConsumerGroupMember.copy(Map.of(TOPIC, member.revoking()));
            // the state the broker would have left it in after its last step
            broker.state = !member.revoking().isEmpty() ? ConsumerGroupMember.State.UNREVOKED_PARTITIONS
                    : member.epoch() == targetEpoch && !member.owned().equals(target)
                    ? ConsumerGroupMember.State.UNRELEASED_PARTITIONS : ConsumerGroupMember.State.STABLE;
            Reconciliation.advance(broker, Map.of(TOPIC, target), targetEpoch,
                    reported == null ? null : Map.of(TOPIC, reported),
                    (topic, partition) -> heldByOthers.contains(partition), Instant.EPOCH);
            return new Reconciler.Member(broker.memberEpoch, partitions(broker.assigned), partitions(broker.revoking));
        };
    }

    private static Set<Integer> partitions(Map<TopicId, SortedSet<Integer>> byTopic) {
        return byTopic.getOrDefault(TOPIC, new TreeSet<>());
    }
}
