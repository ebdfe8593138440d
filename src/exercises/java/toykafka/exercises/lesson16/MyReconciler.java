package toykafka.exercises.lesson16;

import java.util.Set;
import toykafka.lesson16.Reconciler;

/**
 * Exercise for lesson 16: one member's next step towards its target, as the coordinator takes it at a heartbeat.
 * Check your work with {@code ./toykafka check 16}; ask for help with {@code ./toykafka hint 16}.
 * Read the lesson with its code in place: {@code ./toykafka read 16} (add a section's name for one section).
 */
public class MyReconciler implements Reconciler {

    @Override
    public Member next(Member member, Set<Integer> reported, Set<Integer> target, int targetEpoch,
                       Set<Integer> heldByOthers) {
        throw new UnsupportedOperationException(
                "next() is yours to write: see section \"Reconciliation\" (./toykafka read 16 reconciliation)");
    }
}
