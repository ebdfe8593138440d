package toykafka.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.common.TopicConfig;

/**
 * AlterConfigs (key 33), versions 0–2: the older {@code Admin.alterConfigs}, which Kafka keeps for older
 * tools. Kafka's {@code ConfigAdminManager} and controller. Each resource gets its own error and message;
 * {@link ConfigAlterations} refuses what is not a topic, this broker or a group.
 *
 * <p>Per topic, the configs given become the topic's whole set of its own configs, as in Kafka: a key left
 * out goes back to the broker's default. Every value is checked as {@code TopicConfig} checks it before
 * anything changes: an unknown key or a bad value is INVALID_CONFIG naming the key and what it takes, and a
 * null value INVALID_REQUEST. An unknown topic is UNKNOWN_TOPIC_OR_PARTITION, the broker's own topics
 * INVALID_TOPIC_EXCEPTION.
 *
 * <p>Per broker (this node's id, or the empty name for the cluster default), the same: the configs given
 * become that level's whole set of dynamic settings, and one left out goes back to the level below. A setting
 * Kafka reads only at start, an unknown one or a bad value is INVALID_REQUEST, as Kafka answers for a broker.
 *
 * <p>Per group (any name but the empty one, the group existing or not, as Kafka's controller takes it): the same,
 * the configs given become the group's whole set of its own configs; the whole set is checked as Kafka's
 * {@code GroupConfig.validate} checks it, an unknown name, a bad value or one outside the broker's bounds
 * INVALID_CONFIG in Kafka's words ({@code DynamicGroupConfigs}).
 * With {@code validate_only} every check runs and nothing changes. Version 2 is flexible.
 */
final class Api33AlterConfigs extends BrokerApi {

    private final AuthHelper auth;

    Api33AlterConfigs(Broker broker, AuthHelper auth) {
        super(broker, 33, "AlterConfigs", 0, 2, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        return ConfigAlterations.handle(request, false, broker.nodeId(), new ConfigAlterations.Changes(
                this::replaceTopicConfigs, this::replaceBrokerConfigs, this::replaceGroupConfigs), auth);
    }

    private void replaceGroupConfigs(String group, List<ConfigAlterations.Change> changes, boolean validateOnly) {
        broker.groupConfigs().alter(group, values(changes), Set.of(), true, validateOnly);
    }

    private void replaceBrokerConfigs(DynamicBrokerConfigs.Level level, List<ConfigAlterations.Change> changes,
                                      boolean validateOnly) {
        broker.dynamicConfigs().alter(level, values(changes), Set.of(), true, validateOnly);
    }

    /** Sets the keys given and returns every other key to its default: the set given is the whole set. */
    private void replaceTopicConfigs(String topic, List<ConfigAlterations.Change> changes, boolean validateOnly) {
        Map<String, String> set = values(changes);
        Set<String> reset = new TreeSet<>(TopicConfig.keys().keySet());
        reset.removeAll(set.keySet());
        broker.alterConfig(topic, set, reset, validateOnly);
    }

    /** The values given, by key: in AlterConfigs every change sets its key. */
    private static Map<String, String> values(List<ConfigAlterations.Change> changes) {
        Map<String, String> set = new TreeMap<>();
        changes.forEach(change -> set.put(change.key(), change.value()));
        return set;
    }
}
