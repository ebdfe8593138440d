package toykafka.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.common.Errors;
import toykafka.common.TopicId;

// tag::heartbeat[]
/**
 * ConsumerGroupHeartbeat (key 68), versions 0–1, flexible: the one request of Kafka 4's consumer group protocol
 * (KIP-848), which a consumer with {@code group.protocol=consumer} sends every {@code
 * group.consumer.heartbeat.interval.ms}. Kafka's {@code KafkaApis.handleConsumerGroupHeartbeat}. Epoch 0 joins, -1
 * leaves; any other is the epoch the member was given, and the heartbeat says what changed since the last one (its
 * subscription, the partitions it owns), a field left null being as it was. The answer comes at once, never held:
 * the member's epoch, how often to heartbeat, and, when it changed, the partitions it owns from now on, by topic id.
 * A member whose epoch the group does not know is FENCED_MEMBER_EPOCH, and one it does not have UNKNOWN_MEMBER_ID:
 * both join again with epoch 0.
 *
 * <p>Version 0 lets the coordinator choose a joining member's id; from version 1 the consumer makes its own (a
 * Kafka 4 consumer always does), and an empty one is refused. Version 1 adds {@code SubscribedTopicRegex}: a
 * consumer that subscribes with a {@code SubscriptionPattern} sends a regular expression, which the broker matches
 * against every topic's whole name with RE2/J, as Kafka's does; one RE2/J refuses is INVALID_REGULAR_EXPRESSION.
 * With an authorizer the group needs READ, else GROUP_AUTHORIZATION_FAILED, and each subscribed topic name DESCRIBE,
 * else TOPIC_AUTHORIZATION_FAILED, before the coordinator hears of it, as Kafka answers both: with no message. A
 * regular expression matches only the topics the member's principal may DESCRIBE, as Kafka's coordinator filters
 * a regex's topics by the authorizer with the context of the heartbeat that resolves it.
 */
final class Api68ConsumerGroupHeartbeat extends BrokerApi {
    // end::heartbeat[]

    private final AuthHelper auth;

    Api68ConsumerGroupHeartbeat(Broker broker, AuthHelper auth) {
        super(broker, 68, "ConsumerGroupHeartbeat", 0, 1, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        HeartbeatMemberFields member = HeartbeatMemberFields.read(in);
        String instanceId = in.nullableString("instance_id");
        String rackId = in.nullableString("rack_id");
        int rebalanceTimeoutMs = in.int32("rebalance_timeout_ms");
        List<String> topics = in.nullableArray("subscribed_topic_names", t -> t.string("topic name"));
        String regex = version >= 1 ? in.nullableString("subscribed_topic_regex") : null;
        String assignor = in.nullableString("server_assignor");
        List<Owned> owned = in.nullableArray("topic_partitions", Owned::read);
        in.taggedFields("ConsumerGroupHeartbeatRequest");
        request.asked(() -> member
                + (topics == null ? "" : ", subscribing to " + Summaries.list(topics))
                + (regex == null ? "" : ", subscribing to topics matching " + regex)
                + (owned == null ? "" : ", owning " + Summaries.list(owned.stream().map(Owned::toString).toList())));

        Errors refused = auth.heartbeatRefusal(request, member.groupId(), topics);
        if (refused != Errors.NONE) {
            return answer(ConsumerGroupHeartbeat.Response.error(refused, null), request);
        }
        // from v1 the member makes its id: the coordinator never does
        if (version >= 1 && member.memberId().isEmpty()) {
            return answer(ConsumerGroupHeartbeat.Response.error(Errors.INVALID_REQUEST, "MemberId can't be empty."),
                    request);
        }
        Map<TopicId, Set<Integer>> owning = null;
        if (owned != null) {
            owning = new LinkedHashMap<>();
            for (Owned topic : owned) {
                owning.computeIfAbsent(topic.id(), id -> new TreeSet<>()).addAll(topic.partitions());
            }
        }
        return answer(broker.groupCoordinator().consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                member.groupId(), member.memberId(), member.memberEpoch(), instanceId, rackId, rebalanceTimeoutMs,
                topics, regex, assignor, owning, request.header().clientId(), request.clientHost()),
                auth.describableTopics(request)), request);
    }

    private static CompletableFuture<ProtocolWriter> answer(ConsumerGroupHeartbeat.Response answer, Request request) {
        return answer(request, answer.error(), answer.errorMessage(), answer.memberId(), answer.memberEpoch(),
                answer.heartbeatIntervalMs(), answer.assignment());
    }

    /**
     * Traces and writes a heartbeat's answer in the fields the responses of ConsumerGroupHeartbeat and
     * ShareGroupHeartbeat share: the error and why, the member's id and epoch, how often to heartbeat, and the
     * partitions it owns from now on (null when they did not change).
     */
    static CompletableFuture<ProtocolWriter> answer(Request request, Errors error, String errorMessage, String memberId,
                                                    int memberEpoch, int heartbeatIntervalMs,
                                                    Map<TopicId, SortedSet<Integer>> assignment) {
        request.answered(() -> error + (errorMessage == null ? "" : " (" + errorMessage + ")") + ", epoch "
                + memberEpoch + ", heartbeat every " + heartbeatIntervalMs + " ms"
                + (assignment == null ? "" : ", assigned " + assignment));

        ProtocolWriter out = responseWithThrottleTime(request);
        out.int16(error.code()).nullableString(errorMessage).nullableString(memberId).int32(memberEpoch)
                .int32(heartbeatIntervalMs);
        if (assignment == null) {
            out.int8((byte) -1);
        } else {
            out.int8((byte) 1);
            writePartitions(out, assignment);
            out.taggedFields();
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** Partitions by topic id, as the heartbeat's {@code TopicPartitions} has them. */
    private static void writePartitions(ProtocolWriter out, Map<TopicId, SortedSet<Integer>> partitions) {
        out.array(List.copyOf(partitions.entrySet()), (w, topic) -> {
            w.topicId(topic.getKey());
            w.array(List.copyOf(topic.getValue()), (p, partition) -> p.int32(partition));
            w.taggedFields();
        });
    }

    /** A topic's partitions the member says it owns. */
    private record Owned(TopicId id, List<Integer> partitions) {

        static Owned read(ProtocolReader topic) {
            TopicId id = topic.topicId("topic_id");
            List<Integer> partitions = topic.array("partitions", p -> p.int32("partition"));
            topic.taggedFields("TopicPartitions");
            return new Owned(id, partitions);
        }

        @Override
        public String toString() {
            return id + partitions.toString();
        }
    }
}
