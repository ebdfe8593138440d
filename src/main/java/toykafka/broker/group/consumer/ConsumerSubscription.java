package toykafka.broker.group.consumer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

/**
 * A classic consumer's subscription as its JoinGroup carries it (Kafka's {@code ConsumerProtocolSubscription},
 * versions 0 to 3), read whole where a consumer group takes the member in: the topics it wants (v0), the partitions
 * it owns (v1), and its rack (v3). A classic group never reads this far; a consumer group must, since it assigns
 * the member itself and reconciles it against what it owns.
 *
 * @param owned  the partitions it says it owns; none before version 1
 * @param rackId its rack, or null
 */
record ConsumerSubscription(short version, List<String> topics, List<TopicPartition> owned, String rackId) {

    ConsumerSubscription {
        topics = List.copyOf(topics);
        owned = List.copyOf(owned);
    }

    /** Reads a subscription; a later version's fields past version 3's are left unread. */
    static ConsumerSubscription read(byte[] metadata) {
        ByteBuffer in = ByteBuffer.wrap(metadata);
        try {
            short version = in.getShort();
            List<String> topics = new ArrayList<>();
            for (int count = in.getInt(); count > 0; count--) {
                topics.add(string(in, false));
            }
            int userData = in.getInt();
            if (userData > 0) {
                in.position(in.position() + userData);
            }
            List<TopicPartition> owned = new ArrayList<>();
            if (version >= 1) {
                for (int count = in.getInt(); count > 0; count--) {
                    String topic = string(in, false);
                    for (int partitions = in.getInt(); partitions > 0; partitions--) {
                        owned.add(new TopicPartition(topic, in.getInt()));
                    }
                }
            }
            if (version >= 2) {
                in.getInt(); // the generation it last had: the group knows its epoch better
            }
            String rackId = version >= 3 ? string(in, true) : null;
            return new ConsumerSubscription(version, topics, owned, rackId == null || rackId.isEmpty() ? null : rackId);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new InvalidRequestException("a member's subscription is not a consumer's (" + metadata.length
                    + " bytes that do not hold a version, topics, user data and, from version 1, owned partitions)");
        }
    }

    private static String string(ByteBuffer in, boolean nullable) {
        short length = in.getShort();
        if (length < 0) {
            if (nullable) {
                return null;
            }
            throw new IllegalArgumentException("a topic name cannot be null");
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
