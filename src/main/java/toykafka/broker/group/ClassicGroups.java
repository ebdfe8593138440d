package toykafka.broker.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.base.RefusedJoins;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.classic.ClassicGroup;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;
import toykafka.broker.group.consumer.ConsumerGroup;
import toykafka.broker.group.consumer.ConsumerGroupClassicMembers;
import toykafka.common.Errors;

/**
 * The coordinator's entry for the classic protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup): it finds the
 * classic group an id names, or the consumer group whose classic members the call is for (KIP-848's migration),
 * brings its clock up to now, takes its lock and delegates, keeping what changed before the answers go out.
 */
final class ClassicGroups {

    private final GroupConfig config;
    private final GroupRegistry registry;
    private final CoordinatorMemory memory;
    private final RefusedJoins refusedJoins;
    private final ConsumerGroups consumers;
    private final TopicLookup topics;

    ClassicGroups(GroupConfig config, GroupRegistry registry, CoordinatorMemory memory, RefusedJoins refusedJoins,
                  ConsumerGroups consumers, TopicLookup topics) {
        this.config = config;
        this.registry = registry;
        this.memory = memory;
        this.refusedJoins = refusedJoins;
        this.consumers = consumers;
        this.topics = topics;
    }

    /**
     * JoinGroup: answered when the group's join barrier opens, or at once if the join is refused, as one that does
     * not fit in the coordinator's memory is.
     */
    CompletableFuture<JoinGroupResponse> joinGroup(JoinGroupRequest request) {
        String memberId = request.memberId();
        if (GroupRegistry.invalidId(request.groupId())) {
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.INVALID_GROUP_ID, memberId));
        }
        if (!config.allowsSessionTimeout(request.sessionTimeoutMs())) {
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.INVALID_SESSION_TIMEOUT, memberId));
        }
        if (!memberId.isEmpty() && registry.find(request.groupId()) == null) {
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
        if (request.protocolType() == null || request.protocolType().isEmpty() || request.protocols().isEmpty()) {
            // no group takes it, so none is made for it
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        if (GroupRegistry.keepsItsId(registry.find(request.groupId()))) {
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.GROUP_ID_NOT_FOUND, memberId));
        }
        ClassicGroup group = registry.classicForJoin(request.groupId());
        if (group == null) { // a consumer group with members has the id: it takes the member in, or refuses it
            JoinGroupResponse answer = consumers.classicJoin(request);
            return answer == null ? joinGroup(request) : CompletableFuture.completedFuture(answer);
        }
        registry.applyClock(group);
        CompletableFuture<JoinGroupResponse> reply = new CompletableFuture<>();
        List<Runnable> replies = new ArrayList<>();
        Owners owners = Owners.of(request.clientHost(), request.clientId(), request.groupId());
        synchronized (group) {
            if (group.dead()) {
                return joinGroup(request); // dropped since it was looked up: the join makes it again
            }
            long growth = group.joinGrowth(request);
            String refused = memory.refusal(growth, owners);
            if (refused == null) {
                group.join(request, reply, registry.now(), replies);
                group.settleMemory(owners);
                registry.keep(group); // before the answers this generation brings
            } else {
                refusedJoins.refused(request.groupId(), memberId.isEmpty() ? request.clientId() + "@"
                        + request.clientHost() : memberId, refused, "a join to group " + request.groupId() + " by "
                        + (memberId.isEmpty() ? "client " + request.clientId() : "member " + memberId) + " with "
                        + growth + " bytes of protocols and ids is refused with GROUP_MAX_SIZE_REACHED: " + refused
                        + " (told once for this member and reason)");
                reply.complete(JoinGroupResponse.error(Errors.GROUP_MAX_SIZE_REACHED, memberId));
            }
            registry.dropIfNeverUsed(group); // a refused join to a group made for it leaves none
        }
        GroupRegistry.send(replies);
        return reply;
    }

    /**
     * SyncGroup: a follower's answer waits for the leader's sync; the leader's comes at once. A classic member of a
     * consumer group is answered at once with the partitions the group gave it.
     */
    CompletableFuture<SyncGroupResponse> syncGroup(SyncGroupRequest request) {
        CompletableFuture<SyncGroupResponse> reply = new CompletableFuture<>();
        ClassicGroup group = registry.classic(request.groupId());
        if (group == null) {
            ConsumerGroup consumer = registry.consumer(request.groupId());
            SyncGroupResponse synced = consumer == null ? SyncGroupResponse.error(Errors.UNKNOWN_MEMBER_ID)
                    : inConsumerGroup(consumer, classic -> classic.sync(request, topics, registry.now()));
            return synced == null ? syncGroup(request) : CompletableFuture.completedFuture(synced);
        }
        registry.applyClock(group);
        List<Runnable> replies = new ArrayList<>();
        synchronized (group) {
            group.sync(request, reply, registry.now(), replies);
            group.settleMemory();
            registry.keep(group);
        }
        GroupRegistry.send(replies);
        return reply;
    }

    /** Heartbeat: keeps the member's session alive, and tells it when the group is rebalancing. */
    Errors heartbeat(HeartbeatRequest request) {
        ClassicGroup group = registry.classic(request.groupId());
        if (group == null) {
            ConsumerGroup consumer = registry.consumer(request.groupId());
            Errors answer = consumer == null ? Errors.UNKNOWN_MEMBER_ID
                    : inConsumerGroup(consumer, classic -> classic.heartbeat(request, registry.now()));
            return answer == null ? heartbeat(request) : answer;
        }
        registry.applyClock(group);
        synchronized (group) {
            return group.heartbeat(request, registry.now());
        }
    }

    /**
     * LeaveGroup for several members at once (v3 and later), static ones possibly by their instance id alone: the
     * rest rebalance without them.
     */
    LeaveGroupResponse leaveGroup(String groupId, List<LeavingMember> leaving) {
        ClassicGroup group = registry.classic(groupId);
        ConsumerGroup consumer = group == null ? registry.consumer(groupId) : null;
        if (consumer != null) {
            LeaveGroupResponse left = inConsumerGroup(consumer, classic -> classic.leave(leaving));
            return left == null ? leaveGroup(groupId, leaving) : left;
        }
        if (group == null) { // as Kafka answers: each member is unknown
            return new LeaveGroupResponse(Errors.NONE, leaving.stream()
                    .map(member -> new LeaveGroupResponse.Left(member, Errors.UNKNOWN_MEMBER_ID)).toList());
        }
        registry.applyClock(group);
        List<Runnable> replies = new ArrayList<>();
        LeaveGroupResponse answer;
        synchronized (group) {
            answer = group.leave(leaving, registry.now(), replies);
            group.settleMemory();
            registry.keep(group);
        }
        GroupRegistry.send(replies);
        return answer;
    }

    /**
     * A classic request to a consumer group, under its lock, what it changed kept before the answer; null if the
     * group became a classic one since it was looked up, so that the caller asks again.
     */
    private <T> T inConsumerGroup(ConsumerGroup group, Function<ConsumerGroupClassicMembers, T> call) {
        registry.applyClock(group);
        synchronized (group) {
            if (group.dead()) {
                return null;
            }
            int before = group.size();
            try {
                return call.apply(new ConsumerGroupClassicMembers(group));
            } finally {
                group.settleMemory();
                registry.keep(group);
                if (group.size() < before) {
                    registry.maybeDowngrade(group); // a LeaveGroup left classic members only?
                }
            }
        }
    }
}
