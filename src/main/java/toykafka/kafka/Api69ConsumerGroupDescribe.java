package toykafka.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import toykafka.broker.Broker;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.TopicId;

/**
 * ConsumerGroupDescribe (key 69), versions 0–1, flexible: each consumer group of Kafka 4's protocol with its state,
 * its group epoch and assignment epoch, the assignor it uses, and each member with its epoch, subscriptions, and the
 * partitions it owns now and in its target. Kafka's {@code KafkaApis.handleConsumerGroupDescribe}. Kafka 4's Admin
 * ({@code kafka-consumer-groups --describe}) asks this first, and for a group it answers GROUP_ID_NOT_FOUND ("Group X
 * is not a consumer group.", or "Group X not found.") asks DescribeGroups instead. v1 adds each member's type: 1 for a
 * member of the consumer protocol, 0 for a classic member (one that joined with JoinGroup), as Kafka's
 * {@code MemberType} numbers them. {@code include_authorized_operations} is answered from the authorizer (all of a
 * group's when none is configured). With an authorizer, as Kafka's handler answers: a group the principal may not
 * DESCRIBE is GROUP_AUTHORIZATION_FAILED, listed before the others, and one whose members own or are to own a topic it
 * may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED with no members, so no topic is shown to who may not see it. Ignored:
 * rack ids are answered as the members gave them, and no assignor uses them.
 */
final class Api69ConsumerGroupDescribe extends BrokerApi {

    /** MemberType of a member that speaks the consumer protocol (v1), and of a classic member. */
    private static final byte CONSUMER_MEMBER = 1;
    private static final byte CLASSIC_MEMBER = 0;

    private final AuthHelper auth;

    Api69ConsumerGroupDescribe(Broker broker, AuthHelper auth) {
        super(broker, 69, "ConsumerGroupDescribe", 0, 1, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<String> groupIds = in.array("group_ids", group -> group.string("group id"));
        boolean operations = in.bool("include_authorized_operations");
        in.taggedFields("ConsumerGroupDescribeRequest");

        Set<String> refused = auth.refusedOf(request, AclOperation.DESCRIBE, ResourceType.GROUP, groupIds);
        List<DescribedConsumerGroup> groups = new ArrayList<>(groupIds.stream().filter(refused::contains)
                .map(id -> refused(id, Errors.GROUP_AUTHORIZATION_FAILED, null)).toList());
        askEach(request, groupIds.stream().filter(id -> !refused.contains(id)).toList(),
                broker.groupCoordinator()::describeConsumerGroup, g -> describedGroup(g.groupId(), g.error(),
                        g.state(), g.groupEpoch(), g.members().size()))
                .forEach(group -> groups.add(auth.mayDescribeTopics(request, ownedTopics(group)) ? group
                        : refused(group.groupId(), Errors.TOPIC_AUTHORIZATION_FAILED,
                        AuthHelper.DESCRIBED_TOPICS_REFUSED)));

        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(groups, (w, group) -> {
            w.int16(group.error().code()).nullableString(group.errorMessage()).string(group.groupId())
                    .string(group.state()).int32(group.groupEpoch()).int32(group.assignmentEpoch())
                    .string(group.assignor());
            w.array(group.members(), (m, member) -> {
                m.string(member.memberId()).nullableString(member.instanceId())
                        .nullableString(member.rackId()).int32(member.memberEpoch())
                        .string(member.clientId()).string(member.clientHost())
                        .array(member.subscribedTopicNames(), (t, name) -> t.string(name))
                        .nullableString(member.subscribedTopicRegex());
                writeAssignment(m, member.assignment(), group.topicNames()::get);
                writeAssignment(m, member.target(), group.topicNames()::get);
                if (version >= 1) {
                    m.int8(member.classic() ? CLASSIC_MEMBER : CONSUMER_MEMBER);
                }
                m.taggedFields();
            });
            w.int32(authorizedOperations(operations, request, group.error(), group.groupId()));
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** A group refused as Kafka's handler refuses it: only its id, the error and why. */
    private static DescribedConsumerGroup refused(String groupId, Errors error, String message) {
        return new DescribedConsumerGroup(error, message, groupId, "", 0, 0, "", List.of(), Map.of());
    }

    /** The names of the topics the group's members own or are to own. */
    private static Set<String> ownedTopics(DescribedConsumerGroup group) {
        Set<String> names = new HashSet<>();
        for (DescribedConsumerGroup.Member member : group.members()) {
            for (Map<TopicId, ?> partitions : List.of(member.assignment(), member.target())) {
                partitions.keySet().forEach(id -> names.add(group.topicNames().getOrDefault(id, "")));
            }
        }
        return names;
    }

    /**
     * The group's authorized operations when asked for; never for a group refused by the authorizer, as Kafka leaves
     * its default there.
     */
    private int authorizedOperations(boolean requested, Request request, Errors error, String groupId) {
        boolean refused = error == Errors.GROUP_AUTHORIZATION_FAILED || error == Errors.TOPIC_AUTHORIZATION_FAILED;
        return AuthorizedOperations.answer(requested && !refused, auth, request, ResourceType.GROUP, groupId);
    }

    /**
     * A member's partitions as the describes of consumer and share groups write them: each topic by id and name (empty
     * for a topic {@code nameOf} does not know), then its partitions.
     */
    static void writeAssignment(ProtocolWriter out, Map<TopicId, ? extends Collection<Integer>> partitions,
                                Function<TopicId, String> nameOf) {
        out.array(List.copyOf(partitions.entrySet()), (w, topic) -> {
            String name = nameOf.apply(topic.getKey());
            w.topicId(topic.getKey()).string(name == null ? "" : name);
            w.array(List.copyOf(topic.getValue()), (p, partition) -> p.int32(partition));
            w.taggedFields();
        });
        out.taggedFields();
    }
}
