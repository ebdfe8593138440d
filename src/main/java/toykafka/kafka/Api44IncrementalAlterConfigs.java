package toykafka.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import toykafka.broker.Broker;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.config.GroupConfigKeys;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.TopicConfig;

/**
 * IncrementalAlterConfigs (key 44), versions 0–1: {@code Admin.incrementalAlterConfigs} and
 * {@code kafka-configs --alter --add-config k=v --delete-config k}, which Kafka's tool sends for
 * topics, brokers and (from 4.0) groups. Kafka's {@code ConfigurationControlManager.incrementalAlterConfigs}. Each resource gets
 * its own error and message; {@link ConfigAlterations} refuses what is not a topic, this broker or a group.
 *
 * <p>Per topic, each config once, by operation: SET a value, DELETE (back to the broker's default), and for
 * a list-valued config ({@code cleanup.policy}) APPEND values not yet in the list or SUBTRACT values from
 * it, comma-separated, starting from the value in force. APPEND or SUBTRACT on any other key is
 * INVALID_CONFIG naming why, as Kafka's controller answers it. Every value is checked as {@code TopicConfig}
 * checks it before anything changes: an unknown key or a bad value is INVALID_CONFIG naming the key and
 * what it takes. An unknown topic is UNKNOWN_TOPIC_OR_PARTITION, the broker's own topics
 * INVALID_TOPIC_EXCEPTION.
 *
 * <p>Per broker (this node's id, or the empty name for the cluster default): SET a dynamic setting at that
 * level, or DELETE it there, so the level below gives it again; none of them is a list, so APPEND and
 * SUBTRACT are INVALID_CONFIG. A setting Kafka reads only at start ("Cannot update these configs dynamically"),
 * an unknown one or a bad value is INVALID_REQUEST, as Kafka answers for a broker. With {@code validate_only}
 * every check runs and nothing changes.
 *
 * <p>Per group (any name but the empty one, the group existing or not, as Kafka's controller takes it): SET or
 * DELETE one of Kafka's group configs ({@code consumer.session.timeout.ms} and the others); APPEND and SUBTRACT
 * only to the one list, {@code streams.rack.aware.assignment.tags}, and on any other INVALID_CONFIG in Kafka's
 * words. The group's whole set after the change is checked as Kafka's {@code GroupConfig.validate} checks it: an
 * unknown name, a bad value, or one outside the broker's bounds is INVALID_CONFIG naming the config and its range
 * ({@code DynamicGroupConfigs}). Version 1 is flexible.
 */
final class Api44IncrementalAlterConfigs extends BrokerApi {

    private final AuthHelper auth;

    Api44IncrementalAlterConfigs(Broker broker, AuthHelper auth) {
        super(broker, 44, "IncrementalAlterConfigs", 0, 1, 1);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        return ConfigAlterations.handle(request, true, broker.nodeId(), new ConfigAlterations.Changes(
                this::alterTopic, this::alterBroker, this::alterGroup), auth);
    }

    private void alterGroup(String group, List<ConfigAlterations.Change> changes, boolean validateOnly) {
        Sorted sorted = sorted(changes, change -> {
            GroupConfigKeys.Key key = GroupConfigKeys.all().get(change.key());
            if (key == null || key.type() != GroupConfigKeys.Type.LIST) {
                throw new InvalidConfigurationException("Can't " + ConfigAlterations.operationName(
                        change.operation()) + " to key " + change.key() + " because its type is not LIST. Of"
                        + " the group configs only " + GroupConfigKeys.RACK_AWARE_TAGS + " is a list; use SET");
            }
            return changedList(broker.groupConfigs().of(group).getOrDefault(change.key(), key.kafkaDefault()), change);
        });
        broker.groupConfigs().alter(group, sorted.set(), sorted.delete(), false, validateOnly);
    }

    private void alterBroker(DynamicBrokerConfigs.Level level, List<ConfigAlterations.Change> changes,
                             boolean validateOnly) {
        Sorted sorted = sorted(changes, change -> {
            throw new InvalidConfigurationException("cannot " + ConfigAlterations.operationName(change.operation())
                    + " to " + change.key() + ": no broker setting here is a list; APPEND and SUBTRACT take only"
                    + " list-valued configs; use SET");
        });
        broker.dynamicConfigs().alter(level, sorted.set(), sorted.delete(), false, validateOnly);
    }

    private void alterTopic(String topic, List<ConfigAlterations.Change> changes, boolean validateOnly) {
        Map<String, Map<String, String>> inForce = new HashMap<>(); // read once, only for a list's APPEND or SUBTRACT
        Sorted sorted = sorted(changes, change -> {
            requireList(change);
            String current = inForce.computeIfAbsent(topic, t -> broker.describeTopic(t).config()).get(change.key());
            return changedList(current, change);
        });
        broker.alterConfig(topic, sorted.set(), sorted.delete(), validateOnly);
    }

    /** What a request sets and what it deletes (back to the level below), for one topic, broker level or group. */
    private record Sorted(Map<String, String> set, Set<String> delete) {
    }

    /** The changes sorted; an APPEND or SUBTRACT sets the list {@code listed} returns, or is refused by it. */
    private static Sorted sorted(List<ConfigAlterations.Change> changes,
                                 Function<ConfigAlterations.Change, String> listed) {
        Map<String, String> set = new TreeMap<>();
        Set<String> delete = new HashSet<>();
        for (ConfigAlterations.Change change : changes) {
            switch (change.operation()) {
                case ConfigAlterations.SET -> set.put(change.key(), change.value());
                case ConfigAlterations.DELETE -> delete.add(change.key());
                default -> set.put(change.key(), listed.apply(change));
            }
        }
        return new Sorted(set, delete);
    }

    private static void requireList(ConfigAlterations.Change change) {
        String operation = ConfigAlterations.operationName(change.operation());
        if (!TopicConfig.keys().containsKey(change.key())) {
            throw new InvalidConfigurationException("unknown topic config '" + change.key() + "': the topic configs are "
                    + String.join(", ", TopicConfig.keys().keySet()));
        }
        if (!Byte.valueOf(Api32DescribeConfigs.LIST).equals(Api32DescribeConfigs.TOPIC_CONFIG_TYPES.get(change.key()))) {
            throw new InvalidConfigurationException("cannot " + operation + " to " + change.key() + ": it is not a list;"
                    + " APPEND and SUBTRACT take only list-valued configs (" + listKeys() + "); use SET");
        }
    }

    /** The list in force with the values appended (those not in it yet) or subtracted, in order. */
    private static String changedList(String current, ConfigAlterations.Change change) {
        List<String> values = new ArrayList<>(current == null || current.isEmpty() ? List.of()
                : Arrays.asList(current.split(",")));
        List<String> given = Arrays.asList(change.value().split(","));
        if (change.operation() == ConfigAlterations.APPEND) {
            given.stream().filter(value -> !values.contains(value)).forEach(values::add);
        } else {
            values.removeAll(given);
        }
        return String.join(",", values);
    }

    private static String listKeys() {
        return String.join(", ", Api32DescribeConfigs.TOPIC_CONFIG_TYPES.entrySet().stream()
                .filter(e -> e.getValue() == Api32DescribeConfigs.LIST).map(Map.Entry::getKey).sorted().toList());
    }
}
