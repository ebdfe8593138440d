package toykafka.broker.group.classic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;

/**
 * One group of the classic protocol as an explicit state machine (Kafka's {@code ClassicGroup}): its
 * members, generation, chosen protocol and leader, the join barrier, and its {@link GroupOffsets}. The group
 * decides what each request does to it and carries it out, a join's many cases in {@link ClassicJoins}; what the
 * offsets topic keeps of it is {@link KeptClassicGroup}'s. The {@code GroupCoordinator} holds the group's lock
 * around every call, brings the time, and sends the answers. Answers to waiting members are not sent here but
 * queued in {@code replies}, which the coordinator runs once the lock is released.
 */
public final class ClassicGroup extends Group {

    private GroupState state = GroupState.EMPTY;
    private int generation;
    private String protocolType;
    private String protocolName;
    private final ClassicMembers members = new ClassicMembers();
    /** When the group last became empty (or was made, or loaded at start): its offsets' retention runs from here. */
    private Instant emptySince;
    /** While PreparingRebalance: when the join barrier stops waiting for members that did not rejoin. */
    private Instant rebalanceDeadline;
    /** While an empty group's first rebalance waits for more members: until when (else null). */
    private Instant initialDelayUntil;
    /** Members of the generation that have not asked for their assignment yet, and until when they may. */
    private final PendingSyncs pendingSyncs = new PendingSyncs();

    private final GroupConfig config;
    private final Runnable rebalanceStarted;
    /** What the offsets topic holds of the group, so that a call writes only a change. */
    private final KeptClassicGroup inTopic;
    private final ClassicJoins joins;

    /** @param store where the group writes its generations, so that its members outlive the broker */
    public ClassicGroup(String groupId, GroupConfig config, CoordinatorMemory memory, ClassicGroupWriter store,
                        Runnable rebalanceStarted, Instant now) {
        this(groupId, config, memory, store, rebalanceStarted, now, new GroupOffsets(memory));
    }

    /** A group that takes over the id, and the offsets, of a consumer group left with no members. */
    public ClassicGroup(String groupId, GroupConfig config, CoordinatorMemory memory, ClassicGroupWriter store,
                        Runnable rebalanceStarted, Instant now, GroupOffsets offsets) {
        super(groupId, memory, offsets);
        this.config = config;
        this.rebalanceStarted = rebalanceStarted;
        this.emptySince = now;
        this.inTopic = new KeptClassicGroup(groupId, store);
        this.joins = new ClassicJoins(this, members, pendingSyncs, inTopic, config.maxSize());
    }

    /** Takes up a generation as the offsets topic kept it ({@link KeptClassicGroup#restored}): Stable, or Empty. */
    void resume(int keptGeneration, String keptProtocolType, String keptProtocolName, String leaderId,
                List<GroupMember> kept) {
        generation = keptGeneration;
        protocolType = keptProtocolType;
        protocolName = keptProtocolName;
        kept.forEach(members::add);
        members.lead(leaderId);
        state = members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
        inTopic.restored(keptGeneration);
    }

    /** The group as it stands if Stable or Empty, members and assignments; none while it rebalances. */
    public Optional<ClassicGroupSnapshot> settled(Instant now) {
        return inTopic.settled(state, protocolType, generation, protocolName, members, now);
    }

    // tag::as-it-stands[]
    /**
     * The group as a consumer group takes it over (Kafka's {@code ConsumerGroup.fromClassicGroup}), Stable or in the
     * middle of a rebalance alike: each member with the assignment it was last given, at the generation as it stands.
     * None before a first generation chose the group's protocol.
     */
    public Optional<ClassicGroupSnapshot> asItStands(Instant now) {
        if (protocolName == null || state == GroupState.DEAD) {
            return Optional.empty();
        }
        return Optional.of(new ClassicGroupSnapshot(groupId(), protocolType == null ? "" : protocolType, generation,
                protocolName, members.leaderId(), now.toEpochMilli(), members.kept(protocolName)));
    }

    /**
     * A consumer group takes the group's place: every join and sync still waiting is answered REBALANCE_IN_PROGRESS,
     * so that its member joins the consumer group instead (Kafka's {@code convertToConsumerGroup}). One rebalance, the
     * consumer group's, moves the members on, not the classic one first and the consumer group's after.
     */
    public void handOver(List<Runnable> replies) {
        for (GroupMember member : members.all()) {
            member.release(Errors.REBALANCE_IN_PROGRESS, replies);
            member.awaitingJoin = null;
            member.awaitingSync = null;
        }
    }
    // end::as-it-stands[]

    /** Writes the group if its generation changed since the offsets topic kept it ({@link KeptClassicGroup#keep}). */
    @Override
    public void keep(Instant now, Consumer<String> events) {
        inTopic.keep(generation, () -> settled(now), events);
    }

    @Override
    public void forget() {
        inTopic.forget();
    }

    @Override
    public String type() {
        return "classic";
    }

    @Override
    public boolean dead() {
        return state == GroupState.DEAD;
    }

    /**
     * What happens to a join ({@link ClassicJoins}): refused, or a first join, a static member's return, a join with
     * the id the group handed out, or one from a member the group has. The answer is queued in {@code replies}, at
     * once or when the join barrier opens.
     */
    public void join(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
              List<Runnable> replies) {
        joins.join(request, reply, now, replies);
    }

    // what ClassicJoins reads of the group, and the steps it takes the group through

    GroupState state() {
        return state;
    }

    int generation() {
        return generation;
    }

    String protocolType() {
        return protocolType;
    }

    /** A first member, or a lone one, decides what the group is. */
    void protocolType(String protocolType) {
        this.protocolType = protocolType;
    }

    String protocolName() {
        return protocolName;
    }

    /**
     * A new member waits at the barrier: during an empty group's first rebalance it extends the wait for more, up to
     * the rebalance timeout; otherwise it starts a rebalance.
     */
    void newcomer(Instant now, List<Runnable> replies) {
        if (state == GroupState.PREPARING_REBALANCE) {
            if (initialDelayUntil != null) {
                initialDelayUntil = min(now.plus(config.initialRebalanceDelay()), rebalanceDeadline);
            }
            tryCompleteJoin(now, replies);
        } else {
            prepareRebalance(now, replies);
        }
    }

    /**
     * Starts a rebalance: every member must join again. An empty group's first rebalance waits
     * group.initial.rebalance.delay.ms for more members (each newcomer extends the wait, up to the
     * rebalance timeout); later ones wait at most the longest rebalance timeout among the members.
     */
    void prepareRebalance(Instant now, List<Runnable> replies) {
        if (state == GroupState.COMPLETING_REBALANCE) {
            failAwaitingSyncs(Errors.REBALANCE_IN_PROGRESS, replies);
        }
        pendingSyncs.clear();
        rebalanceDeadline = now.plusMillis(members.longestRebalanceTimeout());
        boolean firstRebalance = state == GroupState.EMPTY;
        initialDelayUntil = firstRebalance && !config.initialRebalanceDelay().isZero()
                ? min(now.plus(config.initialRebalanceDelay()), rebalanceDeadline) : null;
        state = GroupState.PREPARING_REBALANCE;
        replies.add(rebalanceStarted);
        tryCompleteJoin(now, replies);
    }

    // tag::barrier[]
    /** The join barrier: it opens when every member has joined again and no handed-out id is still unused. */
    void tryCompleteJoin(Instant now, List<Runnable> replies) {
        if (state != GroupState.PREPARING_REBALANCE || initialDelayUntil != null) {
            return;
        }
        boolean allJoined = members.all().stream().allMatch(member -> member.awaitingJoin != null);
        if (allJoined && members.nonePending()) {
            completeJoin(now, replies);
        }
    }

    /**
     * The next generation: its protocol, its leader, and an answer to every member that joined. The
     * leader gets every member's metadata for the chosen protocol; the others get none.
     */
    private void completeJoin(Instant now, List<Runnable> replies) {
        rebalanceDeadline = null;
        generation++;
        if (members.isEmpty()) {
            state = GroupState.EMPTY;
            emptySince = now;
            protocolName = null;
            return;
        }
        protocolName = MemberProtocols.chosen(members.all());
        members.keepOrChooseLeader();
        state = GroupState.COMPLETING_REBALANCE;
        pendingSyncs.start(members.ids(), now.plusMillis(members.longestRebalanceTimeout()));
        for (GroupMember member : members.all()) {
            // the last generation's assignment stays until the leader's sync replaces it, as in Kafka: a group
            // described or converted to a consumer group meanwhile shows what each member last owned
            member.lastHeard = now; // its session starts again from its answer
            if (member.awaitingJoin != null) { // a static member may be counted without having joined again
                JoinGroupResponse response = joinResponse(member);
                CompletableFuture<JoinGroupResponse> reply = member.awaitingJoin;
                member.awaitingJoin = null;
                replies.add(() -> reply.complete(response));
            }
        }
    }
    // end::barrier[]

    JoinGroupResponse joinResponse(GroupMember member) {
        List<JoinGroupResponse.Member> metadata = members.isLeader(member.memberId)
                ? members.asLeaderSees(protocolName) : List.of();
        return new JoinGroupResponse(Errors.NONE, generation, protocolType, protocolName, members.leaderId(),
                member.memberId, metadata);
    }

    /**
     * What happens to a sync: refused, or the member's assignment handed out, now or once the leader's sync
     * brings it. The answer is queued in {@code replies}.
     */
    public void sync(SyncGroupRequest request, CompletableFuture<SyncGroupResponse> reply, Instant now,
              List<Runnable> replies) {
        Errors refused = syncRefusal(request);
        if (refused != Errors.NONE) {
            replies.add(() -> reply.complete(SyncGroupResponse.error(refused)));
        } else {
            handOutAssignment(request, reply, now, replies);
        }
    }

    /** Why the group refuses a sync, or NONE: a stranger, another generation or protocol, or a rebalance under way. */
    private Errors syncRefusal(SyncGroupRequest request) {
        Errors fenced = fenced(request.memberId(), request.groupInstanceId(), request.generationId());
        return state == GroupState.DEAD ? Errors.COORDINATOR_NOT_AVAILABLE
                : fenced != Errors.NONE ? fenced
                : mismatch(request.protocolType(), protocolType)
                || mismatch(request.protocolName(), protocolName) ? Errors.INCONSISTENT_GROUP_PROTOCOL
                : state == GroupState.PREPARING_REBALANCE ? Errors.REBALANCE_IN_PROGRESS
                : Errors.NONE;
    }

    private static boolean mismatch(String given, String groups) {
        return given != null && !given.equals(groups);
    }

    // tag::sync[]
    /**
     * A member asking for its assignment. The leader's sync carries everyone's: the group becomes Stable
     * and every member waiting is answered. A follower that syncs first waits for the leader.
     */
    private void handOutAssignment(SyncGroupRequest request, CompletableFuture<SyncGroupResponse> reply, Instant now,
                                   List<Runnable> replies) {
        GroupMember member = members.get(request.memberId());
        member.lastHeard = now;
        pendingSyncs.done(member.memberId);
        if (state == GroupState.STABLE) {
            SyncGroupResponse response = syncResponse(member);
            replies.add(() -> reply.complete(response));
            return;
        }
        member.awaitingSync = reply;
        if (members.isLeader(member.memberId)) {
            for (GroupMember each : members.all()) {
                each.assignment = request.assignments().getOrDefault(each.memberId, new byte[0]);
            }
            state = GroupState.STABLE;
            for (GroupMember each : members.all()) {
                if (each.awaitingSync != null) {
                    CompletableFuture<SyncGroupResponse> waiting = each.awaitingSync;
                    SyncGroupResponse response = syncResponse(each);
                    each.awaitingSync = null;
                    each.lastHeard = now;
                    replies.add(() -> waiting.complete(response));
                }
            }
        }
    }
    // end::sync[]

    private SyncGroupResponse syncResponse(GroupMember member) {
        return new SyncGroupResponse(Errors.NONE, protocolType, protocolName, member.assignment);
    }

    private void failAwaitingSyncs(Errors error, List<Runnable> replies) {
        for (GroupMember member : members.all()) {
            member.assignment = new byte[0];
            if (member.awaitingSync != null) {
                CompletableFuture<SyncGroupResponse> waiting = member.awaitingSync;
                member.awaitingSync = null;
                replies.add(() -> waiting.complete(SyncGroupResponse.error(error)));
            }
        }
    }

    /**
     * A heartbeat: the member's session starts again, and the answer tells it whether it must join again
     * (REBALANCE_IN_PROGRESS), missed a rebalance (ILLEGAL_GENERATION), is gone (UNKNOWN_MEMBER_ID) or was
     * replaced by a newer instance of itself (FENCED_INSTANCE_ID).
     */
    public Errors heartbeat(HeartbeatRequest request, Instant now) {
        if (state == GroupState.DEAD) {
            // a group is dropped only once its last member is gone, so a dead group's member is gone too
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors fenced = fenced(request.memberId(), request.groupInstanceId(), request.generationId());
        if (fenced != Errors.NONE) {
            return fenced;
        }
        members.get(request.memberId()).lastHeard = now;
        return state == GroupState.PREPARING_REBALANCE ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /**
     * LeaveGroup for several members at once: each one the group has goes, and the rest rebalance without them. A
     * static member may be named by its instance id alone (an admin's {@code removeMembersFromConsumerGroup}).
     */
    public LeaveGroupResponse leave(List<LeavingMember> leaving, Instant now, List<Runnable> replies) {
        if (state == GroupState.DEAD) {
            return new LeaveGroupResponse(Errors.COORDINATOR_NOT_AVAILABLE, List.of());
        }
        List<LeaveGroupResponse.Left> results = new ArrayList<>();
        for (LeavingMember member : leaving) {
            Optional<String> memberId = members.leaving(member);
            results.add(new LeaveGroupResponse.Left(member, memberId.isPresent() ? Errors.NONE
                    : members.refusal(member.memberId(), member.groupInstanceId())));
            memberId.ifPresent(id -> remove(id, now, replies));
        }
        return new LeaveGroupResponse(Errors.NONE, List.copyOf(results));
    }

    // tag::fence[]
    /**
     * Whether a commit may be taken: from a member of the current generation while no assignment is on its
     * way, or from outside any generation (-1, whatever ids it names) while the group has no members. A member's
     * commit is also word that it is alive.
     */
    @Override
    public Errors admitCommit(OffsetCommitRequest request, Instant now) {
        if (request.generationId() < 0 && members.isEmpty()) {
            return Errors.NONE;
        }
        Errors fenced = fenced(request.memberId(), request.groupInstanceId(), request.generationId());
        if (fenced != Errors.NONE) {
            return fenced;
        }
        if (state == GroupState.COMPLETING_REBALANCE) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        members.get(request.memberId()).lastHeard = now;
        return Errors.NONE;
    }

    /**
     * Why a member's call is refused, or NONE: the group does not know the member (or its instance id is held by
     * another), or the member speaks for a generation other than the group's. Heartbeat and SyncGroup ask too.
     */
    private Errors fenced(String memberId, String groupInstanceId, int generationId) {
        Errors stranger = members.refusal(memberId, groupInstanceId);
        if (stranger != Errors.NONE) {
            return stranger;
        }
        return generationId == generation ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }
    // end::fence[]

    /** Removes a member (it left, or its session ran out): the rest rebalance without it. */
    private void remove(String memberId, Instant now, List<Runnable> replies) {
        if (members.forgetPending(memberId)) {
            tryCompleteJoin(now, replies);
            return;
        }
        members.remove(memberId).release(Errors.UNKNOWN_MEMBER_ID, replies);
        pendingSyncs.done(memberId);
        switch (state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(now, replies);
            case PREPARING_REBALANCE -> tryCompleteJoin(now, replies);
            default -> { }
        }
    }

    /**
     * What the clock decides: handed-out ids and members that stayed silent past their session timeout
     * go; an initial delay that ran out lets the barrier open; at the rebalance timeout the barrier opens
     * without the dynamic members that did not join again, which are removed, while a static member that did
     * not is kept, to be answered when it does. Members that did not ask for their assignment within the
     * rebalance timeout after the join are removed too: a leader that never sends one would otherwise hold the
     * group in CompletingRebalance for good.
     */
    @Override
    public void tick(Instant now, List<Runnable> replies) {
        members.lapsePending(now);
        for (GroupMember member : members.all()) {
            if (member.expired(now) && members.has(member.memberId)) {
                remove(member.memberId, now, replies);
            }
        }
        pendingSyncs.overdue(now).stream().filter(members::has).forEach(memberId -> remove(memberId, now, replies));
        if (state != GroupState.PREPARING_REBALANCE) {
            return;
        }
        if (initialDelayUntil != null && !now.isBefore(initialDelayUntil)) {
            initialDelayUntil = null;
        }
        if (initialDelayUntil == null && !now.isBefore(rebalanceDeadline)) {
            members.removeIf(member -> member.awaitingJoin == null && member.groupInstanceId == null);
            members.clearPending();
            completeJoin(now, replies);
            return;
        }
        tryCompleteJoin(now, replies);
    }

    @Override
    public Optional<ListedGroup> listedIn(Set<String> states) {
        if (state == GroupState.DEAD || !Group.wanted(state.kafkaName(), states)) {
            return Optional.empty();
        }
        return Optional.of(new ListedGroup(groupId(), protocolType == null ? "" : protocolType, state.kafkaName(),
                type()));
    }

    /** Only an empty group, and only once. */
    @Override
    public Errors deletable() {
        return state == GroupState.DEAD ? Errors.GROUP_ID_NOT_FOUND
                : state != GroupState.EMPTY ? Errors.NON_EMPTY_GROUP
                : Errors.NONE;
    }

    /** The group's members as DescribeGroups shows them. */
    public DescribedGroup describe() {
        String leader = members.leaderId();
        return new DescribedGroup(Errors.NONE, groupId(), state, protocolType == null ? "" : protocolType,
                protocolName == null ? "" : protocolName, generation, leader == null ? "" : leader,
                members.described(protocolName));
    }

    @Override
    public void markDeadState() {
        state = GroupState.DEAD;
    }

    @Override
    public boolean hasNoMembers() {
        return state == GroupState.EMPTY && members.isEmpty() && members.nonePending();
    }

    /** A classic group's members do not say who they are when they fetch: anyone may. */
    @Override
    public Errors admitFetch(String memberId, int memberEpoch) {
        return Errors.NONE;
    }

    /**
     * How much the coordinator's memory would grow were this join taken: its member's bytes, less what it had,
     * and the group's own if the join makes it.
     */
    public long joinGrowth(JoinGroupRequest request) {
        GroupMember known = members.get(request.memberId());
        return GroupMember.bytesOf(request) - (known == null ? 0 : known.bytes()) + bytesIfMade();
    }

    @Override
    public long memberBytes() {
        return members.bytes();
    }

    /** The topics the members of a consumer group subscribe to; none for a group of another kind. */
    @Override
    public Set<String> subscribedTopics() {
        return MemberProtocols.subscribedTopics(members.all(), protocolType, protocolName);
    }

    /** The offsets whose retention ran out (KIP-211's rule: {@link GroupOffsets#expired}); none while it has members. */
    @Override
    public List<TopicPartition> expiredOffsets(Instant now, Duration retention) {
        return state != GroupState.EMPTY ? List.of() : offsets().expired(retention, now, emptySince, protocolType != null);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() {
        return "ClassicGroup[" + groupId() + ", " + state + ", generation " + generation + ", members " + members.ids() + "]";
    }
}
