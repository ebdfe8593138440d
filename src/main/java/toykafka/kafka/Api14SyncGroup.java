package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;

/**
 * SyncGroup (key 14), versions 0–5 (flexible from v4): after a join, each member asks for its assignment. Kafka's
 * {@code KafkaApis.handleSyncGroupRequest}. The leader's request carries every member's assignment, bytes its
 * assignor wrote and the coordinator hands on unread; a follower sends none and its answer waits for the leader's.
 * A member of another generation is ILLEGAL_GENERATION; a sync while the group is gathering joins again is
 * REBALANCE_IN_PROGRESS, and the member joins again.
 *
 * <p>An assignment named twice for one member is INVALID_REQUEST, as Kafka's coordinator refuses it, rather than
 * one of the two being kept at random. A static member (v3's {@code group_instance_id}) replaced by a newer
 * instance of itself is FENCED_INSTANCE_ID. From v5 the member names the protocol type and protocol it joined with;
 * either one that is not the group's is INCONSISTENT_GROUP_PROTOCOL (null is not checked, as in Kafka), and the
 * answer names the group's two. With an authorizer the group needs READ, else GROUP_AUTHORIZATION_FAILED.
 * Ignored: tagged fields, as none are defined.
 */
final class Api14SyncGroup extends BrokerApi {

    private final AuthHelper auth;

    Api14SyncGroup(Broker broker, AuthHelper auth) {
        super(broker, 14, "SyncGroup", 0, 5, 4);
        this.auth = auth;
    }

    private record Assignment(String memberId, byte[] bytes) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        GroupMemberFields caller = GroupMemberFields.read(in, version, 3);
        String groupId = caller.groupId();
        int generation = caller.generationId();
        String memberId = caller.memberId();
        String protocolType = version >= 5 ? in.nullableString("protocol_type") : null;
        String protocolName = version >= 5 ? in.nullableString("protocol_name") : null;
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        for (Assignment assignment : in.array("assignments", Api14SyncGroup::readAssignment)) {
            if (assignments.put(assignment.memberId(), assignment.bytes()) != null) {
                throw new InvalidRequestException("the leader's SyncGroup names member " + assignment.memberId()
                        + " twice; each member gets one assignment");
            }
        }
        in.taggedFields("SyncGroupRequest");
        request.asked(() -> "group " + groupId + " generation " + generation + " as " + memberId
                + (assignments.isEmpty() ? "" : " with assignments for " + assignments.size() + " members"));
        SyncGroupRequest sync = new SyncGroupRequest(groupId, generation, memberId, protocolType, protocolName,
                assignments, caller.groupInstanceId());
        CompletableFuture<SyncGroupResponse> synced = auth.authorize(request, AclOperation.READ, ResourceType.GROUP,
                groupId) ? broker.groupCoordinator().syncGroup(sync) // Kafka asks READ on the group first
                : CompletableFuture.completedFuture(SyncGroupResponse.error(Errors.GROUP_AUTHORIZATION_FAILED));
        return synced.thenApply(answer -> {
            request.answered(() -> answer.error() == Errors.NONE ? answer.assignment().length + " bytes of assignment"
                    : answer.error().toString());
            ProtocolWriter out = responseWithThrottleTime(request, 1).int16(answer.error().code());
            if (version >= 5) {
                out.nullableString(answer.protocolType()).nullableString(answer.protocolName());
            }
            return out.nullableBytes(ByteBuffer.wrap(answer.assignment())).taggedFields();
        });
    }

    private static Assignment readAssignment(ProtocolReader each) {
        Assignment assignment = new Assignment(each.string("assignment member_id"),
                bytes(each.nullableBytes("assignment")));
        each.taggedFields("SyncGroupRequestAssignment");
        return assignment;
    }

    static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        return copy;
    }
}
