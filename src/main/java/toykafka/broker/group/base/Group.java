package toykafka.broker.group.base;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * What the coordinator keeps under a group id, whichever protocol its members speak (Kafka's {@code Group}): a
 * {@code ClassicGroup} of JoinGroup and SyncGroup, a {@code ConsumerGroup} of Kafka 4's heartbeats, a
 * {@code StreamsGroup} of Kafka Streams' own heartbeats, or a {@code ShareGroup} whose members share partitions. One id names one group of one type; a classic or consumer group
 * with no members gives its id, and its committed offsets, to a group of the other type when a member of that protocol
 * arrives, and an empty classic group gives its id to a streams group. Every method runs under the group's lock.
 */
public abstract class Group {

    /**
     * The longest group id, member id prefix and instance id the coordinator takes. Kafka sets no limit; 255 is a
     * little over a topic name's 249, so {@code consumer-<group>-1} ids stay readable in every listing.
     */
    public static final int MAX_NAME_LENGTH = 255;
    /**
     * The client host of a member that lives in the broker's own process (a REST Proxy instance): it dies with the
     * broker, so a restart does not bring it back, where a client of its own process may still be there.
     */
    public static final String IN_PROCESS_HOST = "in-process";

    private final String groupId;
    private final GroupOffsets offsets;
    private final GroupFootprint footprint;
    /** Set once the group holds anything: see {@link #everUsed()}. */
    private boolean everUsed;

    /** @param offsets the group's own, or those of the group of the other type whose id it takes over */
    public Group(String groupId, CoordinatorMemory memory, GroupOffsets offsets) {
        this.groupId = groupId;
        this.offsets = offsets;
        this.footprint = new GroupFootprint(memory, groupId);
        this.everUsed = !offsets.isEmpty();
    }

    public final String groupId() {
        return groupId;
    }

    /** The offsets in force; the coordinator changes them only after the store has. */
    public final GroupOffsets offsets() {
        return offsets;
    }

    /** The type ListGroups v5 answers and filters by: {@code classic}, {@code consumer} or {@code streams}. */
    public abstract String type();

    /** Deleted, or given to a group of the other type, since a call looked it up: that call looks it up again. */
    public abstract boolean dead();

    /** Marks the group dead; a call that still holds it is told so. */
    public abstract void markDeadState();

    /** The group is deleted (it has no members by then), with its offsets. */
    public final void markDead() {
        markDeadState();
        offsets.clear();
        settleMemory();
    }

    /** The group gives its id to a group of the other type, which takes its offsets on. */
    public final void retire() {
        markDeadState();
        footprint.release();
    }

    /**
     * Writes what a call changed of the group's membership to the offsets topic, under its lock, before the answers
     * the change brings are sent; a write that fails is told to {@code events} and tried again at the next call. A
     * type whose membership the topic does not keep writes nothing.
     */
    public void keep(Instant now, Consumer<String> events) {
    }

    /** Writes the tombstones of all the offsets topic keeps of the group's membership: it is deleted, or replaced. */
    public void forget() {
    }

    /** No member, and none on the way: a member of the other protocol may take the id over. */
    public abstract boolean hasNoMembers();

    /** Nothing in it: no member, none on the way, no offset. The cleanup drops such a group, as Kafka's does. */
    public final boolean unused() {
        return hasNoMembers() && offsets.isEmpty();
    }

    /**
     * Whether the id stays this group's while it is empty: a classic or consumer group with no members gives its id
     * to a member of the other protocol, and an empty classic group to a streams group; a streams or share group
     * keeps it, as in Kafka.
     */
    public boolean keepsItsId() {
        return false;
    }

    /**
     * Whether the cleanup drops the group once nothing is in it (Kafka's {@code shouldExpire}): every type but a share
     * group, which keeps its id while its share partitions remember what it read.
     */
    public boolean expires() {
        return true;
    }

    /** Whether the group ever held a member, an id handed out or an offset: one that never did was made for nothing. */
    public final boolean everUsed() {
        return everUsed;
    }

    /** What the clock decides: sessions that ran out, timeouts; answers and announcements go in {@code replies}. */
    public abstract void tick(Instant now, List<Runnable> replies);

    /** The bytes the members take now, and the ids handed out, as {@link CoordinatorMemory} estimates them. */
    public abstract long memberBytes();

    /** Tells the coordinator's memory what the group and its members take now, any growth charged to the group. */
    public final void settleMemory() {
        settleMemory(Owners.group(groupId));
    }

    /** Tells the coordinator's memory what the group and its members take now, growth charged to {@code causedBy}. */
    public final void settleMemory(Owners causedBy) {
        everUsed |= !unused();
        if (dead() || unused()) { // a group with nothing in it is counted from its first member or offset, to them
            footprint.release();
        } else {
            footprint.settle(memberBytes(), causedBy);
        }
    }

    /** What the group itself would add to the coordinator's memory: nothing, unless a call is making it now. */
    public final long bytesIfMade() {
        return footprint.ifMade();
    }

    /** Whether a commit may be taken: the group's fence for its members, or NONE. */
    public abstract Errors admitCommit(OffsetCommitRequest request, Instant now);

    /** As {@link #admitCommit(OffsetCommitRequest, Instant)}, for a fence that must find a topic's id in the broker's. */
    public Errors admitCommit(OffsetCommitRequest request, Instant now, TopicLookup topics) {
        return admitCommit(request, now);
    }

    /** Whether a member may fetch the offsets (only a consumer group's members say who they are), or NONE. */
    public abstract Errors admitFetch(String memberId, int memberEpoch);

    /** The topics the group's members read: their offsets may not be deleted, nor expire. */
    public abstract Set<String> subscribedTopics();

    /** The group as ListGroups shows it, if it is in one of these states (by Kafka's name, any case; any if none). */
    public abstract Optional<ListedGroup> listedIn(Set<String> states);

    /** Whether DeleteGroups may delete the group: only an empty one, and only once. */
    public abstract Errors deletable();

    /** The offsets whose retention ran out. */
    public abstract List<TopicPartition> expiredOffsets(Instant now, Duration retention);

    /** Whether a state's name, as a ListGroups filter gives it, is one of {@code states} (any case; any if none). */
    public static boolean wanted(String state, Set<String> states) {
        return states.isEmpty() || states.stream().anyMatch(state::equalsIgnoreCase);
    }
}
