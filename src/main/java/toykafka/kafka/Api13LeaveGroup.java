package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.LeaveGroupResponse;
import toykafka.common.Errors;

/**
 * LeaveGroup (key 13), versions 0–3: a member leaving on {@code close()}, so the others rebalance at once
 * instead of waiting out its session. Kafka's {@code KafkaApis.handleLeaveGroupRequest}. v0–v2 name one
 * member; v3 names several (an admin's {@code removeMembersFromConsumerGroup}) and answers each. An unknown
 * member is UNKNOWN_MEMBER_ID: for the request in v0–v2, for that member in v3, as in Kafka; a group the
 * coordinator does not know makes every member unknown.
 *
 * <p>A v3 member named only by {@code group_instance_id} (a static member, which this broker never admits) is
 * UNKNOWN_MEMBER_ID. Ignored: throttling (always 0 ms). Versions 4 and up (flexible, and from v5 a reason)
 * are not served.
 */
final class Api13LeaveGroup extends Api {

    private final GroupCoordinator coordinator;

    Api13LeaveGroup(Broker broker) {
        super(13, "LeaveGroup", 0, 3, 4);
        this.coordinator = broker.groupCoordinator();
    }

    private record Leaving(String memberId, String groupInstanceId) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String groupId = GroupMemberFields.groupId(in);
        List<Leaving> leaving = version >= 3
                ? in.array("members", false, member -> new Leaving(GroupMemberFields.memberId(member),
                        GroupMemberFields.groupInstanceId(member, version, 3)))
                : List.of(new Leaving(GroupMemberFields.memberId(in), null));
        request.asked(() -> "group " + groupId + ": " + Summaries.list(leaving.stream().map(Leaving::memberId).toList()));

        List<String> memberIds = new ArrayList<>(leaving.stream().map(Leaving::memberId).toList());
        LeaveGroupResponse answer = coordinator.leaveGroup(groupId, memberIds);
        Map<String, Errors> results = answer.members();
        request.answered(() -> answer.error() != Errors.NONE ? answer.error().toString()
                : Summaries.list(leaving.stream().map(m -> m.memberId() + " " + errorOf(results, m)).toList()));

        ProtocolWriter out = new ProtocolWriter();
        if (version >= 1) {
            out.int32(0); // throttle time
        }
        if (version < 3) {
            Errors error = answer.error() != Errors.NONE ? answer.error() : errorOf(results, leaving.get(0));
            return CompletableFuture.completedFuture(out.int16(error.code()));
        }
        out.int16(answer.error().code());
        out.array(answer.error() == Errors.NONE ? leaving : List.<Leaving>of(), false, (w, member) -> w
                .string(member.memberId(), false).nullableString(member.groupInstanceId(), false)
                .int16(errorOf(results, member).code()));
        return CompletableFuture.completedFuture(out);
    }

    private static Errors errorOf(Map<String, Errors> results, Leaving member) {
        return member.memberId().isEmpty() ? Errors.UNKNOWN_MEMBER_ID
                : results.getOrDefault(member.memberId(), Errors.UNKNOWN_MEMBER_ID);
    }
}
