package toykafka.broker.group.classic;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The members of a new generation that have not asked for their assignment yet, and until when they may (Kafka's
 * pending-sync timeout): a member that never syncs, the leader above all, would otherwise hold the group in
 * CompletingRebalance for good. Guarded by its group's lock.
 */
final class PendingSyncs {

    private final Set<String> memberIds = new HashSet<>();
    private Instant deadline;

    /** A generation begins: every member owes a sync before the deadline. */
    void start(List<String> members, Instant until) {
        memberIds.clear();
        memberIds.addAll(members);
        deadline = until;
    }

    /** A rebalance began again: nobody owes anything to the old generation. */
    void clear() {
        memberIds.clear();
        deadline = null;
    }

    /** The member synced, or left. */
    void done(String memberId) {
        memberIds.remove(memberId);
    }

    /** A static member's new id owes what its old id owed. */
    void renamed(String oldId, String newId) {
        if (memberIds.remove(oldId)) {
            memberIds.add(newId);
        }
    }

    /** Once the deadline has passed: the members that never synced, now forgotten here; else none. */
    List<String> overdue(Instant now) {
        if (deadline == null || now.isBefore(deadline)) {
            return List.of();
        }
        List<String> overdue = List.copyOf(memberIds);
        clear();
        return overdue;
    }
}
