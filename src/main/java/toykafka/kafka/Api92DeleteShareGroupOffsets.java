package toykafka.kafka;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.TopicId;

/**
 * DeleteShareGroupOffsets (key 92), version 0, flexible: a share group forgets what it read of whole topics, which
 * {@code kafka-share-groups --delete-offsets} and Admin's {@code deleteShareGroupOffsets} send. Kafka's {@code
 * GroupCoordinatorService.deleteShareGroupOffsets}: only a group with no members (NON_EMPTY_GROUP), only a share
 * group (GROUP_ID_NOT_FOUND); a topic the broker does not have is UNKNOWN_TOPIC_OR_PARTITION. The next member to read
 * such a topic starts where {@code share.auto.offset.reset} says. With an authorizer, as Kafka's handler answers:
 * the group needs DELETE, else GROUP_AUTHORIZATION_FAILED for the whole request, and each topic READ, else it is
 * TOPIC_AUTHORIZATION_FAILED with no topic id, listed first and kept.
 */
final class Api92DeleteShareGroupOffsets extends BrokerApi {

    private final AuthHelper auth;

    Api92DeleteShareGroupOffsets(Broker broker, AuthHelper auth) {
        super(broker, 92, "DeleteShareGroupOffsets", 0, 0, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ShareOffsetChanges.Asked<String> asked = ShareOffsetChanges.read(request, "DeleteShareGroupOffsetsRequest",
                (name, topic) -> name);
        String groupId = asked.groupId();
        if (!auth.authorize(request, AclOperation.DELETE, ResourceType.GROUP, groupId)) {
            return ShareOffsetChanges.groupRefused(request);
        }
        Set<String> refused = auth.refusedOf(request, AclOperation.READ, ResourceType.TOPIC, asked.topics());
        return ShareOffsetChanges.answer(broker, request, groupId, false, out -> {
            TopicIds ids = TopicIds.of(broker);
            out.array(AuthHelper.refusedFirst(asked.topics(), topic -> topic, refused), (w, topic) -> {
                if (refused.contains(topic)) {
                    w.string(topic).topicId(TopicId.ZERO).int16(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .nullableString("Topic authorization failed.").taggedFields();
                    return;
                }
                TopicId id = ids.id(topic);
                boolean known = !id.equals(TopicId.ZERO);
                if (known) {
                    broker.sharePartitions().forgetTopic(groupId, topic);
                }
                w.string(topic).topicId(id)
                        .int16(known ? Errors.NONE.code() : Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .nullableString(known ? null : "This server does not host this topic-partition.");
                w.taggedFields();
            });
        });
    }
}
