package toykafka.common;

import java.util.Comparator;
import java.util.Objects;

/** One partition of one topic, written "orders-2" as Kafka writes it (and names its folder). */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {

    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public TopicPartition {
        Objects.requireNonNull(topic, "a topic partition needs a topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition numbers start at 0; " + partition + " is not one");
        }
    }

    @Override
    public int compareTo(TopicPartition other) {
        return ORDER.compare(this, other);
    }

    /**
     * The partition first, then the topic, as Kafka's {@code TopicPartition} hashes: a record's own hash puts the topic
     * first, and topics named alike (orders-0, orders-1, …) then collide with each other's partitions 31 apart, which
     * made a 10,000-partition commit probe an immutable map for seconds.
     */
    @Override
    public int hashCode() {
        return 31 * (31 + partition) + topic.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicPartition that && partition == that.partition && topic.equals(that.topic);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
