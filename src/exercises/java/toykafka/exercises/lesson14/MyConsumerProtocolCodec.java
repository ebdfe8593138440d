package toykafka.exercises.lesson14;

import java.util.Collection;
import java.util.List;
import toykafka.broker.group.classic.ConsumerProtocolCodec;
import toykafka.common.TopicPartition;

/**
 * Exercise for lesson 14: write and read the bytes a consumer group's members trade through the coordinator.
 * Check your work with {@code ./toykafka check 14}; ask for help with {@code ./toykafka hint 14}.
 * Read the lesson with its code in place: {@code ./toykafka read 14} (add a section's name for one section).
 */
public class MyConsumerProtocolCodec implements ConsumerProtocolCodec {

    @Override
    public byte[] subscription(Collection<String> topics) {
        throw new UnsupportedOperationException(
                "subscription() is yours to write: see section \"The opaque bytes\" (./toykafka read 14 bytes)");
    }

    @Override
    public List<String> topics(byte[] subscription) {
        throw new UnsupportedOperationException(
                "topics() is yours to write: see section \"The opaque bytes\" (./toykafka read 14 bytes)");
    }

    @Override
    public byte[] assignment(Collection<TopicPartition> partitions) {
        throw new UnsupportedOperationException(
                "assignment() is yours to write: see section \"The opaque bytes\" (./toykafka read 14 bytes)");
    }

    @Override
    public List<TopicPartition> partitions(byte[] assignment) {
        throw new UnsupportedOperationException(
                "partitions() is yours to write: see section \"The opaque bytes\" (./toykafka read 14 bytes)");
    }
}
