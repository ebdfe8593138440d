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

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
