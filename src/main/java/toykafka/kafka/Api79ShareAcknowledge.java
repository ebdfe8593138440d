package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.share.SharePartitions;
import toykafka.broker.share.ShareSessions;
import toykafka.broker.share.partition.SharePartitionException;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.kafka.ShareAcknowledgements.Named;

/**
 * ShareAcknowledge (key 79), versions 1–2, flexible: a share consumer's acknowledgements sent on their own, when it
 * commits them ({@code commitSync}, {@code commitAsync}) or closes. Kafka's {@code
 * KafkaApis.handleShareAcknowledgeRequest}. It uses the member's share session but cannot open one (epoch 0 is
 * INVALID_SHARE_SESSION_EPOCH); -1 closes it, giving back whatever the member still holds. Each partition answers
 * on its own: NONE, INVALID_RECORD_STATE for records the member does not hold, UNKNOWN_TOPIC_ID for a topic the
 * broker does not have.
 *
 * <p>Version 2 adds IsRenewAck (only a request that says it may carry RENEW, type 4) and AcquisitionLockTimeoutMs
 * in the answer. A partition whose batches are unsound (see {@link ShareAcknowledgements#invalid}) is INVALID_REQUEST
 * on its own. With an authorizer, as Kafka's handler checks: the group needs READ, else GROUP_AUTHORIZATION_FAILED
 * before the session is touched, and each topic READ, else its partitions are TOPIC_AUTHORIZATION_FAILED.
 * Ignored: NodeEndpoints is empty and CurrentLeader always this broker.
 */
final class Api79ShareAcknowledge extends BrokerApi {

    private final AuthHelper auth;

    Api79ShareAcknowledge(Broker broker, AuthHelper auth) {
        super(broker, 79, "ShareAcknowledge", 1, 2, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        TopicIds topics = TopicIds.of(broker);
        String groupId = in.nullableString("group_id");
        String memberId = in.nullableString("member_id");
        int epoch = in.int32("share_session_epoch");
        boolean renewing = version >= 2 && in.bool("is_renew_ack");
        List<ShareAcknowledgements.Acks> acks = new ArrayList<>();
        ShareAcknowledgements.readTopics(in, topics, "Acknowledge",
                (partition, batches) -> acks.add(ShareAcknowledgements.Acks.of(partition, batches, version, renewing)));
        in.taggedFields("ShareAcknowledgeRequest");
        request.asked(() -> "share group " + groupId + " member " + memberId + " session epoch " + epoch + ", "
                + acks.size() + " partitions acknowledged");

        if (groupId == null) {
            return CompletableFuture.completedFuture(refused(Errors.INVALID_REQUEST, "Invalid group id in the"
                    + " request.", request));
        }
        if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, groupId)) {
            return CompletableFuture.completedFuture(refused(Errors.GROUP_AUTHORIZATION_FAILED, null, request));
        }
        if (!Api78ShareFetch.validMemberId(memberId)) {
            return CompletableFuture.completedFuture(refused(Errors.INVALID_REQUEST, "Invalid member id in the"
                    + " request.", request));
        }
        SharePartitions shares = broker.sharePartitions();
        try {
            shares.sessions().acknowledge(groupId, memberId, epoch);
        } catch (SharePartitionException e) {
            return CompletableFuture.completedFuture(refused(e.error(), e.getMessage(), request));
        }
        Map<Named, SharePartitions.Acknowledged> answers = ShareAcknowledgements.apply(broker, groupId, memberId, acks,
                auth.refusedOf(request, AclOperation.READ, ResourceType.TOPIC, Api78ShareFetch.topicsOf(
                        acks.stream().map(ShareAcknowledgements.Acks::partition).toList())));
        if (epoch == ShareSessions.FINAL) {
            shares.release(groupId, memberId);
        }
        request.answered(() -> answers.entrySet().stream().map(e -> e.getKey().id() + "-" + e.getKey().partition()
                + " " + e.getValue().error()).toList().toString());

        ProtocolWriter out = responseWithThrottleTime(request);
        out.int16(Errors.NONE.code()).nullableString(null);
        if (version >= 2) {
            out.int32(shares.settings(groupId).recordLockDurationMs());
        }
        Map<TopicId, List<Map.Entry<Named, SharePartitions.Acknowledged>>> byTopic = new LinkedHashMap<>();
        answers.entrySet().forEach(e -> byTopic.computeIfAbsent(e.getKey().id(), id -> new ArrayList<>()).add(e));
        out.array(List.copyOf(byTopic.entrySet()), (w, topic) -> {
            w.topicId(topic.getKey());
            w.array(topic.getValue(), (p, entry) -> {
                p.int32(entry.getKey().partition()).int16(entry.getValue().error().code())
                        .nullableString(entry.getValue().message());
                ShareAcknowledgements.writeLeader(p, broker);
                p.taggedFields();
            });
            w.taggedFields();
        });
        out.arrayLength(0); // node_endpoints: no partition moved
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    private static ProtocolWriter refused(Errors error, String message, Request request) {
        request.answered(() -> error + ": " + message);
        ProtocolWriter out = responseWithThrottleTime(request).int16(error.code()).nullableString(message);
        if (request.version() >= 2) {
            out.int32(0);
        }
        return out.arrayLength(0).arrayLength(0).taggedFields();
    }
}
