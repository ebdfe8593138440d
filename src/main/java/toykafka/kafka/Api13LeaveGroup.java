package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * LeaveGroup (key 13), versions 0–5 (flexible from v4): a member leaving on {@code close()}, so the others
 * rebalance at once instead of waiting out its session. Kafka's {@code KafkaApis.handleLeaveGroupRequest}. v0–v2
 * name one member; v3 names several (an admin's {@code removeMembersFromConsumerGroup}) and answers each. An
 * unknown member is UNKNOWN_MEMBER_ID: for the request in v0–v2, for that member in v3, as in Kafka; a group the
 * coordinator does not know makes every member unknown.
 *
 * <p>A v3 member may be a static one, named by its {@code group_instance_id} with an empty member id (a static
 * consumer does not leave on {@code close()}: an admin removes it), or by both ids, when an instance id that a
 * newer instance has taken over is FENCED_INSTANCE_ID. With an authorizer the group needs READ, else the whole
 * request is GROUP_AUTHORIZATION_FAILED. Ignored: tagged fields, and v5's
 * {@code reason} per member, which Kafka's coordinator only logs.
 */
final class Api13LeaveGroup extends BrokerApi {

    private final AuthHelper auth;

    Api13LeaveGroup(Broker broker, AuthHelper auth) {
        super(broker, 13, "LeaveGroup", 0, 5, 4);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String groupId = GroupMemberFields.groupId(in);
        List<LeavingMember> leaving = version >= 3
                ? in.array("members", member -> readMember(member, version))
                : List.of(LeavingMember.dynamic(GroupMemberFields.memberId(in)));
        in.taggedFields("LeaveGroupRequest");
        request.asked(() -> "group " + groupId + ": " + Summaries.list(leaving.stream().map(Api13LeaveGroup::named)
                .toList()));

        LeaveGroupResponse answer = !auth.authorize(request, AclOperation.READ, ResourceType.GROUP, groupId)
                ? new LeaveGroupResponse(Errors.GROUP_AUTHORIZATION_FAILED, List.of()) // Kafka's first check
                : broker.groupCoordinator().leaveGroup(groupId, leaving);
        request.answered(() -> answer.error() != Errors.NONE ? answer.error().toString()
                : Summaries.list(answer.members().stream().map(m -> named(m.member()) + " " + m.error()).toList()));

        ProtocolWriter out = responseWithThrottleTime(request, 1);
        if (version < 3) {
            Errors error = answer.error() != Errors.NONE ? answer.error() : answer.members().get(0).error();
            return CompletableFuture.completedFuture(out.int16(error.code()));
        }
        out.int16(answer.error().code());
        out.array(answer.error() == Errors.NONE ? answer.members() : List.<LeaveGroupResponse.Left>of(),
                (w, left) -> w.string(left.member().memberId())
                        .nullableString(left.member().groupInstanceId()).int16(left.error().code()).taggedFields());
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** One of v3's members: its ids, then from v5 a reason, read past. */
    private static LeavingMember readMember(ProtocolReader member, short version) {
        LeavingMember leaving = new LeavingMember(GroupMemberFields.memberId(member),
                GroupMemberFields.groupInstanceId(member, version, 3));
        if (version >= 5) {
            member.nullableString("reason");
        }
        member.taggedFields("MemberIdentity");
        return leaving;
    }

    private static String named(LeavingMember member) {
        return member.groupInstanceId() == null ? member.memberId()
                : member.memberId() + " (group.instance.id " + member.groupInstanceId() + ")";
    }
}
