package toykafka.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;

/**
 * A consumer's subscription and assignment bytes as Kafka's own generated classes write and read them: the
 * oracle for the course's codec. Kafka's consumer writes version 3, its topics sorted, and reads any version.
 */
public final class KafkaConsumerProtocol {

    /** The version Kafka's consumer writes. */
    public static final short LATEST = 3;

    private KafkaConsumerProtocol() {
    }

    /** A subscription at {@code version}, with what that version carries of the owned partitions, generation and rack. */
    public static byte[] subscription(short version, List<String> topics, List<TopicPartition> owned, int generation,
                                      String rack) {
        ConsumerProtocolSubscription subscription = new ConsumerProtocolSubscription()
                .setTopics(topics.stream().sorted().toList());
        if (version >= 1) {
            ConsumerProtocolSubscription.TopicPartitionCollection ownedByTopic =
                    new ConsumerProtocolSubscription.TopicPartitionCollection();
            byTopic(owned).forEach((topic, partitions) -> ownedByTopic.add(
                    new ConsumerProtocolSubscription.TopicPartition().setTopic(topic).setPartitions(partitions)));
            subscription.setOwnedPartitions(ownedByTopic);
        }
        if (version >= 2) {
            subscription.setGenerationId(generation);
        }
        if (version >= 3) {
            subscription.setRackId(rack);
        }
        return bytes(MessageUtil.toVersionPrefixedByteBuffer(version, subscription));
    }

    /** A subscription to {@code topics} as Kafka's consumer writes it. */
    public static byte[] subscription(List<String> topics) {
        return subscription(LATEST, topics, List.of(), -1, null);
    }

    /** The topics of a subscription of any version. */
    public static List<String> topics(byte[] subscription) {
        ByteBuffer buffer = ByteBuffer.wrap(subscription);
        short version = buffer.getShort();
        return new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer), version).topics();
    }

    /** An assignment at {@code version}, with {@code userData} (null for none). */
    public static byte[] assignment(short version, List<TopicPartition> partitions, ByteBuffer userData) {
        ConsumerProtocolAssignment.TopicPartitionCollection assigned = new ConsumerProtocolAssignment.TopicPartitionCollection();
        byTopic(partitions).forEach((topic, numbers) -> assigned.add(
                new ConsumerProtocolAssignment.TopicPartition().setTopic(topic).setPartitions(numbers)));
        return bytes(MessageUtil.toVersionPrefixedByteBuffer(version,
                new ConsumerProtocolAssignment().setAssignedPartitions(assigned).setUserData(userData)));
    }

    /** An assignment of {@code partitions} as Kafka's consumer leader writes it. */
    public static byte[] assignment(List<TopicPartition> partitions) {
        return assignment(LATEST, partitions, null);
    }

    /** The partitions of an assignment of any version, in the order it lists them; none for empty bytes. */
    public static List<TopicPartition> partitions(byte[] assignment) {
        List<TopicPartition> partitions = new ArrayList<>();
        if (assignment.length == 0) {
            return partitions;
        }
        ByteBuffer buffer = ByteBuffer.wrap(assignment);
        short version = buffer.getShort();
        for (ConsumerProtocolAssignment.TopicPartition topic
                : new ConsumerProtocolAssignment(new ByteBufferAccessor(buffer), version).assignedPartitions()) {
            topic.partitions().forEach(partition -> partitions.add(new TopicPartition(topic.topic(), partition)));
        }
        return partitions;
    }

    private static Map<String, List<Integer>> byTopic(List<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition()));
        return byTopic;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
