package toykafka.lesson04;

import java.util.Objects;
import toykafka.common.Record;
import toykafka.common.RecordMetadata;

/** Sends records to topics: to the partition the record names, or to the one its partitioner picks. */
public final class TopicProducer {

    private final Topics topics;
    private final Partitioner partitioner;

    public TopicProducer(Topics topics, Partitioner partitioner) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
    }

    // tag::send[]
    /** Sends to the partition the partitioner picks among the topic's partitions. */
    public RecordMetadata send(String topic, Record record) {
        int partitions = topics.partitionsFor(topic); // may create the topic, as Kafka's metadata request may
        return topics.append(topic, partitioner.partition(topic, record, partitions), record);
    }

    /** Sends to a partition the caller chose; the partitioner is not asked. */
    public RecordMetadata send(String topic, int partition, Record record) {
        return topics.append(topic, partition, record);
    }
    // end::send[]

    @Override
    public String toString() {
        return "TopicProducer[" + partitioner + "]";
    }
}
