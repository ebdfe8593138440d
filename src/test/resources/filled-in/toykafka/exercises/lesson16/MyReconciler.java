package toykafka.exercises.lesson16;

import java.util.HashSet;
import java.util.Set;
import toykafka.lesson16.Reconciler;

/** A learner's answer, written from the lesson's text: kept and lost sorted in one pass over what it owns. */
public class MyReconciler implements Reconciler {

    @Override
    public Member next(Member member, Set<Integer> reported, Set<Integer> target, int targetEpoch,
                       Set<Integer> heldByOthers) {
        if (!member.revoking().isEmpty()
                && (reported == null || member.revoking().stream().anyMatch(reported::contains))) {
            return member;
        }
        Set<Integer> kept = new HashSet<>();
        Set<Integer> lost = new HashSet<>();
        for (int partition : member.owned()) {
            (target.contains(partition) ? kept : lost).add(partition);
        }
        if (!lost.isEmpty()) {
            return new Member(member.epoch(), kept, lost);
        }
        for (int partition : target) {
            if (!heldByOthers.contains(partition)) {
                kept.add(partition);
            }
        }
        return new Member(targetEpoch, kept, Set.of());
    }
}
