package toykafka.broker.group.consumer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import toykafka.common.TopicId;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.modern.ReconcilingMember;

/**
 * One member of a consumer group of Kafka 4's protocol (Kafka's {@code ConsumerGroupMember}), an immutable value:
 * who it is, what it subscribes to, when it was last heard, and where it stands on the way to its target. Each change
 * makes the next member, which its group puts in the place of the old one.
 *
 * @param subscribedRegex the regular expression its topics match besides those it names, or null: its text, which
 *                        the group resolves (Kafka keeps the text too, and what each expression matched)
 * @param resolvedTopics  the topics it reads now, named or matched, that exist: what the assignor gives it
 *                        partitions of
 * @param revokeBy        while it has partitions to give up: when its rebalance timeout runs out; for a classic
 *                        member, when its JoinGroup or SyncGroup must come by (Kafka's join and sync timers)
 * @param classic         for a member that speaks the classic protocol, what it sent in its JoinGroup; else null
 */
public record ConsumerGroupMember(String memberId, String instanceId, String rackId, String clientId, String clientHost,
                           int rebalanceTimeoutMs, List<String> subscribedTopics, String subscribedRegex,
                           String serverAssignor, List<String> resolvedTopics, MemberAssignment assignment,
                           Instant lastHeard, Instant revokeBy, ClassicMemberMetadata classic)
        implements ReconcilingMember {

    public ConsumerGroupMember {
        Objects.requireNonNull(memberId, "memberId");
        subscribedTopics = List.copyOf(subscribedTopics);
        resolvedTopics = List.copyOf(resolvedTopics);
        Objects.requireNonNull(assignment, "assignment");
    }

    /** A new member, before its first heartbeat says anything. */
    static ConsumerGroupMember joining(String memberId, Instant now) {
        return new ConsumerGroupMember(memberId, null, null, null, null, 0, List.of(), null, null, List.of(),
                MemberAssignment.JOINING, now, null, null);
    }

    /** The member as a heartbeat leaves it: heard now, with what the heartbeat changed (a null or -1 field did not). */
    ConsumerGroupMember heard(ConsumerGroupHeartbeat.Request request, Instant now) {
        return new ConsumerGroupMember(memberId, request.instanceId() != null ? request.instanceId() : instanceId,
                request.rackId() != null ? request.rackId() : rackId, request.clientId(), request.clientHost(),
                request.rebalanceTimeoutMs() != -1 ? request.rebalanceTimeoutMs() : rebalanceTimeoutMs,
                request.subscribedTopics() != null
                        ? request.subscribedTopics().stream().distinct().sorted().toList() : subscribedTopics,
                request.subscribedTopicRegex() != null ? regexOrNone(request.subscribedTopicRegex()) : subscribedRegex,
                request.serverAssignor() != null ? request.serverAssignor() : serverAssignor,
                resolvedTopics, assignment, now, revokeBy, classic);
    }

    /** Whether it asks for what {@code other} asks for: the same topics, expression and assignor. */
    boolean subscribesAs(ConsumerGroupMember other) {
        return subscribedTopics.equals(other.subscribedTopics) && regexText().equals(other.regexText())
                && Objects.equals(serverAssignor, other.serverAssignor);
    }

    private String regexText() {
        return subscribedRegex == null ? "" : subscribedRegex;
    }

    /** "" in a heartbeat takes the member's expression away. */
    static String regexOrNone(String expression) {
        return expression == null || expression.isEmpty() ? null : expression;
    }

    ConsumerGroupMember withResolvedTopics(List<String> topics) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                subscribedTopics, subscribedRegex, serverAssignor, topics, assignment, lastHeard, revokeBy, classic);
    }

    /**
     * The member after its step towards {@code target} ({@link MemberAssignment#next}), or this one if it may not
     * move. A step that asks it to give partitions up gives it its rebalance timeout to do so, as Kafka's coordinator
     * schedules one at each such step.
     */
    ConsumerGroupMember reconciled(Map<TopicId, ? extends Set<Integer>> reported,
                                   Map<TopicId, Set<Integer>> target, int targetEpoch,
                                   BiPredicate<TopicId, Integer> heldByOther, Instant now) {
        MemberAssignment next = assignment.next(reported, target, targetEpoch, heldByOther);
        if (next == assignment) {
            return this;
        }
        boolean revoking = next.state() == MemberAssignment.State.UNREVOKED_PARTITIONS;
        return withAssignment(next, revoking ? now.plusMillis(rebalanceTimeoutMs) : null);
    }

    /** The member joining again with nothing: it was fenced, or lost its answers. */
    ConsumerGroupMember rejoined() {
        return withAssignment(MemberAssignment.JOINING, null);
    }

    /**
     * A static member away for a moment (epoch -2), keeping its partitions: the epoch it had is where its next
     * instance takes up.
     */
    ConsumerGroupMember away() {
        return withAssignment(assignment.away(), revokeBy);
    }

    /** A static member's next instance, under its own id: the old one's subscription, partitions and epoch. */
    ConsumerGroupMember nextInstance(String memberId, Instant now) {
        int epoch = assignment.previousMemberEpoch();
        return new ConsumerGroupMember(memberId, instanceId, rackId, null, null, rebalanceTimeoutMs, subscribedTopics,
                subscribedRegex, serverAssignor, resolvedTopics, assignment.withEpochs(epoch, epoch), now, revokeBy, classic);
    }

    private ConsumerGroupMember withAssignment(MemberAssignment next, Instant nextRevokeBy) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                subscribedTopics, subscribedRegex, serverAssignor, resolvedTopics, next, lastHeard, nextRevokeBy, classic);
    }

    /**
     * The member as the classic protocol leaves it: speaking it, with what its JoinGroup sent; heard {@code now}; and
     * due to join or sync again by {@code deadline}, or never (null).
     */
    ConsumerGroupMember asClassic(ClassicMemberMetadata metadata, Instant now, Instant deadline) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs,
                subscribedTopics, subscribedRegex, serverAssignor, resolvedTopics, assignment, now, deadline, metadata);
    }

    /** Whether it speaks the classic protocol. */
    boolean usesClassicProtocol() {
        return classic != null;
    }

    /** How long it may be silent: a classic member's own session timeout, else the group's. */
    @Override
    public int sessionTimeoutMs(int groupSessionTimeoutMs) {
        return classic != null ? classic.sessionTimeoutMs() : groupSessionTimeoutMs;
    }

    /**
     * What the member takes in the coordinator's memory, estimated: its ids, subscriptions, a classic member's
     * protocols, and the partitions it owns or gives up.
     */
    @Override
    public long bytes() {
        long bytes = CoordinatorMemory.MEMBER_BYTES + memberId.length() + CoordinatorMemory.length(instanceId)
                + CoordinatorMemory.length(rackId) + CoordinatorMemory.length(clientId)
                + CoordinatorMemory.length(clientHost) + CoordinatorMemory.length(serverAssignor);
        for (String topic : subscribedTopics) {
            bytes += CoordinatorMemory.PROTOCOL_BYTES + topic.length();
        }
        if (usesClassicProtocol()) { // a classic member's protocols are kept with their metadata
            for (JoinGroupRequest.Protocol protocol : classic.supportedProtocols()) {
                bytes += protocol.bytes();
            }
        }
        return bytes + CoordinatorMemory.PARTITION_BYTES * (long) assignment.partitionCount();
    }

    /** The estimated bytes of a member that joins with this heartbeat. */
    static long bytesOf(ConsumerGroupHeartbeat.Request request) {
        long bytes = CoordinatorMemory.MEMBER_BYTES + CoordinatorMemory.length(request.memberId())
                + CoordinatorMemory.length(request.instanceId()) + CoordinatorMemory.length(request.rackId())
                + CoordinatorMemory.length(request.clientId()) + CoordinatorMemory.length(request.clientHost())
                + CoordinatorMemory.length(request.serverAssignor());
        for (String topic : request.subscribedTopics() == null ? List.<String>of() : request.subscribedTopics()) {
            bytes += CoordinatorMemory.PROTOCOL_BYTES + topic.length();
        }
        return bytes;
    }
}
