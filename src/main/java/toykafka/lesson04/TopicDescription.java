package toykafka.lesson04;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.TopicConfig;

/**
 * What describing a topic tells: its partition count, every config value in force, and which of those
 * were set on the topic rather than left at their defaults.
 */
public record TopicDescription(String name, int partitions, SortedMap<String, String> config,
                               SortedMap<String, String> overrides) {

    public TopicDescription {
        config = Collections.unmodifiableSortedMap(new TreeMap<>(config));
        overrides = Collections.unmodifiableSortedMap(new TreeMap<>(overrides));
    }

    /** A description of a topic with this config. */
    public static TopicDescription of(String name, int partitions, TopicConfig config) {
        return new TopicDescription(name, partitions, config.values(), config.overrides());
    }

    /** One config value in force, default or not. */
    public String config(String key) {
        return TopicConfig.defaults().patched(overrides).get(key);
    }

    @Override
    public String toString() {
        return name + ": " + partitions + (partitions == 1 ? " partition" : " partitions")
                + (overrides.isEmpty() ? ", default config" : ", overrides " + overrides);
    }
}
