package toykafka.broker.group;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import toykafka.common.Errors;

/**
 * Makes room in the coordinator's memory for a request that does not fit, before it is refused, out of state
 * nobody can read back: groups with no members and no offsets held in an open transaction, whose committed offsets
 * were all charged to an owner at its share that is none of the request's own (a flood's junk groups). They are
 * deleted oldest first, as DeleteGroups deletes a group, tombstones and all, so they stay deleted after a restart.
 * Without it, the flood's junk, kept for the offsets' retention, would keep its share, and the address it shares
 * with others, full for days. The flooder itself is never made room for: its own junk is not given back to it.
 */
final class MemoryReclaimer {

    private final GroupRegistry groups;
    private final OffsetStore store;
    private final CoordinatorMemory memory;
    private final PendingTransactionalOffsets pending;
    private final Consumer<String> events;

    MemoryReclaimer(GroupRegistry groups, OffsetStore store, CoordinatorMemory memory,
                    PendingTransactionalOffsets pending, Consumer<String> events) {
        this.groups = groups;
        this.store = store;
        this.memory = memory;
        this.pending = pending;
        this.events = events;
    }

    private record Junk(Group group, Owner chargedTo, Instant lastCommitted) {
    }

    /**
     * Deletes such groups until {@code growth} for {@code owners} fits, or none is left; returns how many it deleted.
     * Called with no group's lock held: it takes each group's in turn, never two at once.
     */
    int makeRoom(long growth, Owners owners, String forWhat) {
        List<Owner> flooders = memory.shares().atShare().stream().filter(owner -> !owners.contains(owner)).toList();
        if (flooders.isEmpty() || memory.admits(growth, owners)) {
            return 0;
        }
        int deleted = 0;
        for (Junk junk : junk(flooders)) {
            if (memory.admits(growth, owners)) {
                break;
            }
            Group group = junk.group();
            synchronized (group) {
                if (!stillJunk(group) || !group.offsets().allChargedTo(junk.chargedTo())) {
                    continue; // a member or a commit came since
                }
                store.delete(group.groupId(), group.offsets().partitions()); // durable first, as DeleteGroups
                groups.drop(group);
            }
            deleted++;
            events.accept("group " + group.groupId() + " is deleted to make room for " + forWhat + ": it had no"
                    + " members and its offsets were all committed by " + junk.chargedTo() + ", which is at its"
                    + " share of the coordinator's memory");
        }
        return deleted;
    }

    /** The groups whose offsets were all charged to one of {@code flooders}, oldest commit first. */
    private List<Junk> junk(List<Owner> flooders) {
        List<Junk> found = new ArrayList<>();
        for (Group group : groups.all()) {
            synchronized (group) {
                if (stillJunk(group)) {
                    flooders.stream().filter(group.offsets()::allChargedTo).findFirst().ifPresent(owner ->
                            found.add(new Junk(group, owner, group.offsets().lastCommitted(Instant.MIN))));
                }
            }
        }
        found.sort(Comparator.comparing(Junk::lastCommitted));
        return found;
    }

    private boolean stillJunk(Group group) {
        return !group.dead() && group.hasNoMembers() && group.deletable() == Errors.NONE
                && !pending.holdsAny(group.groupId());
    }
}
