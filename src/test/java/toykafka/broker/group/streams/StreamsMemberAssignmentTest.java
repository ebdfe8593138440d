package toykafka.broker.group.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A streams member's reconciliation: tasks of every kind are given up before any is taken, the epoch waits until the
 * member says it gave them up, and a task another member still holds comes later.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsMemberAssignmentTest {

    private static final StreamsMemberAssignment.Holds NOBODY = (kind, sub, partition) -> false;

    private static StreamsTasks tasks(Map<String, List<Integer>> active, Map<String, List<Integer>> standby) {
        return StreamsTasks.of(active, standby, Map.of());
    }

    @Test
    void a_joining_member_takes_its_target_at_the_target_epoch() {
        StreamsTasks target = tasks(Map.of("0", List.of(0, 1)), Map.of("1", List.of(0)));
        StreamsMemberAssignment next = StreamsMemberAssignment.JOINING.next(StreamsTasks.NONE, target, 3, NOBODY);
        assertEquals(3, next.memberEpoch());
        assertEquals(StreamsMemberAssignment.State.STABLE, next.state());
        assertEquals(target, next.assigned());
        assertEquals(3, next.activeEpoch("0", 1), "an active task is its own from the epoch it came at");
    }

    @Test
    void a_standby_task_to_give_up_holds_the_epoch_until_the_member_says_it_did() {
        StreamsMemberAssignment stable = StreamsMemberAssignment.JOINING.next(StreamsTasks.NONE,
                tasks(Map.of("0", List.of(0)), Map.of("0", List.of(1))), 1, NOBODY);
        StreamsTasks target = tasks(Map.of("0", List.of(0, 2)), Map.of());
        StreamsMemberAssignment revoking = stable.next(stable.assigned(), target, 2, NOBODY);
        assertEquals(StreamsMemberAssignment.State.UNREVOKED_TASKS, revoking.state());
        assertEquals(1, revoking.memberEpoch(), "its epoch waits");
        assertEquals(new TreeSet<>(List.of(1)), revoking.revoking().standby().get("0"));
        assertEquals(Map.of(), revoking.assigned().standby());

        assertSame(revoking, revoking.next(stable.assigned(), target, 2, NOBODY), "it still runs the standby");
        assertSame(revoking, revoking.next(null, target, 2, NOBODY), "a heartbeat that does not say changes nothing");
        StreamsMemberAssignment done = revoking.next(revoking.assigned(), target, 2, NOBODY);
        assertEquals(2, done.memberEpoch());
        assertEquals(1, done.previousMemberEpoch());
        assertEquals(new TreeSet<>(List.of(0, 2)), done.assigned().active().get("0"));
        assertEquals(1, done.activeEpoch("0", 0), "a task it kept keeps the epoch it came at");
        assertEquals(2, done.activeEpoch("0", 2));
    }

    @Test
    void an_active_task_another_member_still_runs_comes_at_a_later_heartbeat() {
        StreamsTasks target = tasks(Map.of("0", List.of(0, 1)), Map.of());
        StreamsMemberAssignment.Holds zeroHeld = (kind, sub, partition) -> kind == StreamsTasks.Kind.ACTIVE
                && partition == 0;
        StreamsMemberAssignment waiting = StreamsMemberAssignment.JOINING.next(StreamsTasks.NONE, target, 4, zeroHeld);
        assertEquals(StreamsMemberAssignment.State.UNRELEASED_TASKS, waiting.state());
        assertEquals(4, waiting.memberEpoch(), "it is at the target epoch, without the task held elsewhere");
        assertEquals(new TreeSet<>(List.of(1)), waiting.assigned().active().get("0"));
        StreamsMemberAssignment released = waiting.next(waiting.assigned(), target, 4, NOBODY);
        assertEquals(StreamsMemberAssignment.State.STABLE, released.state());
        assertEquals(target, released.assigned());
    }
}
