package toykafka.broker.group.consumer;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import toykafka.broker.group.modern.ReconcilingMember;
import toykafka.common.TopicId;

/**
 * Where a consumer group's member stands on the way to its target (what Kafka's current assignment record holds): its
 * epochs, its state, the partitions it owns and those it was asked to give up. {@link #next} is the reconciliation
 * rule, the one lesson 16 teaches: it returns where the member stands after one of its heartbeats.
 *
 * @param memberEpoch         the target epoch it last reached
 * @param previousMemberEpoch the epoch before it: a heartbeat still at that epoch lost its answer, and may go on
 * @param assigned            the partitions it owns, as it was last told
 * @param revoking            the partitions it was asked to give up, which no one else may have until it says it did
 * @param epochs              the epoch at which it was given each of those partitions; one not named was given at
 *                            its member epoch
 */
public record MemberAssignment(int memberEpoch, int previousMemberEpoch, State state,
                               Map<TopicId, Set<Integer>> assigned, Map<TopicId, Set<Integer>> revoking,
                               AssignmentEpochs epochs) implements ReconcilingMember.Assignment {

    /** Where a member stands against its target (Kafka's {@code MemberState}). */
    public enum State {
        /** It owns its whole target, at the group's assignment epoch. */
        STABLE,
        /** It was asked to give partitions up and has not said it did: its epoch waits. */
        UNREVOKED_PARTITIONS,
        /** It is at the assignment epoch, but some of its target is still another member's to give up. */
        UNRELEASED_PARTITIONS
    }

    /** A member that joins, or joins again: epoch 0, owning nothing. */
    static final MemberAssignment JOINING = new MemberAssignment(0, 0, State.STABLE, Map.of(), Map.of());

    public MemberAssignment {
        Objects.requireNonNull(state, "state");
        assigned = frozen(assigned);
        revoking = frozen(revoking);
        epochs = Objects.requireNonNullElse(epochs, AssignmentEpochs.NONE).covering(assigned, revoking, memberEpoch);
    }

    /** A member's standing whose partitions were all given at its member epoch. */
    public MemberAssignment(int memberEpoch, int previousMemberEpoch, State state,
                            Map<TopicId, Set<Integer>> assigned, Map<TopicId, Set<Integer>> revoking) {
        this(memberEpoch, previousMemberEpoch, state, assigned, revoking, AssignmentEpochs.NONE);
    }

    @Override
    public boolean stable() {
        return state == State.STABLE;
    }

    // tag::reconcile[]
    /**
     * The member's step towards {@code target} at one of its heartbeats (Kafka's {@code CurrentAssignmentBuilder}).
     * Giving up comes first: a member asked to give partitions up keeps only the rest and its epoch waits, until a
     * heartbeat says it no longer owns them; one whose heartbeat already says so (a classic consumer of the eager
     * protocol gives everything up before it joins) is not asked, and moves on at once. Then it takes the target's epoch, and the partitions of its target no
     * other member still holds: a partition is never owned by two members at once. Those withheld come at a later
     * heartbeat, once their old owner has let them go. A partition it keeps keeps the epoch it was given at; one it
     * takes is given at the target's.
     *
     * @param reported    the partitions its heartbeat says it owns, or null if the heartbeat did not say
     * @param heldByOther whether another member owns, or is still giving up, a partition
     * @return this, if the member may not move now
     */
    public MemberAssignment next(Map<TopicId, ? extends Set<Integer>> reported,
                                 Map<TopicId, Set<Integer>> target, int targetEpoch,
                                 BiPredicate<TopicId, Integer> heldByOther) {
        if (state == State.UNREVOKED_PARTITIONS && (reported == null || stillOwnsAny(reported, revoking))) {
            return this; // it has not given them up yet: its epoch waits
        }
        if (state == State.STABLE && memberEpoch == targetEpoch) {
            return this; // at its target already
        }
        Map<TopicId, Set<Integer>> owned = new TreeMap<>(ServerAssignor.TOPIC_ORDER); // what it keeps, then takes
        Map<TopicId, Set<Integer>> revoke = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
        assigned.forEach((topic, partitions) -> partitions.forEach(partition -> {
            boolean wanted = target.getOrDefault(topic, Set.of()).contains(partition);
            (wanted ? owned : revoke).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
        }));
        if (!revoke.isEmpty() && (reported == null || stillOwnsAny(reported, revoke))) {
            // it gives up before it takes, at the epoch it has; one that says it owns none of them gave them up
            return new MemberAssignment(memberEpoch, previousMemberEpoch, State.UNREVOKED_PARTITIONS, owned, revoke,
                    epochs);
        }
        boolean withheld = false;
        for (Map.Entry<TopicId, Set<Integer>> topic : target.entrySet()) {
            for (int partition : topic.getValue()) {
                if (owned.getOrDefault(topic.getKey(), Set.of()).contains(partition)) {
                    continue;
                }
                if (heldByOther.test(topic.getKey(), partition)) {
                    withheld = true;
                } else {
                    owned.computeIfAbsent(topic.getKey(), t -> new TreeSet<>()).add(partition);
                }
            }
        }
        int previous = memberEpoch == targetEpoch ? previousMemberEpoch : memberEpoch;
        return new MemberAssignment(targetEpoch, previous, withheld ? State.UNRELEASED_PARTITIONS : State.STABLE,
                owned, Map.of(), epochs);
    }
    // end::reconcile[]

    private static boolean stillOwnsAny(Map<TopicId, ? extends Set<Integer>> owned,
                                        Map<TopicId, Set<Integer>> revoking) {
        return revoking.entrySet().stream().anyMatch(topic -> {
            Set<Integer> stillOwned = owned.get(topic.getKey());
            return stillOwned != null && topic.getValue().stream().anyMatch(stillOwned::contains);
        });
    }

    /** The same partitions, state and partition epochs at other member epochs: a static member's next instance. */
    MemberAssignment withEpochs(int memberEpoch, int previousMemberEpoch) {
        return new MemberAssignment(memberEpoch, previousMemberEpoch, state, assigned, revoking, epochs);
    }

    /**
     * A static member's leave (epoch -2): its partitions are kept for its next instance, each as given at epoch 0,
     * as Kafka resets them, so that the next instance may commit them at whatever epoch it comes back at.
     */
    MemberAssignment away() {
        return new MemberAssignment(ConsumerGroupHeartbeat.STATIC_LEAVE, memberEpoch, state, assigned, revoking,
                epochs.atZero());
    }

    /** Whether it owns, or is still giving up, this partition. */
    boolean holds(TopicId topic, int partition) {
        return assigned.getOrDefault(topic, Set.of()).contains(partition)
                || revoking.getOrDefault(topic, Set.of()).contains(partition);
    }

    /** How many partitions it owns or gives up. */
    int partitionCount() {
        return count(assigned) + count(revoking);
    }

    private static int count(Map<TopicId, Set<Integer>> partitions) {
        return partitions.values().stream().mapToInt(Set::size).sum();
    }

    /** A copy of a topic-to-partitions map to hand out, sorted, with no empty topic. */
    static SortedMap<TopicId, SortedSet<Integer>> copy(Map<TopicId, ? extends Set<Integer>> partitions) {
        SortedMap<TopicId, SortedSet<Integer>> copy = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
        partitions.forEach((topic, owned) -> {
            if (!owned.isEmpty()) {
                copy.put(topic, new TreeSet<>(owned));
            }
        });
        return copy;
    }

    /** An unchangeable sorted copy, with no empty topic, so that a member is a value. */
    private static Map<TopicId, Set<Integer>> frozen(Map<TopicId, ? extends Set<Integer>> partitions) {
        SortedMap<TopicId, Set<Integer>> frozen = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
        copy(Objects.requireNonNull(partitions)).forEach((topic, owned) ->
                frozen.put(topic, Collections.unmodifiableSortedSet(owned)));
        return Collections.unmodifiableSortedMap(frozen);
    }
}
