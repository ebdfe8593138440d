package toykafka.common;

import java.util.Objects;

/** What a broker remembers about a topic apart from its records: its name, partition count and config. */
public record TopicMetadata(String name, int partitions, TopicConfig config) {

    public TopicMetadata {
        Objects.requireNonNull(name, "a topic needs a name");
        Objects.requireNonNull(config, "a topic needs a config: TopicConfig.defaults() has Kafka's");
        if (partitions < 1) {
            throw InvalidPartitionsException.notPositive(name, partitions);
        }
    }
}
