package toykafka.broker.group.consumer;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.TopicId;

/**
 * The epoch at which a consumer group's member was given each partition it owns or is giving up: Kafka's assignment
 * epoch per partition, kept since Kafka 4.3 in the tagged field {@code AssignmentEpochs} of the current assignment
 * record. It lets a commit sent just before the member's epoch moved on through: the commit may carry an older epoch
 * for a partition the member has held since then, while a member that lost the partition (a zombie), or got it only
 * later, is refused.
 *
 * @param byPartition each topic's partitions, each with the epoch it was given at
 */
public record AssignmentEpochs(Map<TopicId, Map<Integer, Integer>> byPartition) {

    /** No epochs yet: every partition is taken as held since the member's own epoch. */
    public static final AssignmentEpochs NONE = new AssignmentEpochs(Map.of());

    public AssignmentEpochs {
        SortedMap<TopicId, Map<Integer, Integer>> copy = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
        Objects.requireNonNull(byPartition).forEach((topic, epochs) -> {
            if (!epochs.isEmpty()) {
                copy.put(topic, Collections.unmodifiableSortedMap(new TreeMap<>(epochs)));
            }
        });
        byPartition = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * The epochs of exactly these partitions: each keeps the one it has, and one with none was given at
     * {@code epoch} (never below 0), as Kafka gives a partition the target's epoch when a member takes it, and reads
     * a record written before the field with the member's epoch for all its partitions.
     */
    AssignmentEpochs covering(Map<TopicId, Set<Integer>> assigned, Map<TopicId, Set<Integer>> revoking, int epoch) {
        Map<TopicId, Map<Integer, Integer>> covered = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
        for (Map<TopicId, Set<Integer>> partitions : List.of(assigned, revoking)) {
            partitions.forEach((topic, numbers) -> numbers.forEach(partition -> covered
                    .computeIfAbsent(topic, t -> new TreeMap<>())
                    .put(partition, Objects.requireNonNullElse(epochOf(topic, partition), Math.max(epoch, 0)))));
        }
        return covered.equals(byPartition) ? this : new AssignmentEpochs(covered);
    }

    /** The epoch the partition was given at, or null if the member neither owns it nor is giving it up. */
    public Integer epochOf(TopicId topic, int partition) {
        return byPartition.getOrDefault(topic, Map.of()).get(partition);
    }

    /**
     * Whether a commit at {@code commitEpoch}, older than the member's own, may commit this partition (Kafka's
     * assignment epoch check, from 4.3): only if the member has held it since that epoch or before.
     */
    boolean admitsOlder(int commitEpoch, TopicId topic, int partition) {
        Integer given = topic == null ? null : epochOf(topic, partition);
        return given != null && commitEpoch >= given;
    }

    /** The same partitions, each as given at epoch 0: a static member's leave, whose next instance may commit them. */
    AssignmentEpochs atZero() {
        Map<TopicId, Map<Integer, Integer>> zero = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
        byPartition.forEach((topic, epochs) -> epochs.keySet().forEach(partition ->
                zero.computeIfAbsent(topic, t -> new TreeMap<>()).put(partition, 0)));
        return new AssignmentEpochs(zero);
    }
}
