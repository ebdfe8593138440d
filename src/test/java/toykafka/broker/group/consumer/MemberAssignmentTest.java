package toykafka.broker.group.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicId;

/**
 * What lesson 16's one-topic contract cannot see of the broker's rule: several topics at once, the member's state and
 * previous epoch, and the member as a value whose next step is another value.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MemberAssignmentTest {

    private static final TopicId ORDERS = new TopicId(1, 1);
    private static final TopicId MENUS = new TopicId(2, 2);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void what_one_topic_gives_up_holds_back_what_another_gains() {
        MemberAssignment owning = new MemberAssignment(1, 0, MemberAssignment.State.STABLE,
                Map.of(ORDERS, Set.of(0, 1)), Map.of());
        Map<TopicId, Set<Integer>> target = Map.of(ORDERS, Set.of(0), MENUS, Set.of(0, 1));

        MemberAssignment giving = owning.next(Map.of(ORDERS, Set.of(0, 1)), target, 2, (topic, partition) -> false);
        assertEquals(new MemberAssignment(1, 0, MemberAssignment.State.UNREVOKED_PARTITIONS,
                Map.of(ORDERS, Set.of(0)), Map.of(ORDERS, Set.of(1))), giving, "menus waits for orders-1 to go");

        MemberAssignment taking = giving.next(Map.of(ORDERS, Set.of(0)), target, 2, (topic, partition) -> false);
        assertEquals(new MemberAssignment(2, 1, MemberAssignment.State.STABLE, target, Map.of(),
                new AssignmentEpochs(Map.of(ORDERS, Map.of(0, 1), MENUS, Map.of(0, 2, 1, 2)))), taking,
                "orders-0 is held since epoch 1; menus came at 2");
    }

    /**
     * Kafka's {@code CurrentAssignmentBuilder} asks a member to give partitions up only if it says it owns one of them
     * (or says nothing): a classic consumer of the eager protocol gave everything up before it joined again, and moves
     * to the target's epoch in that one join.
     */
    @Test
    void a_member_that_says_it_owns_none_of_what_it_gives_up_is_not_asked_to_and_moves_on_at_once() {
        MemberAssignment owning = new MemberAssignment(1, 1, MemberAssignment.State.STABLE,
                Map.of(ORDERS, Set.of(0, 1, 2)), Map.of());
        Map<TopicId, Set<Integer>> target = Map.of(ORDERS, Set.of(0));

        assertEquals(new MemberAssignment(2, 1, MemberAssignment.State.STABLE, target, Map.of(),
                new AssignmentEpochs(Map.of(ORDERS, Map.of(0, 1)))),
                owning.next(Map.of(), target, 2, (topic, partition) -> false), "it owns nothing now");
        assertEquals(MemberAssignment.State.UNREVOKED_PARTITIONS, owning.next(null, target, 2,
                (topic, partition) -> false).state(), "a heartbeat that does not say must give them up first");
        assertEquals(MemberAssignment.State.UNREVOKED_PARTITIONS, owning.next(Map.of(ORDERS, Set.of(2)), target, 2,
                (topic, partition) -> false).state(), "one that still owns one must too");
    }

    /** Kafka 4.3's assignment epoch per partition, kept through a revocation, a withheld partition and a leave. */
    @Test
    void each_partition_keeps_the_epoch_it_was_given_at_until_the_member_lets_it_go() {
        MemberAssignment joined = MemberAssignment.JOINING.next(Map.of(), Map.of(ORDERS, Set.of(0, 1)), 3,
                (topic, partition) -> partition == 1);
        assertEquals(3, joined.epochs().epochOf(ORDERS, 0));
        assertNull(joined.epochs().epochOf(ORDERS, 1), "withheld: not the member's yet");
        MemberAssignment released = joined.next(null, Map.of(ORDERS, Set.of(0, 1)), 3, (topic, partition) -> false);
        assertEquals(3, released.epochs().epochOf(ORDERS, 1), "taken later, at the target's epoch");

        MemberAssignment giving = released.next(Map.of(ORDERS, Set.of(0, 1)), Map.of(ORDERS, Set.of(0)), 5,
                (topic, partition) -> false);
        assertEquals(new AssignmentEpochs(Map.of(ORDERS, Map.of(0, 3, 1, 3))), giving.epochs(),
                "a partition being given up keeps its epoch, so a commit for it before the member let go counts");
        MemberAssignment given = giving.next(Map.of(ORDERS, Set.of(0)), Map.of(ORDERS, Set.of(0, 2)), 5,
                (topic, partition) -> false);
        assertEquals(new AssignmentEpochs(Map.of(ORDERS, Map.of(0, 3, 2, 5))), given.epochs());
        assertEquals(new AssignmentEpochs(Map.of(ORDERS, Map.of(0, 0, 2, 0))), given.away().epochs(),
                "a static member's leave gives its partitions to its next instance as at epoch 0, as Kafka does");

        assertTrue(given.epochs().admitsOlder(3, ORDERS, 0), "held since 3: a commit at 3 counts");
        assertFalse(given.epochs().admitsOlder(4, ORDERS, 1), "lost at 5: a zombie's commit does not");
        assertFalse(given.epochs().admitsOlder(4, ORDERS, 2), "got only at 5");
        assertFalse(given.epochs().admitsOlder(4, null, 0), "a topic the broker does not have");
    }

    @Test
    void a_partition_withheld_leaves_the_member_waiting_for_it_at_the_new_epoch() {
        MemberAssignment joined = MemberAssignment.JOINING.next(Map.of(), Map.of(ORDERS, Set.of(0, 1)), 3,
                (topic, partition) -> partition == 1);
        assertEquals(new MemberAssignment(3, 0, MemberAssignment.State.UNRELEASED_PARTITIONS,
                Map.of(ORDERS, Set.of(0)), Map.of()), joined);
        MemberAssignment released = joined.next(null, Map.of(ORDERS, Set.of(0, 1)), 3, (topic, partition) -> false);
        assertEquals(new MemberAssignment(3, 0, MemberAssignment.State.STABLE, Map.of(ORDERS, Set.of(0, 1)),
                Map.of()), released, "the previous epoch moves only with the epoch");
    }

    @Test
    void a_member_that_may_not_move_is_returned_itself() {
        MemberAssignment stable = new MemberAssignment(4, 3, MemberAssignment.State.STABLE,
                Map.of(ORDERS, Set.of(0)), Map.of());
        assertSame(stable, stable.next(null, Map.of(ORDERS, Set.of(0)), 4, (topic, partition) -> false));
        MemberAssignment giving = new MemberAssignment(4, 3, MemberAssignment.State.UNREVOKED_PARTITIONS,
                Map.of(), Map.of(ORDERS, Set.of(0)));
        assertSame(giving, giving.next(Map.of(ORDERS, Set.of(0)), Map.of(), 5, (topic, partition) -> false));
    }

    @Test
    void a_member_cannot_be_changed_in_place() {
        MemberAssignment stable = new MemberAssignment(1, 0, MemberAssignment.State.STABLE,
                Map.of(ORDERS, Set.of(0)), Map.of(MENUS, Set.of()));
        assertThrows(UnsupportedOperationException.class, () -> stable.assigned().get(ORDERS).add(1));
        assertEquals(Map.of(), stable.revoking(), "no topic is kept with nothing in it");
    }

    @Test
    void a_step_into_giving_up_starts_the_rebalance_timeout_and_letting_go_ends_it() {
        ConsumerGroupMember member = ConsumerGroupMember.joining("anna", NOW).heard(new ConsumerGroupHeartbeat.Request(
                "kitchen", "anna", 0, null, null, 30_000, List.of("orders"), null, Map.of(), "anna", "/127.0.0.1"),
                NOW);
        ConsumerGroupMember owning = member.reconciled(Map.of(), Map.of(ORDERS, Set.of(0, 1)), 1,
                (topic, partition) -> false, NOW);
        assertNull(owning.revokeBy());

        ConsumerGroupMember giving = owning.reconciled(null, Map.of(ORDERS, Set.of(0)), 2,
                (topic, partition) -> false, NOW);
        assertEquals(NOW.plusMillis(30_000), giving.revokeBy());
        assertSame(giving, giving.reconciled(null, Map.of(ORDERS, Set.of(0)), 2, (topic, partition) -> false,
                NOW.plusSeconds(5)), "waiting keeps the member, and its timeout, as they were");

        ConsumerGroupMember done = giving.reconciled(Map.of(ORDERS, Set.of(0)), Map.of(ORDERS, Set.of(0)), 2,
                (topic, partition) -> false, NOW.plusSeconds(6));
        assertNull(done.revokeBy());
        assertEquals(2, done.memberEpoch());
        assertEquals(1, owning.memberEpoch(), "each step is a new member; the old one is as it was");
    }
}
