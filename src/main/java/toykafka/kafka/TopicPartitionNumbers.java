package toykafka.kafka;

import java.util.List;
import toykafka.common.TopicPartition;

/**
 * A topic's name and the numbers of some of its partitions, as many requests name the partitions they ask about
 * (AddPartitionsToTxn, WriteTxnMarkers, OffsetFetch, OffsetDelete, DescribeLogDirs, DescribeProducers), each under
 * a struct name of its own. The numbers are as sent: a negative one is answered by the API, not refused here.
 */
record TopicPartitionNumbers(String topic, List<Integer> partitions) {

    /** The topic's name, its partition numbers, then, in a flexible version, the tagged fields closing {@code struct}. */
    static TopicPartitionNumbers read(ProtocolReader in, String struct) {
        String topic = in.string(struct + " name");
        List<Integer> partitions = in.array("partitions of " + topic, p -> p.int32("partition index"));
        in.taggedFields(struct);
        return new TopicPartitionNumbers(topic, partitions);
    }

    /** The partitions named, but those of a negative number: no partition has one, so each API answers them itself. */
    static List<TopicPartition> named(List<TopicPartitionNumbers> topics) {
        return topics.stream().flatMap(topic -> topic.partitions().stream().filter(index -> index >= 0)
                .map(index -> new TopicPartition(topic.topic(), index))).toList();
    }

    @Override
    public String toString() {
        return topic + partitions;
    }
}
