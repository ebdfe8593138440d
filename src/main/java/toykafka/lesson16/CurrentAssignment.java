package toykafka.lesson16;

import java.util.HashSet;
import java.util.Set;

// tag::step[]
/** The reconciliation rules of Kafka 4's consumer groups, one member and one heartbeat at a time. */
public final class CurrentAssignment implements Reconciler {

    @Override
    public Member next(Member member, Set<Integer> reported, Set<Integer> target, int targetEpoch,
                       Set<Integer> heldByOthers) {
        if (!member.revoking().isEmpty()) {
            boolean stillHolds = reported == null || member.revoking().stream().anyMatch(reported::contains);
            if (stillHolds) {
                return member; // its epoch waits until it says it let them go
            }
        }
        Set<Integer> keep = new HashSet<>(member.owned());
        keep.retainAll(target);
        Set<Integer> revoke = new HashSet<>(member.owned());
        revoke.removeAll(target);
        if (!revoke.isEmpty()) {
            return new Member(member.epoch(), keep, revoke); // first give up, keeping the epoch
        }
        Set<Integer> owned = new HashSet<>(keep);
        for (int partition : target) {
            if (!heldByOthers.contains(partition)) {
                owned.add(partition); // then take what is free; the rest comes at a later heartbeat
            }
        }
        return new Member(targetEpoch, owned, Set.of());
    }
}
// end::step[]
