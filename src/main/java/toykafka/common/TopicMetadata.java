package toykafka.common;

import java.util.Objects;

/**
 * What a broker remembers about a topic apart from its records: its name, partition count and config, and the
 * id it was given when it was made, which stays with it through every change of config or partition count.
 */
public record TopicMetadata(String name, int partitions, TopicConfig config, TopicId id) {

    public TopicMetadata {
        Objects.requireNonNull(name, "a topic needs a name");
        Objects.requireNonNull(config, "a topic needs a config: TopicConfig.defaults() has Kafka's");
        Objects.requireNonNull(id, "a topic needs an id: TopicId.random() makes one");
        if (partitions < 1) {
            throw InvalidPartitionsException.notPositive(name, partitions);
        }
    }

    /** A new topic: a new id. */
    public TopicMetadata(String name, int partitions, TopicConfig config) {
        this(name, partitions, config, TopicId.random());
    }

    /** The same topic with another config. */
    public TopicMetadata withConfig(TopicConfig changed) {
        return new TopicMetadata(name, partitions, changed, id);
    }

    /** The same topic with more partitions. */
    public TopicMetadata withPartitions(int count) {
        return new TopicMetadata(name, count, config, id);
    }
}
