package toykafka.lesson04;

import java.util.List;
import java.util.Map;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.RecordMetadata;

/**
 * Named streams of records, each split into partitions, each partition a log. The first group of methods
 * is what Kafka's Admin client does; the second is what producers and consumers need.
 */
public interface Topics {

    /**
     * The most partitions one topic may have here. Kafka sets no such limit, but each partition costs
     * memory and, on disk, open files; a single broker is advised to hold a few thousand in all.
     */
    int MAX_PARTITIONS = 1000;

    // tag::admin[]
    /** Creates a topic with empty partitions and default config; returns the name it was created under. */
    String createTopic(String name, int partitions, OnDuplicate onDuplicate);

    /** Creates a topic, failing if the name is taken, as Kafka does. */
    default String createTopic(String name, int partitions) {
        return createTopic(name, partitions, OnDuplicate.FAIL);
    }

    /** The names of all topics, in alphabetical order. */
    List<String> listTopics();

    TopicDescription describeTopic(String name);

    /** Sets the topic's whole config: keys not given go back to their defaults. */
    void replaceConfig(String topic, Map<String, String> config);

    /** Changes only the keys given; the others keep their values. */
    void patchConfig(String topic, Map<String, String> changes);

    /** Removes the topic and every record in it. */
    void deleteTopic(String name);
    // end::admin[]

    // tag::data[]
    /**
     * How many partitions a producer may write to. Like the metadata request a Kafka producer sends first,
     * it creates an unknown topic when the broker's auto.create.topics.enable is on.
     */
    int partitionsFor(String topic);

    /**
     * Appends records to one partition as one batch, all or none, applying the topic's config; creates
     * the topic as partitionsFor does. The metadata names the first record's offset and stored timestamp.
     */
    RecordMetadata appendAll(String topic, int partition, List<Record> records);

    /** Appends one record: a batch of one. */
    default RecordMetadata append(String topic, int partition, Record record) {
        return appendAll(topic, partition, List.of(record));
    }

    /** The log of one partition, for reading: records go in through append(), which applies the topic's config. */
    RecordLog log(String topic, int partition);
    // end::data[]
}
