package toykafka.kafka;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.share.partition.SharePartitionException;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * AlterShareGroupOffsets (key 91), version 0, flexible: moves a share group's start offsets, which {@code
 * kafka-share-groups --reset-offsets --execute} and Admin's {@code alterShareGroupOffsets} send. Kafka's {@code
 * GroupMetadataManager.alterShareGroupOffsets}: only a group with no members may be altered (NON_EMPTY_GROUP, "The
 * group is not empty."), and the group is made if there is none; a partition the topic does not have is
 * UNKNOWN_TOPIC_OR_PARTITION. From then on the share partition starts there, its records in flight forgotten.
 * With an authorizer, as Kafka's handler answers: the group needs READ, else GROUP_AUTHORIZATION_FAILED for the whole
 * request, and each topic READ, else its partitions are TOPIC_AUTHORIZATION_FAILED, listed first and left as they
 * were.
 */
final class Api91AlterShareGroupOffsets extends BrokerApi {

    private final AuthHelper auth;

    Api91AlterShareGroupOffsets(Broker broker, AuthHelper auth) {
        super(broker, 91, "AlterShareGroupOffsets", 0, 0, 0);
        this.auth = auth;
    }

    private record Wanted(int partition, long startOffset) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ShareOffsetChanges.Asked<TopicPartitions<Wanted>> asked = ShareOffsetChanges.read(request, "AlterShareGroupOffsetsRequest",
                (name, topic) -> new TopicPartitions<>(name, topic.array("partitions", p -> {
                    Wanted wanted = new Wanted(p.int32("partition_index"), p.int64("start_offset"));
                    p.taggedFields("AlterShareGroupOffsetsRequestPartition");
                    return wanted;
                })));
        String groupId = asked.groupId();
        if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, groupId)) {
            return ShareOffsetChanges.groupRefused(request);
        }
        Set<String> refused = auth.refusedOf(request, AclOperation.READ, ResourceType.TOPIC,
                asked.topics().stream().map(TopicPartitions::topic).toList());
        return ShareOffsetChanges.answer(broker, request, groupId, true, out -> {
            TopicIds ids = TopicIds.of(broker);
            out.array(AuthHelper.refusedFirst(asked.topics(), TopicPartitions::topic, refused), (w, topic) -> {
                TopicId id = ids.id(topic.topic());
                int count = id.equals(TopicId.ZERO) ? 0 : partitionCount(topic.topic());
                w.string(topic.topic()).topicId(id);
                w.array(topic.partitions(), (p, wanted) -> {
                    Errors error = Errors.NONE;
                    String message = null;
                    if (refused.contains(topic.topic())) {
                        error = Errors.TOPIC_AUTHORIZATION_FAILED;
                        message = "Topic authorization failed.";
                    } else if (wanted.partition() < 0 || wanted.partition() >= count) {
                        error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                        message = "This server does not host this topic-partition.";
                    } else {
                        try {
                            broker.sharePartitions().alterStartOffset(groupId,
                                    new TopicPartition(topic.topic(), wanted.partition()), wanted.startOffset());
                        } catch (SharePartitionException e) {
                            error = e.error();
                            message = e.getMessage();
                        }
                    }
                    p.int32(wanted.partition()).int16(error.code()).nullableString(message).taggedFields();
                });
                w.taggedFields();
            });
        });
    }

    private int partitionCount(String topic) {
        try {
            return broker.partitionCount(topic);
        } catch (ApiException gone) {
            return 0;
        }
    }
}
