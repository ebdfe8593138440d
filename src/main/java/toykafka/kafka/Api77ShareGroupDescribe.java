package toykafka.kafka;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.share.DescribedShareGroup;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * ShareGroupDescribe (key 77), version 1, flexible: each share group with its state, epochs, assignor ({@code simple})
 * and members, each with the topics it reads and the partitions it was given. Kafka's {@code
 * KafkaApis.handleShareGroupDescribeRequest}; {@code kafka-share-groups --describe --members} asks it. An id the
 * broker does not know, or another type's group, is GROUP_ID_NOT_FOUND with Kafka's message. {@code
 * include_authorized_operations} is answered from the authorizer (all of a group's when none is configured). With an
 * authorizer, as Kafka's handler answers: a group the principal may not DESCRIBE is GROUP_AUTHORIZATION_FAILED, listed
 * before the others, and one whose members were given a topic it may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED with
 * no members.
 */
final class Api77ShareGroupDescribe extends BrokerApi {

    private final AuthHelper auth;

    Api77ShareGroupDescribe(Broker broker, AuthHelper auth) {
        super(broker, 77, "ShareGroupDescribe", 1, 1, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<String> groupIds = in.array("group_ids", group -> group.string("group id"));
        boolean operations = in.bool("include_authorized_operations");
        in.taggedFields("ShareGroupDescribeRequest");

        TopicIds topics = TopicIds.of(broker);
        Set<String> refused = auth.refusedOf(request, AclOperation.DESCRIBE, ResourceType.GROUP, groupIds);
        List<DescribedShareGroup> groups = new ArrayList<>(groupIds.stream().filter(refused::contains)
                .map(id -> refused(id, Errors.GROUP_AUTHORIZATION_FAILED, null)).toList());
        askEach(request, groupIds.stream().filter(id -> !refused.contains(id)).toList(),
                broker.groupCoordinator()::describeShareGroup, g -> describedGroup(g.groupId(), g.error(),
                        g.state(), g.groupEpoch(), g.members().size()))
                .forEach(group -> groups.add(auth.mayDescribeTopics(request, assignedTopics(group, topics)) ? group
                        : refused(group.groupId(), Errors.TOPIC_AUTHORIZATION_FAILED,
                        AuthHelper.DESCRIBED_TOPICS_REFUSED)));

        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(groups, (w, group) -> {
            boolean found = group.error() == Errors.NONE;
            w.int16(group.error().code()).nullableString(group.errorMessage()).string(group.groupId())
                    .string(found ? group.state() : "").int32(group.groupEpoch()).int32(group.assignmentEpoch())
                    .string(found ? DescribedShareGroup.ASSIGNOR : "");
            w.array(group.members(), (m, member) -> {
                m.string(member.memberId()).nullableString(member.rackId()).int32(member.memberEpoch())
                        .string(member.clientId()).string(member.clientHost());
                m.array(List.copyOf(member.subscribedTopics()), (t, topic) -> t.string(topic));
                Api69ConsumerGroupDescribe.writeAssignment(m, member.assigned(), topics::name);
                m.taggedFields();
            });
            boolean refusedGroup = group.error() == Errors.GROUP_AUTHORIZATION_FAILED
                    || group.error() == Errors.TOPIC_AUTHORIZATION_FAILED; // Kafka leaves the default there
            w.int32(AuthorizedOperations.answer(operations && !refusedGroup, auth, request, ResourceType.GROUP,
                    group.groupId()));
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** A group refused as Kafka's handler refuses it: only its id, the error and why. */
    private static DescribedShareGroup refused(String groupId, Errors error, String message) {
        return new DescribedShareGroup(error, message, groupId, "", 0, 0, List.of());
    }

    /** The names of the topics the group's members were given. */
    private static Set<String> assignedTopics(DescribedShareGroup group, TopicIds topics) {
        Set<String> names = new HashSet<>();
        group.members().forEach(member -> member.assigned().keySet().forEach(id -> {
            String name = topics.name(id);
            names.add(name == null ? "" : name);
        }));
        return names;
    }
}
