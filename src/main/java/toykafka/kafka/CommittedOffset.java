package toykafka.kafka;

import java.util.List;
import toykafka.broker.Broker;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * One partition's offset to commit, as OffsetCommit and TxnOffsetCommit both carry it: the next offset to read, the
 * leader epoch the client gives with it (-1 before the version that has it), and the string it keeps beside it
 * ("" for null). Both APIs refuse an offset before their coordinator sees it for the same reasons, in the same
 * order.
 */
record CommittedOffset(String topic, int index, long offset, int leaderEpoch, String metadata) {

    /**
     * A topic of such a request, with its partitions in the order asked: named by {@code name}, or from the version
     * that names topics by id by {@code id}, when {@code name} is the topic's with that id, null if none has it.
     */
    record Topic(TopicId id, String name, List<CommittedOffset> partitions) {

        /** Whether the topic was named by an id no topic has (UNKNOWN_TOPIC_ID for each partition). */
        boolean unknownId() {
            return name == null;
        }

        /** Writes the topic's key as the request gave it: its id when asked by id, else its name. */
        void writeKey(ProtocolWriter out, boolean byId) {
            if (byId) {
                out.topicId(id);
            } else {
                out.string(name);
            }
        }
    }

    /**
     * The request's {@code topics}, its last field, then the tagged fields closing {@code requestStruct}, whose topic
     * and partition structs are named after it ({@code OffsetCommitRequestTopic}, {@code OffsetCommitRequestPartition}).
     */
    static List<Topic> readTopics(ProtocolReader in, short version, int leaderEpochSince, TopicIds byId,
                                  String requestStruct) {
        List<Topic> topics = in.array("topics", topic -> readTopic(topic, version, leaderEpochSince, byId,
                requestStruct + "Topic", requestStruct + "Partition"));
        in.taggedFields(requestStruct);
        return topics;
    }

    /** Every partition of {@code topics}, in the order asked. */
    static List<CommittedOffset> partitions(List<Topic> topics) {
        return topics.stream().flatMap(topic -> topic.partitions().stream()).toList();
    }

    /**
     * A topic's name (or, when {@code byId} is given, its id) and its partitions, each {@code partition_index},
     * {@code committed_offset}, {@code committed_leader_epoch} from version {@code leaderEpochSince},
     * {@code committed_metadata}, then, flexible, the tagged fields of {@code partitionStruct}; last the topic's, of
     * {@code topicStruct}.
     */
    private static Topic readTopic(ProtocolReader topic, short version, int leaderEpochSince, TopicIds byId,
                                   String topicStruct, String partitionStruct) {
        TopicId id = byId == null ? TopicId.ZERO : topic.topicId("topic_id");
        String name = byId == null ? topic.string("topic name") : byId.name(id);
        String label = name != null ? name : id.toString(); // an unknown id is named by itself in a trace
        List<CommittedOffset> partitions = topic.array("partitions of " + label, partition -> {
            int index = partition.int32("partition_index");
            long offset = partition.int64("committed_offset");
            int leaderEpoch = version >= leaderEpochSince ? partition.int32("committed_leader_epoch")
                    : OffsetAndMetadata.NO_LEADER_EPOCH;
            String metadata = partition.nullableString("committed_metadata");
            partition.taggedFields(partitionStruct);
            return new CommittedOffset(label, index, offset, leaderEpoch, metadata == null ? "" : metadata);
        });
        topic.taggedFields(topicStruct);
        return new Topic(id, name, partitions);
    }

    /** What is committed: the offset, its epoch (any negative is none) and its metadata. */
    OffsetAndMetadata value() {
        return new OffsetAndMetadata(offset, leaderEpoch, metadata);
    }

    /** Only for an index of 0 or more, which every partition that exists has. */
    TopicPartition partition() {
        return new TopicPartition(topic, index);
    }

    /**
     * Why this offset is refused before the coordinator sees it, or null: a partition the topic does not have
     * ({@code partitionCount} null for a topic that does not exist), metadata longer than {@code offset.metadata.max.bytes}
     * (in characters, as Kafka counts it), or a negative offset.
     */
    Errors refusal(Integer partitionCount, int metadataMaxChars) {
        if (partitionCount == null || index < 0 || index >= partitionCount) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (metadata.length() > metadataMaxChars) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return offset < 0 ? Errors.OFFSET_OUT_OF_RANGE : null;
    }

    /** The topic's partition count, or null when there is no such topic, or no topic could have that name. */
    static Integer partitionCount(Broker broker, String topic) {
        try {
            return broker.partitionCount(topic);
        } catch (ApiException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return topic + "-" + index;
    }
}
