package toykafka.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.base.OffsetDeleteResponse;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * OffsetDelete (key 47), version 0: {@code kafka-consumer-groups --delete-offsets}, {@code
 * Admin.deleteConsumerGroupOffsets}. Kafka's {@code KafkaApis.handleOffsetDeleteRequest}: removes a group's
 * committed offsets for some partitions, so the group starts them again from {@code auto.offset.reset}. A
 * partition of a topic the group's members subscribe to keeps its offset (GROUP_SUBSCRIBED_TO_TOPIC), since
 * a member is reading it; a group the coordinator does not know is GROUP_ID_NOT_FOUND for the whole request.
 * With an authorizer, as Kafka's handler answers: the group needs DELETE, else GROUP_AUTHORIZATION_FAILED for the
 * whole request, and each topic READ, else its partitions are TOPIC_AUTHORIZATION_FAILED, listed first and kept.
 * Version 0 is the only one Kafka has.
 */
final class Api47OffsetDelete extends BrokerApi {

    private final AuthHelper auth;

    Api47OffsetDelete(Broker broker, AuthHelper auth) {
        super(broker, 47, "OffsetDelete", 0, 0, Short.MAX_VALUE);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        String groupId = GroupMemberFields.groupId(in);
        List<TopicPartitionNumbers> topics = in.array("topics",
                topic -> TopicPartitionNumbers.read(topic, "OffsetDeleteRequestTopic"));
        List<TopicPartition> partitions = TopicPartitionNumbers.named(topics);
        request.asked(() -> "group " + groupId + ": " + Summaries.list(partitions.stream().map(Object::toString).toList()));

        if (!auth.authorize(request, AclOperation.DELETE, ResourceType.GROUP, groupId)) {
            request.answered(() -> Errors.GROUP_AUTHORIZATION_FAILED.toString());
            return CompletableFuture.completedFuture(response(request).int16(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .throttleTimeMs(request.throttleTimeMs()).arrayLength(0));
        }
        Set<String> refused = auth.refusedOf(request, AclOperation.READ, ResourceType.TOPIC,
                topics.stream().map(TopicPartitionNumbers::topic).toList());
        OffsetDeleteResponse answer = broker.groupCoordinator().deleteOffsets(groupId, partitions.stream()
                .filter(partition -> !refused.contains(partition.topic())).toList());
        request.answered(() -> answer.error() != Errors.NONE ? answer.error().toString() : Summaries.list(answer
                .partitions().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
        ProtocolWriter out = response(request).int16(answer.error().code()).throttleTimeMs(request.throttleTimeMs());
        out.topics(answer.error() == Errors.NONE ? AuthHelper.refusedFirst(topics,
                        TopicPartitionNumbers::topic, refused) : List.<TopicPartitionNumbers>of(),
                TopicPartitionNumbers::topic, TopicPartitionNumbers::partitions,
                (p, topic, index) -> p.int32(index).int16((refused.contains(topic.topic())
                        ? Errors.TOPIC_AUTHORIZATION_FAILED : index < 0 ? Errors.UNKNOWN_TOPIC_OR_PARTITION : answer
                        .partitions().getOrDefault(new TopicPartition(topic.topic(), index), Errors.NONE)).code()));
        return CompletableFuture.completedFuture(out);
    }
}
