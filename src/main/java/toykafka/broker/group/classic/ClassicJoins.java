package toykafka.broker.group.classic;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;
import toykafka.broker.group.base.GroupState;

/**
 * What a JoinGroup does to one classic group (Kafka's {@code classicGroupJoin} and the methods it calls): refused,
 * or a first join, a join with the id the group handed out, a static member's return, or a join from a member the
 * group has. Each either waits at the group's join barrier or is answered at once, in {@code replies}; the
 * {@link ClassicGroup} decides when the barrier opens. Guarded by its group's lock.
 */
final class ClassicJoins {

    private final ClassicGroup group;
    private final ClassicMembers members;
    private final PendingSyncs pendingSyncs;
    private final KeptClassicGroup inTopic;
    private final int maxSize;

    ClassicJoins(ClassicGroup group, ClassicMembers members, PendingSyncs pendingSyncs, KeptClassicGroup inTopic,
                 int maxSize) {
        this.group = group;
        this.members = members;
        this.pendingSyncs = pendingSyncs;
        this.inTopic = inTopic;
        this.maxSize = maxSize;
    }

    void join(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
              List<Runnable> replies) {
        String memberId = request.memberId();
        Errors refused = members.joinRefusal(request, group.protocolType(), maxSize);
        if (refused != Errors.NONE) {
            replies.add(() -> reply.complete(JoinGroupResponse.error(refused, memberId)));
        } else if (memberId.isEmpty() && members.staticMember(request.groupInstanceId()).isPresent()) {
            rejoinStatic(request, reply, now, replies);
        } else if (memberId.isEmpty()) {
            joinNew(request, reply, now, replies);
        } else if (members.isPending(memberId)) {
            joinPending(request, reply, now, replies);
        } else {
            joinKnown(request, reply, now, replies);
        }
    }

    // tag::member-id[]
    /**
     * A first join: the member gets an id. A v4+ dynamic member must come back with it before it counts; a
     * static member is known by its instance id already, and counts at once.
     */
    private void joinNew(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
                         List<Runnable> replies) {
        String memberId = ClassicMembers.newMemberId(request);
        if (request.requireKnownMemberId() && request.groupInstanceId() == null) {
            members.handOut(memberId, now.plusMillis(request.sessionTimeoutMs()));
            replies.add(() -> reply.complete(JoinGroupResponse.error(Errors.MEMBER_ID_REQUIRED, memberId)));
            return;
        }
        addMember(memberId, request, reply, now, replies);
    }

    /** A join with the id the coordinator handed out. */
    private void joinPending(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
                             List<Runnable> replies) {
        members.forgetPending(request.memberId());
        addMember(request.memberId(), request, reply, now, replies);
    }
    // end::member-id[]

    private void addMember(String memberId, JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply,
                           Instant now, List<Runnable> replies) {
        GroupMember member = new GroupMember(memberId, request, now);
        if (members.isEmpty()) {
            group.protocolType(request.protocolType());
        }
        members.add(member);
        member.awaitingJoin = reply;
        group.newcomer(now, replies);
    }

    // tag::static-rejoin[]
    /**
     * A static member back with no member id, after a restart: it takes its old place under a new id, and the old
     * id is fenced. In a Stable group whose protocol it still agrees on, nothing else happens: it is told the
     * current generation, and its SyncGroup hands it the assignment it had. No other member notices. A restarted
     * leader asking JoinGroup v9 or later is told it leads, with every member's metadata, and to skip the
     * assignment (KIP-814), so that it watches the group's topics again; an older one is told the leader it
     * replaced, and follows. Mid-rebalance it joins the barrier as any member.
     */
    private void rejoinStatic(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
                              List<Runnable> replies) {
        String leaderBefore = members.leaderId();
        String newId = ClassicMembers.newMemberId(request);
        GroupMember old = members.replaceStatic(request.groupInstanceId(), newId);
        old.release(Errors.FENCED_INSTANCE_ID, replies);
        pendingSyncs.renamed(old.memberId, newId);
        GroupMember member = members.get(newId);
        member.update(request, now);
        inTopic.changed(); // the kept group names the old id
        switch (group.state()) {
            case STABLE -> {
                if (MemberProtocols.chosen(members.all()).equals(group.protocolName())) {
                    JoinGroupResponse same = request.supportsSkippingAssignment() && members.isLeader(newId)
                            ? group.joinResponse(member).skippingAssignment()
                            : new JoinGroupResponse(Errors.NONE, group.generation(), group.protocolType(),
                                    group.protocolName(), leaderBefore, newId, List.of());
                    replies.add(() -> reply.complete(same));
                } else {
                    member.awaitingJoin = reply;
                    group.prepareRebalance(now, replies);
                }
            }
            case COMPLETING_REBALANCE -> { // the old instance may never have had its assignment
                member.awaitingJoin = reply;
                group.prepareRebalance(now, replies);
            }
            default -> {
                member.awaitingJoin = reply;
                group.tryCompleteJoin(now, replies);
            }
        }
    }

    // end::static-rejoin[]

    /**
     * A join from a member the group has. While the group rebalances it is one more member at the barrier.
     * Otherwise a member that changed its protocols, or the leader (which may want to assign again), starts
     * a rebalance; any other member is told the current generation again.
     */
    private void joinKnown(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
                           List<Runnable> replies) {
        GroupMember member = members.get(request.memberId());
        if (members.size() == 1) {
            group.protocolType(request.protocolType()); // a lone member may change what the group is
        }
        switch (group.state()) {
            case PREPARING_REBALANCE -> {
                if (member.awaitingJoin != null) {
                    CompletableFuture<JoinGroupResponse> replaced = member.awaitingJoin;
                    replies.add(() -> replaced.complete(JoinGroupResponse.error(Errors.REBALANCE_IN_PROGRESS,
                            member.memberId)));
                }
                member.update(request, now);
                member.awaitingJoin = reply;
                group.tryCompleteJoin(now, replies);
            }
            case COMPLETING_REBALANCE, STABLE -> {
                boolean leader = members.isLeader(member.memberId) && group.state() == GroupState.STABLE;
                if (leader || !member.sameProtocols(request)) {
                    member.update(request, now);
                    member.awaitingJoin = reply;
                    group.prepareRebalance(now, replies);
                } else {
                    member.lastHeard = now;
                    JoinGroupResponse current = group.joinResponse(member);
                    replies.add(() -> reply.complete(current));
                }
            }
            default -> replies.add(() -> reply.complete(JoinGroupResponse.error(Errors.UNKNOWN_MEMBER_ID,
                    request.memberId())));
        }
    }
}
