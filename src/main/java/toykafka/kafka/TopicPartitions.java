package toykafka.kafka;

import java.util.List;
import java.util.function.Function;

/**
 * A topic as a request names it, or as its answer gives it back: its name and one entry for each partition, what the
 * partition is asked (ListOffsets' time, DeleteRecords' offset) or answered (its error, its offsets). Kafka's
 * schemas give each API a topic struct of its own; their shape is this one.
 */
record TopicPartitions<P>(String topic, List<P> partitions) {

    /** The same topic with each partition's entry turned into another, such as what was asked into its answer. */
    <R> TopicPartitions<R> map(Function<P, R> each) {
        return new TopicPartitions<>(topic, partitions.stream().map(each).toList());
    }
}
