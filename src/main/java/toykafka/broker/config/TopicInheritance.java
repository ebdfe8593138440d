package toykafka.broker.config;

import java.util.Map;
import java.util.TreeMap;
import toykafka.common.TopicConfig;

/**
 * What a topic inherits from the broker, as Kafka's topic configs inherit from its {@code log.*} settings: which
 * broker setting stands behind a topic key, and the values every topic takes where it sets nothing itself.
 */
public final class TopicInheritance {

    private TopicInheritance() {
    }

    /**
     * The broker setting a topic config key inherits from, as Kafka names it ({@code log.retention.ms} for
     * {@code retention.ms}), or null when the broker sets no default of its own for that key.
     */
    public static String brokerSettingOf(String topicKey) {
        return switch (topicKey) {
            case TopicConfig.RETENTION_MS -> BrokerConfig.RETENTION_MS;
            case TopicConfig.FLUSH_MESSAGES -> BrokerConfig.FLUSH_MESSAGES;
            case TopicConfig.FLUSH_MS -> BrokerConfig.FLUSH_MS;
            default -> null;
        };
    }

    /**
     * What every topic inherits where it sets nothing itself: the broker's log.* settings that differ from
     * Kafka's topic defaults, as topic config keys and values.
     */
    static Map<String, String> defaultsOf(BrokerConfig config) {
        Map<String, String> defaults = new TreeMap<>();
        if (!config.get(BrokerConfig.RETENTION_MS).equals(TopicConfig.keys().get(TopicConfig.RETENTION_MS).defaultValue())) {
            defaults.put(TopicConfig.RETENTION_MS, config.get(BrokerConfig.RETENTION_MS));
        }
        if (!config.get(BrokerConfig.FLUSH_MESSAGES).equals("none")) {
            defaults.put(TopicConfig.FLUSH_MESSAGES, config.get(BrokerConfig.FLUSH_MESSAGES));
        }
        if (!config.get(BrokerConfig.FLUSH_MS).equals("none")) {
            defaults.put(TopicConfig.FLUSH_MS, config.get(BrokerConfig.FLUSH_MS));
        }
        return defaults;
    }
}
