package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * DeleteRecords (key 21), versions 0–2: {@code Admin.deleteRecords} and {@code kafka-delete-records
 * --offset-json-file}. Kafka's {@code ReplicaManager.deleteRecords}. The same operation as the HTTP side's
 * {@code records:delete}, {@link Broker#deleteRecords}: the records below the offset go to the archive and
 * the partition's log start offset moves up to it.
 *
 * <p>Per partition: an offset, or -1 for the high watermark (here the end offset: one replica, so every
 * record written is committed). The answer is the partition's low watermark, its log start offset after
 * the delete; an offset at or below it changes nothing. An offset past the high watermark, or below -1, is
 * OFFSET_OUT_OF_RANGE; an unknown topic or partition UNKNOWN_TOPIC_OR_PARTITION; the broker's own topics
 * INVALID_TOPIC_EXCEPTION, as Kafka refuses its internal topics. Each partition gets its own error (these
 * versions carry no message; {@code --trace} shows it), low watermark -1 with an error. Ignored: the timeout
 * (the delete is done before the answer). Version 2 is flexible. With an authorizer, a topic
 * needs DELETE, else each of its partitions is TOPIC_AUTHORIZATION_FAILED, as in Kafka.
 */
final class Api21DeleteRecords extends BrokerApi {

    /** The offset that stands for the high watermark: Kafka's {@code DeleteRecordsRequest.HIGH_WATERMARK}. */
    static final long HIGH_WATERMARK = -1;

    private record PartitionWanted(int partition, long offset) {
    }

    private record Outcome(int partition, long lowWatermark, Errors error, String message) {
    }

    private final AuthHelper auth;

    Api21DeleteRecords(Broker broker, AuthHelper auth) {
        super(broker, 21, "DeleteRecords", 0, 2, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<TopicPartitions<PartitionWanted>> topics = in.array("topics", topic -> {
            String name = topic.string("topic name");
            List<PartitionWanted> partitions = topic.array("partitions", partition -> {
                PartitionWanted wanted = new PartitionWanted(partition.int32("partition_index"),
                        partition.int64("offset"));
                partition.taggedFields("DeleteRecordsPartition");
                return wanted;
            });
            topic.taggedFields("DeleteRecordsTopic");
            return new TopicPartitions<>(name, partitions);
        });
        in.int32("timeout_ms");
        in.taggedFields("DeleteRecordsRequest");
        request.asked(Summaries.list(topics.stream().flatMap(t -> t.partitions().stream().map(p -> t.topic() + "-"
                + p.partition() + " before " + (p.offset() == HIGH_WATERMARK ? "the high watermark" : p.offset())))
                .toList()));

        List<TopicPartitions<Outcome>> outcomes = topics.stream().map(t -> auth.authorize(request, AclOperation.DELETE,
                ResourceType.TOPIC, t.topic()) ? t.map(p -> delete(t.topic(), p)) : t.map(p -> new Outcome(p.partition(),
                -1, Errors.TOPIC_AUTHORIZATION_FAILED, "Topic authorization failed."))).toList();
        request.answered(Summaries.list(outcomes.stream().flatMap(t -> t.partitions().stream().map(p -> t.topic()
                + "-" + p.partition() + (p.error() == Errors.NONE ? " low watermark " + p.lowWatermark()
                : " " + p.error() + " (" + p.message() + ")"))).toList()));

        ProtocolWriter out = responseWithThrottleTime(request);
        out.topics(outcomes, TopicPartitions::topic, TopicPartitions::partitions, (p, topic, outcome) ->
                p.int32(outcome.partition()).int64(outcome.lowWatermark()).int16(outcome.error().code()));
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    private Outcome delete(String topic, PartitionWanted wanted) {
        int partition = wanted.partition();
        try {
            long before = wanted.offset();
            if (before == HIGH_WATERMARK) {
                List<Broker.PartitionInfo> partitions = broker.describeTopic(topic).partitions();
                boolean there = partition >= 0 && partition < partitions.size();
                before = there ? partitions.get(partition).endOffset() : 0; // if not there, the core names those that are
            }
            return new Outcome(partition, broker.deleteRecords(topic, partition, before), Errors.NONE, null);
        } catch (ApiException e) {
            return new Outcome(partition, -1, e.error(), e.getMessage());
        }
    }
}
