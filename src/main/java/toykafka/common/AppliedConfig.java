package toykafka.common;

import java.util.Objects;

/**
 * A topic's config as a log applies it: the config, and the {@link RecordRules} read from it. A log swaps the
 * two together, as one value, so no append sees a new config with the old rules.
 */
public record AppliedConfig(TopicConfig config, RecordRules rules) {

    /** The config and its rules; refuses a missing config, naming the defaults to use instead. */
    public static AppliedConfig of(TopicConfig config) {
        Objects.requireNonNull(config, "a config must not be null: TopicConfig.defaults() has Kafka's");
        return new AppliedConfig(config, RecordRules.of(config));
    }
}
