package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.share.ShareGroupHeartbeat;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

// tag::share-heartbeat[]
/**
 * ShareGroupHeartbeat (key 76), version 1, flexible: the heartbeat of a share group's member (KIP-932), which Kafka's
 * {@code KafkaShareConsumer} sends every {@code group.share.heartbeat.interval.ms}. Kafka's {@code
 * KafkaApis.handleShareGroupHeartbeat}. The member makes its own id; epoch 0 joins, -1 leaves, and any other is the
 * epoch it was given. The answer comes at once: its epoch, how often to heartbeat, and its partitions by topic id when
 * they changed; a partition is handed out from the heartbeat after the one that first saw it, once its share state is
 * initialized. Version 0 was an early-access version that Kafka 4.1 removed; 4.4 serves only 1.
 *
 * <p>With an authorizer, as Kafka's handler checks before the coordinator hears of it: the group needs READ, else
 * GROUP_AUTHORIZATION_FAILED; then an empty member id is INVALID_REQUEST; then each subscribed topic name needs
 * DESCRIBE, else TOPIC_AUTHORIZATION_FAILED; both refusals with no message.
 *
 * <p>Ignored: the rack id is kept for describing, and assigns nothing (the {@code simple} assignor is not rack-aware).
 */
final class Api76ShareGroupHeartbeat extends BrokerApi {
    // end::share-heartbeat[]

    private final AuthHelper auth;

    Api76ShareGroupHeartbeat(Broker broker, AuthHelper auth) {
        super(broker, 76, "ShareGroupHeartbeat", 1, 1, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        HeartbeatMemberFields member = HeartbeatMemberFields.read(in);
        String rackId = in.nullableString("rack_id");
        List<String> topics = in.nullableArray("subscribed_topic_names", t -> t.string("topic name"));
        in.taggedFields("ShareGroupHeartbeatRequest");
        request.asked(() -> "share " + member
                + (topics == null ? "" : ", subscribing to " + Summaries.list(topics)));

        ShareGroupHeartbeat.Response answer = !auth.authorize(request, AclOperation.READ, ResourceType.GROUP,
                member.groupId()) ? ShareGroupHeartbeat.Response.error(Errors.GROUP_AUTHORIZATION_FAILED, null)
                : member.memberId().isEmpty()
                ? ShareGroupHeartbeat.Response.error(Errors.INVALID_REQUEST, "MemberId can't be empty.")
                : !auth.mayDescribeTopics(request, topics)
                ? ShareGroupHeartbeat.Response.error(Errors.TOPIC_AUTHORIZATION_FAILED, null)
                : broker.groupCoordinator().shareGroupHeartbeat(new ShareGroupHeartbeat.Request(
                member.groupId(), member.memberId(), member.memberEpoch(), rackId, topics, request.header().clientId(),
                request.clientHost()));
        return Api68ConsumerGroupHeartbeat.answer(request, answer.error(), answer.errorMessage(), answer.memberId(),
                answer.memberEpoch(), answer.heartbeatIntervalMs(), answer.assignment());
    }
}
