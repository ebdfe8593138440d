package toykafka.broker.group.classic;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

/**
 * The bytes a consumer group's members put in the coordinator's opaque fields, as Kafka's consumers write
 * them (Kafka's {@code ConsumerProtocol}, version 0): a member's subscription (the topics it wants) and
 * the leader's assignment for a member (its partitions). Written this way, the broker's REST consumer
 * instances and Kafka's own consumers can share a group and read each other's metadata. A later version
 * only adds fields at the end, so reading version 0's fields reads any version.
 */
public final class ConsumerProtocol implements ConsumerProtocolCodec {

    /** The protocol type of every consumer group. */
    public static final String TYPE = "consumer";
    /** The one codec: it keeps no state. */
    public static final ConsumerProtocol CODEC = new ConsumerProtocol();
    private static final short VERSION = 0;

    private ConsumerProtocol() {
    }

    // tag::write[]
    /** Version, topics (an array of strings), user data (null). */
    @Override
    public byte[] subscription(Collection<String> topics) {
        return write(out -> {
            out.writeShort(VERSION);
            out.writeInt(topics.size());
            for (String topic : topics.stream().sorted().toList()) {
                writeString(out, topic);
            }
            out.writeInt(-1);
        });
    }

    // end::write[]

    // tag::read[]
    /** Version 0's fields, which open every version: a later version's fields after them are left unread. */
    @Override
    public List<String> topics(byte[] subscription) {
        ByteBuffer in = ByteBuffer.wrap(subscription);
        try {
            in.getShort();
            int count = in.getInt();
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                topics.add(readString(in));
            }
            return topics;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new InvalidRequestException("a member's subscription is not a consumer's (" + subscription.length
                    + " bytes that do not hold a version, a topic count and that many topic names)");
        }
    }

    // end::read[]

    /** Version, then each topic with its partition numbers, then user data (null). */
    @Override
    public byte[] assignment(Collection<TopicPartition> partitions) {
        return assignment(partitions, VERSION);
    }

    /**
     * An assignment in the version of the member's subscription, as Kafka's coordinator answers a classic member of
     * a consumer group: versions 0 to 3 of an assignment have the same fields, so only the version differs.
     */
    public byte[] assignment(Collection<TopicPartition> partitions, short version) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.stream().sorted().forEach(partition -> byTopic.computeIfAbsent(partition.topic(),
                topic -> new ArrayList<>()).add(partition.partition()));
        return write(out -> {
            out.writeShort(Math.max(0, Math.min(version, 3)));
            out.writeInt(byTopic.size());
            for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
                writeString(out, topic.getKey());
                out.writeInt(topic.getValue().size());
                for (int partition : topic.getValue()) {
                    out.writeInt(partition);
                }
            }
            out.writeInt(-1);
        });
    }

    // tag::partitions[]
    /** A member's partitions; an empty assignment (a member the leader gave nothing) has none. */
    @Override
    public List<TopicPartition> partitions(byte[] assignment) {
        if (assignment.length == 0) {
            return List.of();
        }
        ByteBuffer in = ByteBuffer.wrap(assignment);
        try {
            in.getShort();
            List<TopicPartition> partitions = new ArrayList<>();
            for (int topics = in.getInt(); topics > 0; topics--) {
                String topic = readString(in);
                for (int count = in.getInt(); count > 0; count--) {
                    partitions.add(new TopicPartition(topic, in.getInt()));
                }
            }
            return partitions.stream().sorted().toList();
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new InvalidRequestException("a member's assignment is not a consumer's (" + assignment.length
                    + " bytes that do not hold a version and topics with their partitions)");
        }
    }
    // end::partitions[]

    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            throw new IllegalArgumentException("a topic name cannot be null");
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
