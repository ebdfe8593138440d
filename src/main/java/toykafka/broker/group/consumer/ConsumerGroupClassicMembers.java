package toykafka.broker.group.consumer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.ConsumerGroupMigrationPolicy;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;

/**
 * The classic protocol's requests (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) from members of a consumer group
 * of Kafka 4's protocol, which takes a classic consumer in as Kafka's coordinator does
 * ({@code GroupMetadataManager.classicGroupJoinToConsumerGroup} and the sync, heartbeat and leave beside it),
 * unless {@code group.consumer.migration.policy} is disabled ({@link #joinRefusal}). Such a member is one of the
 * group's members like any other, with its {@link ClassicMemberMetadata}: the group's assignor gives it partitions;
 * each JoinGroup is, to the group, a heartbeat carrying the subscription and owned partitions its metadata holds,
 * answered at once with the member's epoch as the generation, no leader and no barrier; SyncGroup hands it the
 * partitions it owns; and Heartbeat answers REBALANCE_IN_PROGRESS when it is to give partitions up, take new ones,
 * or catch up with a newer group epoch, so that it joins again. Its session is its own JoinGroup's, and it must
 * sync within its rebalance timeout after a join, and join within it after it is told to (Kafka's sync and join
 * timers).
 *
 * <p>The caller holds the group's lock.
 */
public final class ConsumerGroupClassicMembers {

    private final ConsumerGroup group;

    public ConsumerGroupClassicMembers(ConsumerGroup group) {
        this.group = group;
    }

    /**
     * Why a consumer group with members refuses every classic JoinGroup, a member's rejoin too, in Kafka 4.4's words
     * (its {@code throwIfClassicMemberCannotJoinConsumerGroup}), or null if it takes them.
     */
    public static String joinRefusal(String groupId, ConsumerGroupMigrationPolicy policy) {
        return policy.takesClassicJoins() ? null : "Cannot join the consumer group " + groupId
                + " with the classic protocol because the group migration is disabled.";
    }

    // tag::classic-join[]
    /**
     * A classic member's JoinGroup: taken as a heartbeat of the group, at the member's own epoch if it is one
     * already (so its owned partitions move it on, as Kafka reconciles it), else as a join. Answered at once.
     */
    public JoinGroupResponse join(JoinGroupRequest request, TopicLookup topics, Instant now) {
        String memberId = request.memberId().isEmpty() ? UUID.randomUUID().toString() : request.memberId();
        ConsumerGroupMember member = group.member(memberId);
        if (!supports(request, memberId)) {
            return JoinGroupResponse.error(Errors.INCONSISTENT_GROUP_PROTOCOL, request.memberId());
        }
        if (request.requireKnownMemberId() && request.memberId().isEmpty() && request.groupInstanceId() == null) {
            return JoinGroupResponse.error(Errors.MEMBER_ID_REQUIRED, memberId); // join again with this id
        }
        ConsumerSubscription subscription;
        try {
            subscription = ConsumerSubscription.read(request.protocols().get(0).metadata());
        } catch (InvalidRequestException e) {
            return JoinGroupResponse.error(Errors.INCONSISTENT_GROUP_PROTOCOL, request.memberId());
        }
        boolean known = member != null && member.usesClassicProtocol();
        int rebalanceTimeoutMs = request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs()
                : request.sessionTimeoutMs(); // JoinGroup v0 has none: its session timeout bounds a rebalance
        ConsumerGroupHeartbeat.Request asHeartbeat = new ConsumerGroupHeartbeat.Request(request.groupId(), memberId,
                known ? member.memberEpoch() : ConsumerGroupHeartbeat.JOIN, request.groupInstanceId(),
                subscription.rackId(), rebalanceTimeoutMs, subscription.topics(), null, null,
                known ? byId(subscription.owned(), topics) : Map.of(), request.clientId(), request.clientHost());
        ConsumerGroupHeartbeat.Response answer = group.heartbeat(asHeartbeat, topics, now);
        if (answer.error() != Errors.NONE) {
            return JoinGroupResponse.error(answer.error(), request.memberId());
        }
        ClassicMemberMetadata metadata = new ClassicMemberMetadata(request.sessionTimeoutMs(), request.protocols());
        ConsumerGroupMember joined = group.member(memberId).asClassic(metadata, now,
                now.plusMillis(rebalanceTimeoutMs)); // it must sync within its rebalance timeout
        group.put(joined);
        return new JoinGroupResponse(Errors.NONE, joined.memberEpoch(), ConsumerProtocol.TYPE,
                metadata.protocolName(), "", memberId, List.of());
    }
    // end::classic-join[]

    /**
     * Whether the group can take the member's protocols (Kafka's {@code supportsClassicProtocols}): the consumer
     * protocol type, and one assignor every other classic member supports too.
     */
    private boolean supports(JoinGroupRequest request, String memberId) {
        if (!ConsumerProtocol.TYPE.equals(request.protocolType()) || request.protocols().isEmpty()) {
            return false;
        }
        List<ConsumerGroupMember> others = group.members().stream()
                .filter(other -> other.usesClassicProtocol() && !other.memberId().equals(memberId)).toList();
        return request.protocolNames().stream().anyMatch(name -> others.stream().allMatch(other ->
                other.classic().supportedProtocols().stream().anyMatch(protocol -> protocol.name().equals(name))));
    }

    /**
     * A classic member's SyncGroup: its partitions now, in its subscription's version, once it is at the group
     * epoch or giving partitions up; REBALANCE_IN_PROGRESS while a newer group epoch waits for it to join again.
     */
    public SyncGroupResponse sync(SyncGroupRequest request, TopicLookup topics, Instant now) {
        ConsumerGroupMember member = classicMember(request.memberId(), request.groupInstanceId());
        Errors refused = member == null ? Errors.UNKNOWN_MEMBER_ID
                : request.generationId() != member.memberEpoch() ? Errors.ILLEGAL_GENERATION
                : inconsistent(member, request.protocolType(), request.protocolName()) ? Errors.INCONSISTENT_GROUP_PROTOCOL
                : mustRejoinBeforeSync(member) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
        if (refused == Errors.REBALANCE_IN_PROGRESS) {
            group.put(toJoinBy(member, now));
        }
        if (refused != Errors.NONE) {
            return SyncGroupResponse.error(refused);
        }
        group.put(member.asClassic(member.classic(), now, null)); // synced: only its session bounds it now
        List<TopicPartition> partitions = byName(member, topics);
        return new SyncGroupResponse(Errors.NONE, ConsumerProtocol.TYPE, member.classic().protocolName(),
                ConsumerProtocol.CODEC.assignment(partitions, member.classic().subscriptionVersion()));
    }

    /**
     * Kafka's {@code throwIfRebalanceInProgress}: a newer group epoch sends the member to join again, unless it is
     * giving partitions up, which it must finish first.
     */
    private boolean mustRejoinBeforeSync(ConsumerGroupMember member) {
        return group.groupEpoch() > member.memberEpoch()
                && member.assignment().state() != MemberAssignment.State.UNREVOKED_PARTITIONS;
    }

    private static boolean inconsistent(ConsumerGroupMember member, String protocolType, String protocolName) {
        return protocolType != null && !ConsumerProtocol.TYPE.equals(protocolType)
                || protocolName != null && !member.classic().protocolName().equals(protocolName);
    }

    // tag::classic-heartbeat[]
    /**
     * A classic member's Heartbeat: its session starts again; REBALANCE_IN_PROGRESS if the group's epoch moved past
     * its own, if it has partitions to give up, or if partitions its target waited for are free now: its next
     * JoinGroup moves it on.
     */
    public Errors heartbeat(HeartbeatRequest request, Instant now) {
        ConsumerGroupMember member = classicMember(request.memberId(), request.groupInstanceId());
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (request.generationId() != member.memberEpoch()) {
            return Errors.ILLEGAL_GENERATION;
        }
        ConsumerGroupMember heard = member.asClassic(member.classic(), now, member.revokeBy());
        MemberAssignment.State state = member.assignment().state();
        boolean rejoin = member.memberEpoch() < group.groupEpoch()
                || state == MemberAssignment.State.UNREVOKED_PARTITIONS
                || state == MemberAssignment.State.UNRELEASED_PARTITIONS && !waitingOnOthers(member);
        group.put(rejoin ? toJoinBy(heard, now) : heard);
        return rejoin ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }
    // end::classic-heartbeat[]

    /** Kafka's join timer: set when the member is told to join again, unless one runs already. */
    private static ConsumerGroupMember toJoinBy(ConsumerGroupMember member, Instant now) {
        Instant deadline = member.revokeBy() != null ? member.revokeBy()
                : now.plusMillis(member.rebalanceTimeoutMs());
        return member.asClassic(member.classic(), member.lastHeard(), deadline);
    }

    /** Whether a partition of its target is still another member's to give up (Kafka's {@code waitingOnUnreleasedPartition}). */
    private boolean waitingOnOthers(ConsumerGroupMember member) {
        return group.targets().getOrDefault(member.memberId(), new TreeMap<>()).entrySet().stream()
                .anyMatch(topic -> topic.getValue().stream().anyMatch(partition ->
                        !member.assignment().holds(topic.getKey(), partition)
                                && group.heldByOther(member.memberId(), topic.getKey(), partition)));
    }

    /**
     * LeaveGroup to a consumer group: each member named leaves (a member of either protocol, as Kafka lets an
     * administrator remove one), its partitions free for the others; one the group does not know is
     * UNKNOWN_MEMBER_ID, a static member named under another member id FENCED_INSTANCE_ID.
     */
    public LeaveGroupResponse leave(List<LeavingMember> leaving) {
        List<LeaveGroupResponse.Left> answers = new ArrayList<>();
        for (LeavingMember one : leaving) {
            ConsumerGroupMember member = one.groupInstanceId() == null ? group.member(one.memberId())
                    : group.staticMember(one.groupInstanceId());
            Errors error = member == null ? Errors.UNKNOWN_MEMBER_ID
                    : one.groupInstanceId() != null && !one.memberId().isEmpty()
                    && !one.memberId().equals(member.memberId()) ? Errors.FENCED_INSTANCE_ID : Errors.NONE;
            if (error == Errors.NONE) {
                group.remove(member);
            }
            answers.add(new LeaveGroupResponse.Left(one, error));
        }
        return new LeaveGroupResponse(Errors.NONE, answers);
    }

    /** The classic member a request names, by instance id if it gives one; null if none, or not classic. */
    private ConsumerGroupMember classicMember(String memberId, String instanceId) {
        ConsumerGroupMember member = instanceId == null ? group.member(memberId) : group.staticMember(instanceId);
        if (member == null || !member.usesClassicProtocol()
                || instanceId != null && !member.memberId().equals(memberId)) {
            return null;
        }
        return member;
    }

    /** Partitions by topic name, as a classic member names them, by id as the group keeps them; unknown topics left out. */
    static Map<TopicId, Set<Integer>> byId(List<TopicPartition> partitions, TopicLookup topics) {
        Map<TopicId, Set<Integer>> byId = new HashMap<>();
        for (TopicPartition partition : partitions) {
            TopicLookup.Topic topic = topics.topic(partition.topic());
            if (topic != null) {
                byId.computeIfAbsent(topic.id(), id -> new TreeSet<>()).add(partition.partition());
            }
        }
        return byId;
    }

    /** The member's partitions by topic name, found among the topics it reads. */
    static List<TopicPartition> byName(ConsumerGroupMember member, TopicLookup topics) {
        Map<TopicId, String> names = new HashMap<>();
        for (String name : member.resolvedTopics()) {
            TopicLookup.Topic topic = topics.topic(name);
            if (topic != null) {
                names.put(topic.id(), name);
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        member.assignment().assigned().forEach((id, numbers) -> {
            String name = names.get(id);
            if (name != null) {
                numbers.forEach(number -> partitions.add(new TopicPartition(name, number)));
            }
        });
        return partitions;
    }
}
