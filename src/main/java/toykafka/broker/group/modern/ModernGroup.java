package toykafka.broker.group.modern;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.ListedGroup;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * What the groups of Kafka's newer protocols share (Kafka's {@code ModernGroup}): consumer groups (KIP-848), share
 * groups (KIP-932) and streams groups (KIP-1071). No join barrier, no leader: a change in who is in the group or what
 * it reads moves the <em>group epoch</em> on; the broker's assignor computes every member's target at that epoch, the
 * <em>assignment epoch</em>; and each member heartbeats on its own. One silent past its session, or slow to give up
 * what it was asked to, is fenced. A member is a value: each change puts the next one in the old one's place.
 *
 * @param <M> its members
 * @param <A> a member's target: partitions, or a streams member's tasks
 */
public abstract class ModernGroup<M extends ModernGroupMember, A> extends Group {

    /**
     * A new group's epoch, and its targets' (Kafka's {@code TargetAssignmentMetadata.INITIAL}), as Kafka 4.3 starts
     * them: the first member's heartbeat moves the group to 2, and the member is answered at 2 once the targets are
     * worked out (a streams group's initial delay keeps its members at the targets' 1 until then).
     */
    public static final int INITIAL_EPOCH = 1;

    /**
     * The members by id, in the order they came. A change to a member's bytes or deadline goes through {@link #put}
     * and {@link #drop}, which keep count of them.
     */
    protected final Map<String, M> members = new LinkedHashMap<>();
    /** Each member's target at the assignment epoch. */
    protected final Map<String, A> targets = new HashMap<>();
    private final int maxSize;
    private int sessionTimeoutMs;
    /** What the members take in the coordinator's memory: kept as they come, change and go. */
    private long membersBytes;
    /** No member's session or rebalance timeout runs out before this: the clock need not look at them all till then. */
    private Instant nextExpiryCheck = Instant.MIN;
    private int groupEpoch = INITIAL_EPOCH;
    private int assignmentEpoch = INITIAL_EPOCH;
    /** Whether the epoch ever moved, or a replay gave it: a group no member ever joined has nothing to keep. */
    private boolean formed;
    private boolean dead;

    /** @param offsets the group's own, or those of the group whose id it takes over */
    protected ModernGroup(String groupId, CoordinatorMemory memory, GroupOffsets offsets, int maxSize,
                          int sessionTimeoutMs) {
        super(groupId, memory, offsets);
        this.maxSize = maxSize;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    public final int groupEpoch() {
        return groupEpoch;
    }

    /** The epoch of the targets: behind the group epoch until the assignor has run. */
    public final int assignmentEpoch() {
        return assignmentEpoch;
    }

    /** Who is in the group, what it reads or the topics changed: the targets must be computed again. */
    protected final void bumpGroupEpoch() {
        groupEpoch++;
        formed = true;
    }

    protected final void setGroupEpoch(int epoch) {
        groupEpoch = epoch;
        formed = true;
    }

    /** Whether a member ever joined the group, or a replay brought it back: else the offsets topic holds none of it. */
    protected final boolean formed() {
        return formed;
    }

    protected final void setAssignmentEpoch(int epoch) {
        assignmentEpoch = epoch;
    }

    /** The session timeout in force for the group from now on; a new one has the clock look at every member again. */
    protected final void setSessionTimeoutMs(int timeoutMs) {
        if (timeoutMs != sessionTimeoutMs) {
            sessionTimeoutMs = timeoutMs;
            nextExpiryCheck = Instant.MIN;
        }
    }

    /** Puts a member in (or in place of its older self), keeping the group's byte count and next expiry right. */
    public final void put(M member) {
        M old = members.put(member.memberId(), member);
        touched(member.memberId());
        membersBytes += member.bytes() - (old == null ? 0 : old.bytes());
        Instant expiry = expiryOf(member);
        if (expiry.isBefore(nextExpiryCheck)) {
            nextExpiryCheck = expiry;
        }
    }

    /** Takes a member out, and nothing else: {@link #remove} is the member's going, with what it moves. */
    protected final void drop(String memberId) {
        M old = members.remove(memberId);
        touched(memberId);
        membersBytes -= old == null ? 0 : old.bytes();
    }

    /** A member, or its target, was put in or taken out: for a group that keeps its members elsewhere too. */
    protected void touched(String memberId) {
    }

    /** The member goes (it left, or was fenced): what it had is free, and the group's epoch moves on. */
    protected abstract void remove(M member);

    /** The member with this id, or null. */
    public final M member(String memberId) {
        return members.get(memberId);
    }

    /** The static member with this instance id, or null. */
    public final M staticMember(String instanceId) {
        return members.values().stream().filter(member -> instanceId.equals(member.instanceId())).findFirst()
                .orElse(null);
    }

    public final List<M> members() {
        return List.copyOf(members.values());
    }

    public final int size() {
        return members.size();
    }

    /** GROUP_MAX_SIZE_REACHED if the group has no room for one more member, else null. */
    protected final HeartbeatRefusal fullRefusal() {
        return members.size() < maxSize ? null : new HeartbeatRefusal(Errors.GROUP_MAX_SIZE_REACHED, "The " + type()
                + " group has reached its maximum capacity of " + maxSize + " members.");
    }

    protected final HeartbeatRefusal unknownMember(String memberId) {
        return new HeartbeatRefusal(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group "
                + groupId() + ".");
    }

    /** FENCED_MEMBER_EPOCH: the member sent an epoch it does not have, and must give up everything and join again. */
    protected final HeartbeatRefusal fencedEpoch(int sent, int known) {
        return new HeartbeatRefusal(Errors.FENCED_MEMBER_EPOCH, "The " + type() + " group member has a "
                + (sent > known ? "greater" : "smaller") + " member epoch (" + sent + ") than the one known by the"
                + " group coordinator (" + known + "). The member must abandon all its partitions and rejoin.");
    }

    /** UNRELEASED_INSTANCE_ID: a second instance may not join while the instance id's holder has not left. */
    protected static HeartbeatRefusal unreleased(String memberId, String instanceId, ModernGroupMember holder) {
        return new HeartbeatRefusal(Errors.UNRELEASED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                + instanceId + " cannot join the group because the instance id is owned by " + holder.memberId()
                + " member.");
    }

    // tag::static[]
    /**
     * A static member's next instance takes the place of the old one, which left for a moment (epoch -2): the same
     * epoch, assignment and target under the new member id, and no new group epoch, so no other member notices.
     */
    protected final M replaceStatic(M old, M next) {
        drop(old.memberId());
        put(next);
        A target = targets.remove(old.memberId());
        if (target != null) {
            targets.put(next.memberId(), target);
        }
        return next;
    }

    /**
     * A leave, or why not: epoch -1 removes the member, and what it had goes to the others; a static member's -2
     * keeps it, with what it has, until its next instance takes its place or its session runs out.
     *
     * @param away for a static member's leave for a moment, the member as it waits for its next instance; null for
     *             a leave
     */
    protected final HeartbeatRefusal leave(String memberId, String instanceId, UnaryOperator<M> away) {
        if (instanceId != null) {
            M holder = staticMember(instanceId);
            if (holder == null) {
                return new HeartbeatRefusal(Errors.UNKNOWN_MEMBER_ID, "Instance id " + instanceId + " is unknown.");
            }
            if (!holder.memberId().equals(memberId)) {
                return new HeartbeatRefusal(Errors.FENCED_INSTANCE_ID, "Static member " + memberId
                        + " with instance id " + instanceId + " was fenced by member " + holder.memberId() + ".");
            }
        }
        M member = members.get(memberId);
        if (member == null) {
            return unknownMember(memberId);
        }
        if (away != null) {
            put(away.apply(member));
        } else {
            remove(member);
        }
        return null;
    }
    // end::static[]

    /** When the member is fenced unless heard from, or unless it gives up what it must, whichever comes first. */
    private Instant expiryOf(M member) {
        Instant silent = member.lastHeard().plusMillis(member.sessionTimeoutMs(sessionTimeoutMs));
        return member.revokeBy() != null && member.revokeBy().isBefore(silent) ? member.revokeBy() : silent;
    }

    /**
     * What the clock decides: a member silent past its session timeout, or one that has not given up what it must
     * within its rebalance timeout, is fenced: removed, what it had free for the others.
     */
    @Override
    public void tick(Instant now, List<Runnable> replies) {
        if (!now.isAfter(nextExpiryCheck)) {
            return; // every request ticks the clock: only look at each member when one may have run out
        }
        Instant next = Instant.MAX;
        for (M member : List.copyOf(members.values())) {
            Instant expiry = expiryOf(member);
            if (now.isAfter(expiry)) {
                remove(member);
            } else if (expiry.isBefore(next)) {
                next = expiry;
            }
        }
        nextExpiryCheck = next;
    }

    /** The group's state as its describe and ListGroups say it. */
    public abstract String state();

    /**
     * Kafka's state of a group with members that moves them towards targets: Assigning while the targets lag the
     * group epoch (or {@code assigning} says so), Reconciling while a member is not at its target, else Stable.
     */
    protected final String reconciliationState(boolean assigning) {
        if (groupEpoch > assignmentEpoch || assigning) {
            return "Assigning";
        }
        // a static member away (epoch -2) is not at the target either: Reconciling until it is back, as in Kafka
        boolean reconciled = members.values().stream()
                .allMatch(member -> member.memberEpoch() == assignmentEpoch && member.stable());
        return reconciled ? "Stable" : "Reconciling";
    }

    /** The partitions (or tasks) the targets name, which the coordinator's memory counts beside the members. */
    protected abstract long targetedPartitions();

    @Override
    public final long memberBytes() {
        return membersBytes + CoordinatorMemory.PARTITION_BYTES * targetedPartitions();
    }

    @Override
    public final boolean dead() {
        return dead;
    }

    @Override
    public final void markDeadState() {
        dead = true;
    }

    @Override
    public final boolean hasNoMembers() {
        return members.isEmpty();
    }

    @Override
    public final Errors deletable() {
        return dead ? Errors.GROUP_ID_NOT_FOUND : members.isEmpty() ? Errors.NONE : Errors.NON_EMPTY_GROUP;
    }

    @Override
    public final Optional<ListedGroup> listedIn(Set<String> states) {
        String state = state();
        return dead || !listed(state, states) ? Optional.empty()
                : Optional.of(new ListedGroup(groupId(), type(), state, type()));
    }

    /** Whether ListGroups' filter takes the group's state: by its name, in any case. */
    protected boolean listed(String state, Set<String> states) {
        return wanted(state, states);
    }

    /**
     * Kafka's rule for the groups that commit: an offset of a topic no member reads expires the retention after it
     * was committed, whether or not the group has members.
     */
    @Override
    public List<TopicPartition> expiredOffsets(Instant now, Duration retention) {
        Set<String> read = subscribedTopics();
        return offsets().olderThan(retention, now, now).stream()
                .filter(partition -> !read.contains(partition.topic())).toList();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + groupId() + ", " + state() + ", epoch " + groupEpoch + ", members "
                + members.keySet() + "]";
    }
}
