package toykafka.broker.group.streams;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.group.modern.ReconcilingMember;

/**
 * Where a streams group's member stands on the way to its target (Kafka's streams {@code CurrentAssignmentBuilder}
 * and the current assignment it keeps): its epochs, its state, the tasks it runs and those it was asked to give up,
 * and the epoch at which each of its active tasks became its own, which fences its offset commits.
 *
 * @param activeEpochs for each active task it runs or gives up, the epoch it was assigned at
 */
public record StreamsMemberAssignment(int memberEpoch, int previousMemberEpoch, State state, StreamsTasks assigned,
                                      StreamsTasks revoking, Map<String, Map<Integer, Integer>> activeEpochs)
        implements ReconcilingMember.Assignment {

    /** Where a member stands against its target (Kafka's streams {@code MemberState}). */
    public enum State { STABLE, UNREVOKED_TASKS, UNRELEASED_TASKS }

    /** Whether another member holds a task this member is to have, so that it must wait for it. */
    @FunctionalInterface
    interface Holds {
        boolean elsewhere(StreamsTasks.Kind kind, String subtopology, int partition);
    }

    static final StreamsMemberAssignment JOINING = new StreamsMemberAssignment(0, 0, State.STABLE, StreamsTasks.NONE,
            StreamsTasks.NONE, Map.of());

    public StreamsMemberAssignment {
        activeEpochs = Map.copyOf(activeEpochs);
    }

    @Override
    public boolean stable() {
        return state == State.STABLE;
    }

    // tag::streams-reconcile[]
    /**
     * The member's step towards {@code target} at one of its heartbeats. Giving up comes first, for every kind of
     * task: a member asked to give tasks up (active, standby or warm-up) keeps only the rest and its epoch waits,
     * until a heartbeat no longer names them. Then it takes the target's epoch and the tasks of its target no one
     * else still holds: an active task another member runs, or a standby or warm-up task whose state another member
     * of the same process keeps, comes at a later heartbeat.
     *
     * @param reported the tasks its heartbeat says it owns, or null if it did not say
     * @return this, if the member may not move now
     */
    StreamsMemberAssignment next(StreamsTasks reported, StreamsTasks target, int targetEpoch, Holds holds) {
        if (state == State.UNREVOKED_TASKS && (reported == null || reported.overlaps(revoking))) {
            return this;
        }
        if (state == State.STABLE && memberEpoch == targetEpoch) {
            return this;
        }
        Map<StreamsTasks.Kind, Map<String, Set<Integer>>> kept = new HashMap<>();
        Map<StreamsTasks.Kind, Map<String, Set<Integer>>> revoke = new HashMap<>();
        boolean revoking = false;
        for (StreamsTasks.Kind kind : StreamsTasks.Kind.values()) {
            Map<String, Set<Integer>> keep = kept.computeIfAbsent(kind, k -> new TreeMap<>());
            Map<String, Set<Integer>> give = revoke.computeIfAbsent(kind, k -> new TreeMap<>());
            assigned.forEach(kind, (sub, partition) -> (target.has(kind, sub, partition) ? keep : give)
                    .computeIfAbsent(sub, s -> new TreeSet<>()).add(partition));
            revoking |= !give.isEmpty();
        }
        if (revoking) {
            return new StreamsMemberAssignment(memberEpoch, previousMemberEpoch, State.UNREVOKED_TASKS, tasks(kept),
                    tasks(revoke), activeEpochs);
        }
        Map<String, Map<Integer, Integer>> epochs = new TreeMap<>();
        activeEpochs.forEach((sub, byPartition) -> epochs.put(sub, new TreeMap<>(byPartition)));
        boolean withheld = false;
        for (StreamsTasks.Kind kind : StreamsTasks.Kind.values()) {
            Map<String, Set<Integer>> owned = kept.get(kind);
            for (Map.Entry<String, SortedSet<Integer>> sub : target.of(kind).entrySet()) {
                for (int partition : sub.getValue()) {
                    if (owned.getOrDefault(sub.getKey(), Set.of()).contains(partition)) {
                        continue;
                    }
                    if (holds.elsewhere(kind, sub.getKey(), partition)) {
                        withheld = true;
                        continue;
                    }
                    owned.computeIfAbsent(sub.getKey(), s -> new TreeSet<>()).add(partition);
                    if (kind == StreamsTasks.Kind.ACTIVE) {
                        epochs.computeIfAbsent(sub.getKey(), s -> new TreeMap<>()).put(partition, targetEpoch);
                    }
                }
            }
        }
        StreamsTasks now = tasks(kept);
        epochs.forEach((sub, byPartition) -> byPartition.keySet().removeIf(p -> !now.has(StreamsTasks.Kind.ACTIVE,
                sub, p)));
        epochs.values().removeIf(Map::isEmpty);
        int previous = memberEpoch == targetEpoch ? previousMemberEpoch : memberEpoch;
        return new StreamsMemberAssignment(targetEpoch, previous, withheld ? State.UNRELEASED_TASKS : State.STABLE, now,
                StreamsTasks.NONE, epochs);
    }
    // end::streams-reconcile[]

    /** Whether it runs or gives up this task, of this kind. */
    boolean holds(StreamsTasks.Kind kind, String subtopology, int partition) {
        return assigned.has(kind, subtopology, partition) || revoking.has(kind, subtopology, partition);
    }

    /** The epoch its active task was assigned at, or null if it neither runs nor gives it up. */
    Integer activeEpoch(String subtopology, int partition) {
        return activeEpochs.getOrDefault(subtopology, Map.of()).get(partition);
    }

    /** The same tasks and state at other epochs: a static member's leave, and its next instance's return. */
    StreamsMemberAssignment withEpochs(int epoch, int previous) {
        return new StreamsMemberAssignment(epoch, previous, state, assigned, revoking, activeEpochs);
    }

    private static StreamsTasks tasks(Map<StreamsTasks.Kind, Map<String, Set<Integer>>> byKind) {
        return new StreamsTasks(byKind.get(StreamsTasks.Kind.ACTIVE), byKind.get(StreamsTasks.Kind.STANDBY),
                byKind.get(StreamsTasks.Kind.WARMUP));
    }
}
