package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.SharePartitions;
import toykafka.broker.share.AcknowledgeType;
import toykafka.broker.share.AcknowledgementBatch;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * What ShareFetch and ShareAcknowledge both carry: acknowledgement batches by topic id and partition, read into the
 * broker's terms, and each partition's leader as the answers name it.
 */
final class ShareAcknowledgements {

    private ShareAcknowledgements() {
    }

    /** A partition a share request names: its topic id, its number, and its name if the broker has the topic. */
    record Named(TopicId id, int partition, TopicPartition topicPartition) {
    }

    /** One partition's acknowledgement batches, as a request carries them. */
    record Acks(Named partition, List<AcknowledgementBatch> batches) {
    }

    /** The AcknowledgementBatches array of one partition. */
    static List<AcknowledgementBatch> read(ProtocolReader in) {
        return in.array("acknowledgement_batches", batch -> {
            long first = batch.int64("first_offset");
            long last = batch.int64("last_offset");
            List<AcknowledgeType> types = batch.array("acknowledge_types",
                    t -> AcknowledgeType.forId(t.int8("acknowledge type")));
            batch.taggedFields("AcknowledgementBatch");
            return new AcknowledgementBatch(first, last, types);
        });
    }

    /** The partition a topic id and number name, its name null if the broker has no topic of that id. */
    static Named named(TopicIds topics, TopicId id, int partition) {
        String name = topics.name(id);
        return new Named(id, partition, name == null ? null : new TopicPartition(name, partition));
    }

    /**
     * Applies the acknowledgements: a partition whose topic id the broker does not know is UNKNOWN_TOPIC_ID, the
     * others as the share partition answers.
     */
    static Map<Named, SharePartitions.Acknowledged> apply(Broker broker, String groupId, String memberId,
                                                          List<Acks> acks) {
        Map<Named, SharePartitions.Acknowledged> answers = new LinkedHashMap<>();
        Map<TopicPartition, List<AcknowledgementBatch>> known = new LinkedHashMap<>();
        Map<TopicPartition, Named> names = new LinkedHashMap<>();
        for (Acks ack : acks) {
            if (ack.partition().topicPartition() == null) {
                answers.put(ack.partition(), new SharePartitions.Acknowledged(Errors.UNKNOWN_TOPIC_ID,
                        "This server does not host this topic ID."));
            } else {
                known.computeIfAbsent(ack.partition().topicPartition(), tp -> new ArrayList<>()).addAll(ack.batches());
                names.put(ack.partition().topicPartition(), ack.partition());
            }
        }
        broker.sharePartitions().acknowledge(groupId, memberId, known)
                .forEach((partition, answer) -> answers.put(names.get(partition), answer));
        return answers;
    }

    /** The CurrentLeader struct: this broker, at the leader epoch every partition has here. */
    static void writeLeader(ProtocolWriter out, Broker broker) {
        out.int32(broker.nodeId()).int32(RecordBatch.FIRST_LEADER_EPOCH).taggedFields();
    }
}
