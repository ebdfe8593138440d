package toykafka.lesson16;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

// tag::contract[]
/**
 * One member's next step from the partitions it owns to its target, in Kafka 4's consumer group protocol (KIP-848;
 * Kafka's {@code CurrentAssignmentBuilder}): the coordinator takes it at each of the member's heartbeats. The rules:
 * give up first, epoch waiting; take next, but never a partition another member still holds; and the member's epoch
 * moves to the target's once it has nothing left to give up.
 */
public interface Reconciler {

    /**
     * Where a member stands, on the partitions of one topic.
     *
     * @param epoch    its member epoch: the target epoch it last reached
     * @param owned    the partitions it owns
     * @param revoking the partitions it was asked to give up and has not said it did: no one else may have them yet
     */
    record Member(int epoch, Set<Integer> owned, Set<Integer> revoking) {
        public Member {
            owned = sorted(Objects.requireNonNull(owned, "owned"));
            revoking = sorted(Objects.requireNonNull(revoking, "revoking"));
        }

        /** An unchangeable copy in order, so that a member prints the same every time. */
        private static Set<Integer> sorted(Set<Integer> partitions) {
            return Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
        }
    }

    /**
     * The member's next step.
     *
     * @param member       where it stands
     * @param reported     the partitions its heartbeat says it owns, or null if the heartbeat did not say
     * @param target       its partitions at {@code targetEpoch}, as the assignor computed them
     * @param heldByOthers the partitions another member owns or is still giving up
     */
    Member next(Member member, Set<Integer> reported, Set<Integer> target, int targetEpoch, Set<Integer> heldByOthers);
}
// end::contract[]
