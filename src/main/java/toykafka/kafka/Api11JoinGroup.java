package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

// tag::join[]
/**
 * JoinGroup (key 11), versions 0–9 (flexible from v6): a member asks to be in its group's next generation, and
 * waits. Kafka's {@code KafkaApis.handleJoinGroupRequest}. The request goes to the broker's one
 * {@link GroupCoordinator}; the answer comes when the group's join barrier opens (every member has joined again, or the
 * rebalance timeout ran out), on whichever thread opened it. Only the leader's answer lists the members, each with
 * the metadata it sent for the chosen protocol: bytes the coordinator never reads, which the leader's assignor
 * decodes.
 *
 * <p>v0 has no rebalance timeout: the session timeout stands for it, as in Kafka. From v4 a first join (no member
 * id) is answered MEMBER_ID_REQUIRED with an id, and the member joins again with it, so a member whose answer is
 * lost does not leave a stranger in the group. v5 adds {@code group_instance_id}, static membership (KIP-345): such
 * a member skips the MEMBER_ID_REQUIRED detour, and when it comes back with no member id (a restart) it takes its
 * old place under a new id without a rebalance, while the old id is fenced with FENCED_INSTANCE_ID; the leader's
 * answer lists each member's instance id. From v7 the answer names the group's protocol type (null in a refusal).
 * v8's {@code reason} is read past: Kafka's coordinator only logs it. v9's answer has {@code skip_assignment}
 * (KIP-814): a static leader back from a restart into a Stable group is told it leads, with every member's metadata,
 * and to keep the assignment the group has; before v9 it is told the leader it replaced, and follows. With an
 * authorizer the group needs READ, else GROUP_AUTHORIZATION_FAILED before the coordinator hears of it. Ignored:
 * tagged fields, as none are defined.
 */
final class Api11JoinGroup extends BrokerApi {
    // end::join[]

    private final AuthHelper auth;

    Api11JoinGroup(Broker broker, AuthHelper auth) {
        super(broker, 11, "JoinGroup", 0, 9, 6);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String groupId = GroupMemberFields.groupId(in);
        int sessionTimeoutMs = in.int32("session_timeout_ms");
        int rebalanceTimeoutMs = version >= 1 ? in.int32("rebalance_timeout_ms") : sessionTimeoutMs;
        String memberId = GroupMemberFields.memberId(in);
        String groupInstanceId = GroupMemberFields.groupInstanceId(in, version, 5);
        String protocolType = in.string("protocol_type");
        List<JoinGroupRequest.Protocol> protocols = in.array("protocols", Api11JoinGroup::readProtocol);
        if (version >= 8) {
            in.nullableString("reason");
        }
        in.taggedFields("JoinGroupRequest");
        request.asked(() -> "group " + groupId + (memberId.isEmpty() ? " as a new member" : " as " + memberId)
                + ", " + protocolType + " protocols " + protocols.stream().map(JoinGroupRequest.Protocol::name).toList()
                + ", session " + sessionTimeoutMs + " ms, rebalance " + rebalanceTimeoutMs + " ms"
                + (groupInstanceId == null ? "" : ", group.instance.id " + groupInstanceId));
        JoinGroupRequest join = new JoinGroupRequest(groupId, memberId, request.header().clientId(),
                request.clientHost(), sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols, version >= 4,
                groupInstanceId, version >= 9);
        if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, groupId)) { // Kafka's first check
            JoinGroupResponse refused = JoinGroupResponse.error(Errors.GROUP_AUTHORIZATION_FAILED, "");
            request.answered(() -> answered(refused));
            return CompletableFuture.completedFuture(response(request, refused));
        }
        return broker.groupCoordinator().joinGroup(join).thenApply(answer -> {
            request.answered(() -> answered(answer));
            return response(request, answer);
        });
    }

    private static JoinGroupRequest.Protocol readProtocol(ProtocolReader protocol) {
        JoinGroupRequest.Protocol read = new JoinGroupRequest.Protocol(protocol.string("protocol name"),
                Api14SyncGroup.bytes(protocol.nullableBytes("protocol metadata")));
        protocol.taggedFields("JoinGroupRequestProtocol");
        return read;
    }

    private static String answered(JoinGroupResponse answer) {
        if (answer.error() != Errors.NONE) {
            return answer.error() + (answer.memberId().isEmpty() ? "" : " for " + answer.memberId());
        }
        return "generation " + answer.generationId() + ", protocol " + answer.protocolName() + ", "
                + answer.memberId() + (answer.isLeader() ? " leads " + answer.members().size() + " members"
                + (answer.skipAssignment() ? ", skipping the assignment" : "") : " follows " + answer.leader());
    }

    /** The response, each field in the versions JoinGroupResponse.json gives it. */
    private static ProtocolWriter response(Request request, JoinGroupResponse answer) {
        short version = request.version();
        ProtocolWriter out = responseWithThrottleTime(request, 2);
        out.int16(answer.error().code()).int32(answer.generationId());
        if (version >= 7) {
            out.nullableString(answer.protocolType());
        }
        // a refusal's protocol name is empty, not null, even where null may be sent: Kafka leaves it at its default
        out.string(answer.protocolName() == null ? "" : answer.protocolName()).string(answer.leader());
        if (version >= 9) {
            out.bool(answer.skipAssignment());
        }
        out.string(answer.memberId());
        out.array(answer.members(), (w, member) -> {
            w.string(member.memberId());
            if (version >= 5) {
                w.nullableString(member.groupInstanceId());
            }
            w.nullableBytes(ByteBuffer.wrap(member.metadata())).taggedFields();
        });
        return out.taggedFields();
    }
}
