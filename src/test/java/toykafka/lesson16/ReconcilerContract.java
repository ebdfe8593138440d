package toykafka.lesson16;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation rules of Kafka 4's consumer groups, for every {@link Reconciler}: the lesson's
 * {@link CurrentAssignment}, which runs the broker's own rule, and the learner's class ({@code ./toykafka check 16}).
 * Each case is one heartbeat of one member, on one topic's partitions.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ReconcilerContract {

    protected abstract Reconciler newReconciler();

    private static Reconciler.Member member(int epoch, Set<Integer> owned, Set<Integer> revoking) {
        return new Reconciler.Member(epoch, owned, revoking);
    }

    @Test
    void a_joining_member_takes_its_whole_target_at_the_target_epoch_when_no_one_holds_it() {
        Reconciler.Member next = newReconciler().next(member(0, Set.of(), Set.of()), Set.of(), Set.of(0, 1, 2), 1,
                Set.of());
        assertEquals(member(1, Set.of(0, 1, 2), Set.of()), next);
    }

    @Test
    void a_member_gives_up_what_its_target_lost_first_and_its_epoch_waits() {
        Reconciler.Member next = newReconciler().next(member(1, Set.of(0, 1, 2, 3), Set.of()), Set.of(0, 1, 2, 3),
                Set.of(0, 1), 2, Set.of());
        assertEquals(member(1, Set.of(0, 1), Set.of(2, 3)), next, "it keeps 0 and 1, gives up 2 and 3, at epoch 1");
    }

    @Test
    void it_gives_up_before_it_takes_even_when_its_target_also_gained_partitions() {
        Reconciler.Member next = newReconciler().next(member(1, Set.of(0, 1, 2), Set.of()), Set.of(0, 1, 2),
                Set.of(0, 4), 2, Set.of());
        assertEquals(member(1, Set.of(0), Set.of(1, 2)), next, "4 comes only once 1 and 2 are given up");
    }

    @Test
    void until_a_heartbeat_says_it_let_them_go_nothing_changes() {
        Reconciler.Member giving = member(1, Set.of(0, 1), Set.of(2, 3));
        Reconciler reconciler = newReconciler();
        assertEquals(giving, reconciler.next(giving, null, Set.of(0, 1), 2, Set.of()), "it did not say");
        assertEquals(giving, reconciler.next(giving, Set.of(0, 1, 3), Set.of(0, 1), 2, Set.of()), "it still has 3");
    }

    @Test
    @DisplayName("once it let them go, its epoch moves to the target's")
    void once_it_let_them_go_its_epoch_moves_to_the_targets() {
        Reconciler.Member next = newReconciler().next(member(1, Set.of(0, 1), Set.of(2, 3)), Set.of(0, 1),
                Set.of(0, 1), 2, Set.of());
        assertEquals(member(2, Set.of(0, 1), Set.of()), next);
    }

    @Test
    void a_partition_another_member_still_holds_is_withheld_while_the_epoch_moves_on() {
        Reconciler.Member next = newReconciler().next(member(1, Set.of(), Set.of()), Set.of(), Set.of(2, 3), 2,
                Set.of(3));
        assertEquals(member(2, Set.of(2), Set.of()), next, "3 is still someone else's: never two owners");
        Reconciler.Member later = newReconciler().next(next, Set.of(2), Set.of(2, 3), 2, Set.of());
        assertEquals(member(2, Set.of(2, 3), Set.of()), later, "once released, 3 comes at the next heartbeat");
    }

    @Test
    void a_member_at_its_target_stays_as_it_is() {
        Reconciler.Member stable = member(3, Set.of(4, 5), Set.of());
        assertEquals(stable, newReconciler().next(stable, Set.of(4, 5), Set.of(4, 5), 3, Set.of(0, 1, 2, 3)));
        assertEquals(stable, newReconciler().next(stable, null, Set.of(4, 5), 3, Set.of(0, 1, 2, 3)),
                "a heartbeat that says nothing changes nothing");
    }

    @Test
    void a_member_whose_target_is_empty_gives_everything_up() {
        Reconciler.Member next = newReconciler().next(member(2, Set.of(0, 1), Set.of()), Set.of(0, 1), Set.of(), 3,
                Set.of());
        assertEquals(member(2, Set.of(), Set.of(0, 1)), next);
    }

    @Test
    void in_a_group_of_three_members_no_partition_ever_has_two_owners() {
        // anna owns all six; ben and cleo join: the target splits the topic, and each heartbeat takes a step
        Reconciler reconciler = newReconciler();
        List<Set<Integer>> targets = List.of(Set.of(0, 1), Set.of(2, 3), Set.of(4, 5));
        Reconciler.Member[] members = {member(1, Set.of(0, 1, 2, 3, 4, 5), Set.of()), member(0, Set.of(), Set.of()),
                member(0, Set.of(), Set.of())};
        for (int round = 0; round < 4; round++) {
            for (int i : new int[] {1, 2, 0}) { // the newcomers beat before anna: they find her still holding
                Set<Integer> others = new HashSet<>();
                for (int j = 0; j < 3; j++) {
                    if (j != i) {
                        others.addAll(members[j].owned());
                        others.addAll(members[j].revoking());
                    }
                }
                members[i] = reconciler.next(members[i], members[i].owned(), targets.get(i), 2, others);
                Set<Integer> seen = new HashSet<>();
                for (Reconciler.Member each : members) {
                    for (int partition : each.owned()) {
                        assertTrue(seen.add(partition), "partition " + partition + " owned twice in round " + round);
                    }
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(member(2, targets.get(i), Set.of()), members[i], "member " + i + " reached its target");
        }
    }
}
