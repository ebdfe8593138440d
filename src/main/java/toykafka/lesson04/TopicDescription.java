package toykafka.lesson04;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.InvalidConfigurationException;
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

    /** A description of a topic whose config is the defaults with these overrides. */
    public static TopicDescription of(String name, int partitions, Map<String, String> overrides) {
        return new TopicDescription(name, partitions, TopicConfig.effective(overrides), new TreeMap<>(overrides));
    }

    /** One config value in force, default or not. */
    public String config(String key) {
        String value = config.get(key);
        if (value == null) {
            throw new InvalidConfigurationException("unknown topic config '" + key + "': the topic configs are "
                    + String.join(", ", config.keySet()));
        }
        return value;
    }

    @Override
    public String toString() {
        return name + ": " + partitions + (partitions == 1 ? " partition" : " partitions")
                + (overrides.isEmpty() ? ", default config" : ", overrides " + overrides);
    }
}
