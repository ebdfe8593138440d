package toykafka.broker.group.streams;

import java.time.Instant;
import java.util.Map;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.modern.ReconcilingMember;

/**
 * One member of a streams group (Kafka's {@code StreamsGroupMember}): a stream thread of one Streams instance, its
 * process. A value: each heartbeat puts the next one in its place.
 *
 * @param topologyEpoch the epoch of the topology it runs
 * @param userEndpoint  where its instance answers interactive queries, or null
 * @param clientTags    its {@code client.tag.*} settings, for rack-aware assignment
 * @param revokeBy      when it is fenced unless it has given up the tasks it was asked to; null if it was asked none
 */
public record StreamsGroupMember(String memberId, String instanceId, String rackId, String processId,
                                 StreamsGroupHeartbeat.Endpoint userEndpoint, Map<String, String> clientTags,
                                 int topologyEpoch, int rebalanceTimeoutMs, String clientId, String clientHost,
                                 StreamsMemberAssignment assignment, Instant lastHeard, Instant revokeBy)
        implements ReconcilingMember {

    public StreamsGroupMember {
        clientTags = Map.copyOf(clientTags);
    }

    /** A member that joins: epoch 0, no tasks. */
    static StreamsGroupMember joining(String memberId, Instant now) {
        return new StreamsGroupMember(memberId, null, null, "", null, Map.of(), -1, -1, "", "",
                StreamsMemberAssignment.JOINING, now, null);
    }

    /** What its heartbeat changed: each field it sent, and that it was heard {@code now}. */
    StreamsGroupMember heard(StreamsGroupHeartbeat.Request request, Instant now) {
        boolean joining = request.memberEpoch() == StreamsGroupHeartbeat.JOIN;
        return new StreamsGroupMember(memberId, or(request.instanceId(), instanceId), or(request.rackId(), rackId),
                or(request.processId(), processId), joining || request.userEndpoint() != null ? request.userEndpoint()
                : userEndpoint, or(request.clientTags(), clientTags),
                request.topology() != null ? request.topology().epoch() : topologyEpoch,
                request.rebalanceTimeoutMs() != -1 ? request.rebalanceTimeoutMs() : rebalanceTimeoutMs,
                request.clientId(), request.clientHost(), assignment, now, revokeBy);
    }

    /** Whether what the assignor looks at changed: its process, instance, rack, tags or topology epoch. */
    boolean assignedAs(StreamsGroupMember other) {
        return processId.equals(other.processId) && java.util.Objects.equals(instanceId, other.instanceId)
                && java.util.Objects.equals(rackId, other.rackId) && clientTags.equals(other.clientTags)
                && topologyEpoch == other.topologyEpoch;
    }

    StreamsGroupMember withAssignment(StreamsMemberAssignment next, Instant nextRevokeBy) {
        return new StreamsGroupMember(memberId, instanceId, rackId, processId, userEndpoint, clientTags,
                topologyEpoch, rebalanceTimeoutMs, clientId, clientHost, next, lastHeard, nextRevokeBy);
    }

    /** A static member's next instance: its place and tasks under a new member id. */
    StreamsGroupMember nextInstance(String id, Instant now) {
        return new StreamsGroupMember(id, instanceId, rackId, processId, userEndpoint, clientTags, topologyEpoch,
                rebalanceTimeoutMs, clientId, clientHost, assignment.withEpochs(assignment.previousMemberEpoch(),
                assignment.previousMemberEpoch()), now, revokeBy);
    }

    /** A static member away for a moment (epoch -2), keeping its tasks. */
    StreamsGroupMember away() {
        return new StreamsGroupMember(memberId, instanceId, rackId, processId, userEndpoint, clientTags, topologyEpoch,
                rebalanceTimeoutMs, clientId, clientHost, assignment.withEpochs(StreamsGroupHeartbeat.STATIC_LEAVE,
                assignment.memberEpoch()), lastHeard, revokeBy);
    }

    /**
     * FENCED_MEMBER_EPOCH for an epoch it does not have, but for the epoch before it sent again with tasks it still
     * has: its answer was lost, and it may go on (Kafka's {@code throwIfStreamsGroupMemberEpochIsInvalid}).
     */
    boolean fencedBy(StreamsGroupHeartbeat.Request request) {
        int epoch = request.memberEpoch();
        if (epoch == memberEpoch()) {
            return false;
        }
        if (epoch > memberEpoch()) {
            return true;
        }
        StreamsTasks owned = request.owned();
        return epoch != assignment.previousMemberEpoch() || owned != null && !within(owned, assignment.assigned());
    }

    private static boolean within(StreamsTasks owned, StreamsTasks assigned) {
        for (StreamsTasks.Kind kind : StreamsTasks.Kind.values()) {
            for (Map.Entry<String, java.util.SortedSet<Integer>> sub : owned.of(kind).entrySet()) {
                if (!assigned.of(kind).getOrDefault(sub.getKey(), new java.util.TreeSet<>())
                        .containsAll(sub.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Its tasks count as partitions do. */
    @Override
    public long bytes() {
        return CoordinatorMemory.MEMBER_BYTES + CoordinatorMemory.PARTITION_BYTES * assignment.assigned().count();
    }

    private static <T> T or(T sent, T kept) {
        return sent != null ? sent : kept;
    }
}
