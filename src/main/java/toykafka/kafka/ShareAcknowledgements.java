package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import toykafka.broker.Broker;
import toykafka.broker.share.SharePartitions;
import toykafka.broker.share.partition.AcknowledgeType;
import toykafka.broker.share.partition.AcknowledgementBatch;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * What ShareFetch and ShareAcknowledge both carry: acknowledgement batches by topic id and partition, read into the
 * broker's terms, and each partition's leader as the answers name it. A partition's batches are checked as Kafka's
 * {@code KafkaApis.validateAcknowledgementBatches} checks them; a partition that fails is answered INVALID_REQUEST
 * on its own, and the request's other partitions go on.
 */
final class ShareAcknowledgements {

    private ShareAcknowledgements() {
    }

    /** A partition a share request names: its topic id, its number, and its name if the broker has the topic. */
    record Named(TopicId id, int partition, TopicPartition topicPartition) {
    }

    /** One batch as the wire carries it, not yet checked. */
    record WireBatch(long firstOffset, long lastOffset, List<Byte> types) {
    }

    /** One partition's acknowledgement batches, or why they were refused (null when they are sound). */
    record Acks(Named partition, List<AcknowledgementBatch> batches, String invalid) {

        /** A partition's batches, checked: {@code renewing} is the request's IsRenewAck. */
        static Acks of(Named partition, List<WireBatch> batches, short version, boolean renewing) {
            String invalid = ShareAcknowledgements.invalid(batches, version, renewing);
            if (invalid != null) {
                return new Acks(partition, List.of(), invalid);
            }
            List<AcknowledgementBatch> checked = new ArrayList<>();
            for (WireBatch batch : batches) {
                checked.add(new AcknowledgementBatch(batch.firstOffset(), batch.lastOffset(),
                        batch.types().stream().map(AcknowledgeType::forId).toList()));
            }
            return new Acks(partition, checked, null);
        }
    }

    /**
     * The topics array both requests carry: each topic id, its partitions, and each partition's acknowledgement
     * batches, handed to {@code each} with the partition named. {@code struct} is the schema's name for a topic and a
     * partition without their suffix: {@code Fetch} (FetchTopic, FetchPartition), {@code Acknowledge}.
     */
    static void readTopics(ProtocolReader in, TopicIds topics, String struct, BiConsumer<Named, List<WireBatch>> each) {
        in.array("topics", topic -> {
            TopicId id = topic.topicId("topic_id");
            topic.array("partitions", partition -> {
                int index = partition.int32("partition_index");
                List<WireBatch> batches = read(partition);
                partition.taggedFields(struct + "Partition");
                each.accept(named(topics, id, index), batches);
                return index;
            });
            topic.taggedFields(struct + "Topic");
            return id;
        });
    }

    /** The AcknowledgementBatches array of one partition, as it came. */
    private static List<WireBatch> read(ProtocolReader in) {
        return in.array("acknowledgement_batches", batch -> {
            long first = batch.int64("first_offset");
            long last = batch.int64("last_offset");
            List<Byte> types = batch.array("acknowledge_types", t -> t.int8("acknowledge type"));
            batch.taggedFields("AcknowledgementBatch");
            return new WireBatch(first, last, types);
        });
    }

    /**
     * Why a partition's batches are refused, or null: each runs forwards from offset 0 or more, none starts before
     * the one ahead of it ends, each has one type or one per offset, and each type is a known one (RENEW, 4, only
     * from version 2 and only in a request that says IsRenewAck).
     */
    static String invalid(List<WireBatch> batches, short version, boolean renewing) {
        long previousLast = -1;
        byte highest = version >= 2 ? AcknowledgeType.RENEW.id() : AcknowledgeType.REJECT.id();
        for (WireBatch batch : batches) {
            String range = "offsets " + batch.firstOffset() + " to " + batch.lastOffset();
            if (batch.firstOffset() < 0 || batch.lastOffset() < batch.firstOffset()) {
                return "An acknowledgement batch runs from a first offset of 0 or more to a last offset no less than"
                        + " it; got " + range;
            }
            if (batch.firstOffset() < previousLast) {
                return "Acknowledgement batches must come in offset order: " + range + " starts before "
                        + previousLast + ", where the batch ahead of it ends";
            }
            long size = batch.lastOffset() - batch.firstOffset() + 1;
            if (batch.types().isEmpty() || batch.types().size() > 1 && batch.types().size() != size) {
                return "The acknowledgement batch of " + range + " has 1 or " + size + " acknowledge types, not "
                        + batch.types().size();
            }
            for (byte type : batch.types()) {
                if (type < 0 || type > highest) {
                    return "Invalid acknowledge type " + type + " in the batch of " + range + ": ShareAcknowledge and"
                            + " ShareFetch v" + version + " take 0 (gap) to " + highest;
                }
                if (type == AcknowledgeType.RENEW.id() && !renewing) {
                    return "Acknowledge type 4 (RENEW) in the batch of " + range + " is taken only in a request"
                            + " whose IsRenewAck is true";
                }
            }
            previousLast = batch.lastOffset();
        }
        return null;
    }

    /** The partition a topic id and number name, its name null if the broker has no topic of that id. */
    static Named named(TopicIds topics, TopicId id, int partition) {
        String name = topics.name(id);
        return new Named(id, partition, name == null ? null : new TopicPartition(name, partition));
    }

    /**
     * Applies the acknowledgements: a partition whose topic id the broker does not know is UNKNOWN_TOPIC_ID, one of
     * {@code refusedTopics} (the principal may not READ them) TOPIC_AUTHORIZATION_FAILED, the others as the share
     * partition answers.
     */
    static Map<Named, SharePartitions.Acknowledged> apply(Broker broker, String groupId, String memberId,
                                                          List<Acks> acks, Set<String> refusedTopics) {
        Map<Named, SharePartitions.Acknowledged> answers = new LinkedHashMap<>();
        Map<TopicPartition, List<AcknowledgementBatch>> known = new LinkedHashMap<>();
        Map<TopicPartition, Named> names = new LinkedHashMap<>();
        for (Acks ack : acks) {
            if (ack.partition().topicPartition() == null) {
                answers.put(ack.partition(), new SharePartitions.Acknowledged(Errors.UNKNOWN_TOPIC_ID,
                        "This server does not host this topic ID."));
            } else if (ack.invalid() != null) {
                answers.put(ack.partition(), new SharePartitions.Acknowledged(Errors.INVALID_REQUEST, ack.invalid()));
            } else if (refusedTopics.contains(ack.partition().topicPartition().topic())) {
                answers.put(ack.partition(), new SharePartitions.Acknowledged(Errors.TOPIC_AUTHORIZATION_FAILED, null));
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
