package toykafka.broker.group.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.check.MessageFacts;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;
import toykafka.testing.KafkaConsumerProtocol;

/**
 * The reference codec keeps the contract, and is checked both ways against kafka-clients' own {@code
 * ConsumerProtocol}: the REST consumer instances and Kafka's consumers can share a group, and either can lead it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerProtocolTest extends ConsumerProtocolCodecContract {

    @Override
    protected ConsumerProtocolCodec newCodec() {
        return ConsumerProtocol.CODEC;
    }


    private static final List<TopicPartition> OURS = List.of(new TopicPartition("drinks", 1),
            new TopicPartition("orders", 0), new TopicPartition("orders", 2));
    private static final List<org.apache.kafka.common.TopicPartition> THEIRS = List.of(
            new org.apache.kafka.common.TopicPartition("drinks", 1), new org.apache.kafka.common.TopicPartition("orders", 0),
            new org.apache.kafka.common.TopicPartition("orders", 2));

    @Test
    void kafka_reads_our_subscription_and_we_read_kafkas_of_any_version() {
        assertEquals(List.of("drinks", "orders"),
                KafkaConsumerProtocol.topics(ConsumerProtocol.CODEC.subscription(List.of("orders", "drinks"))));

        for (short version = 0; version <= 3; version++) {
            byte[] theirs = KafkaConsumerProtocol.subscription(version, List.of("orders", "drinks"), THEIRS, 4, "rack-a");
            assertEquals(List.of("drinks", "orders"), ConsumerProtocol.CODEC.topics(theirs), "version " + version);
        }
    }

    @Test
    void kafka_reads_our_assignment_and_we_read_kafkas_of_any_version() {
        assertEquals(THEIRS, KafkaConsumerProtocol.partitions(ConsumerProtocol.CODEC.assignment(OURS)));

        for (short version = 0; version <= 3; version++) {
            byte[] theirs = KafkaConsumerProtocol.assignment(version, THEIRS, ByteBuffer.wrap(new byte[] {7}));
            assertEquals(OURS, ConsumerProtocol.CODEC.partitions(theirs), "version " + version);
        }
    }

    @Test
    void bytes_that_are_not_a_subscription_are_refused_by_name() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> ConsumerProtocol.CODEC.topics(new byte[] {0, 0, 0, 0, 0, 9}));
        MessageFacts.assertMentions(refused, "subscription", 6);
    }
}
