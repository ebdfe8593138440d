package toykafka.kafka;

import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * Heartbeat (key 12), versions 0–4 (flexible from v4): a member says it is alive, every
 * {@code heartbeat.interval.ms} (3 s by default), so its session does not run out. Kafka's
 * {@code KafkaApis.handleHeartbeatRequest}. The answer is how the coordinator tells a member of a rebalance:
 * REBALANCE_IN_PROGRESS, and the member joins again; ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID when it missed one or
 * was removed; from v3, FENCED_INSTANCE_ID to a static member whose {@code group_instance_id} a newer instance of
 * it has taken over.
 *
 * <p>With an authorizer the group needs READ, else GROUP_AUTHORIZATION_FAILED, as Kafka asks.
 *
 * <p>Ignored: tagged fields, as none are defined.
 */
final class Api12Heartbeat extends BrokerApi {

    private final AuthHelper auth;

    Api12Heartbeat(Broker broker, AuthHelper auth) {
        super(broker, 12, "Heartbeat", 0, 4, 4);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        GroupMemberFields caller = GroupMemberFields.read(in, version, 3);
        in.taggedFields("HeartbeatRequest");
        request.asked(() -> "group " + caller.groupId() + " generation " + caller.generationId() + " from "
                + caller.memberId());
        Errors answer = !auth.authorize(request, AclOperation.READ, ResourceType.GROUP, caller.groupId())
                ? Errors.GROUP_AUTHORIZATION_FAILED // Kafka asks READ on the group before the coordinator
                : broker.groupCoordinator().heartbeat(new HeartbeatRequest(caller.groupId(), caller.generationId(),
                caller.memberId(), caller.groupInstanceId()));
        request.answered(answer.toString());
        return CompletableFuture.completedFuture(responseWithThrottleTime(request, 1).int16(answer.code())
                .taggedFields());
    }
}
