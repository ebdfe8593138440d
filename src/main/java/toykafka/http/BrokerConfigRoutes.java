package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.Setting;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.config.DynamicBrokerConfigs.Level;

/**
 * Broker configs as REST Proxy v3 serves them: DescribeConfigs and IncrementalAlterConfigs for a broker.
 *
 * <ul>
 * <li>{@code GET .../brokers/<id>/configs}, {@code .../configs/<name>} and {@code .../brokers/-/configs}
 *     (every broker's): the settings that carry Kafka's own names ({@code num.partitions},
 *     {@code log.retention.ms} ...), each with the source of its value and its synonyms, most specific first;
 *     read-only unless Kafka changes it at runtime too.</li>
 * <li>{@code GET .../broker-configs} and {@code .../broker-configs/<name>}: the cluster-wide default level,
 *     the settings changed there.</li>
 * <li>{@code PUT .../configs/<name>} {@code {"value": v}}, {@code DELETE .../configs/<name>} and
 *     {@code POST .../configs:alter}, on this broker or on {@code .../broker-configs}: change that level of the
 *     dynamic settings ({@link DynamicBrokerConfigs#alter}); a static setting is refused in Kafka's words.</li>
 * </ul>
 */
final class BrokerConfigRoutes {

    private static final String BROKER_CONFIGS = TopicRoutes.CLUSTER + "/brokers/{broker}/configs";
    private static final String CLUSTER_CONFIGS = TopicRoutes.CLUSTER + "/broker-configs";

    private final Broker broker;

    BrokerConfigRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", TopicRoutes.CLUSTER + "/brokers/-/configs", exchange -> configs(exchange,
                V3Shapes.clusterUrl(exchange) + "/brokers/-/configs")); // before {broker}: first match serves
        front.route("GET", BROKER_CONFIGS, exchange -> {
            requireBroker(exchange);
            return configs(exchange, ClusterRoutes.brokerUrl(exchange, broker.nodeId()) + "/configs");
        });
        front.route("GET", BROKER_CONFIGS + "/{name}", this::config);
        front.route("GET", CLUSTER_CONFIGS, exchange -> {
            TopicRoutes.requireCluster(exchange);
            List<Object> data = new ArrayList<>();
            broker.dynamicConfigs().at(Level.CLUSTER_DEFAULT).forEach((name, value) ->
                    data.add(clusterEntry(exchange, name, value)));
            return Reply.json(200, Json.write(V3Shapes.list("KafkaClusterConfigList", V3Shapes.clusterUrl(exchange)
                    + "/broker-configs", data)));
        });
        front.route("GET", CLUSTER_CONFIGS + "/{name}", exchange -> {
            TopicRoutes.requireCluster(exchange);
            String name = exchange.path("name");
            String value = broker.dynamicConfigs().at(Level.CLUSTER_DEFAULT).get(name);
            if (value == null) {
                throw new HttpError(404, "this cluster has no default set for '" + name + "': the defaults set are "
                        + broker.dynamicConfigs().at(Level.CLUSTER_DEFAULT).keySet() + ", and the settings that take"
                        + " one are " + String.join(", ", BrokerConfig.DYNAMIC));
            }
            return Reply.json(200, Json.write(clusterEntry(exchange, name, value)));
        });
        front.route("PUT", BROKER_CONFIGS + "/{name}", exchange -> set(exchange, level(exchange)));
        front.route("DELETE", BROKER_CONFIGS + "/{name}", exchange -> delete(exchange, level(exchange)));
        front.route("POST", BROKER_CONFIGS + ":alter", exchange -> alter(exchange, level(exchange)));
        front.route("PUT", CLUSTER_CONFIGS + "/{name}", exchange -> set(exchange, clusterLevel(exchange)));
        front.route("DELETE", CLUSTER_CONFIGS + "/{name}", exchange -> delete(exchange, clusterLevel(exchange)));
        front.route("POST", CLUSTER_CONFIGS + ":alter", exchange -> alter(exchange, clusterLevel(exchange)));
    }

    private void requireBroker(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        ClusterRoutes.requireBroker(exchange, broker.nodeId());
    }

    private Level level(Exchange exchange) {
        requireBroker(exchange);
        return Level.BROKER;
    }

    private static Level clusterLevel(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        return Level.CLUSTER_DEFAULT;
    }

    private Reply configs(Exchange exchange, String self) {
        TopicRoutes.requireCluster(exchange);
        List<Object> data = new ArrayList<>();
        for (Setting setting : kafkaSettings()) {
            data.add(entry(exchange, setting));
        }
        return Reply.json(200, Json.write(V3Shapes.list("KafkaBrokerConfigList", self, data)));
    }

    private Reply config(Exchange exchange) {
        requireBroker(exchange);
        String name = exchange.path("name");
        List<Setting> settings = kafkaSettings();
        for (Setting setting : settings) {
            if (setting.name().equals(name)) {
                return Reply.json(200, Json.write(entry(exchange, setting)));
            }
        }
        throw new HttpError(404, "broker " + broker.nodeId() + " has no config '" + name + "': its configs are "
                + String.join(", ", settings.stream().map(Setting::name).toList()));
    }

    /**
     * The settings under Kafka's own names; the course's own (data.dir, http.port ...) are not Kafka's configs, and
     * the authorizer's own are listed only when the broker was given them, as Kafka's DescribeConfigs lists them.
     */
    private List<Setting> kafkaSettings() {
        BrokerConfig config = broker.config();
        return BrokerConfig.settings().stream().filter(setting -> setting.name().equals(setting.kafkaName()))
                .filter(setting -> !BrokerConfig.AUTHORIZER_OWN.contains(setting.name())
                        || !config.sourceOf(setting.name()).equals("default")).toList();
    }

    /** A {@code KafkaBrokerConfig}: the value in force, where it comes from, and every level that gives one. */
    private Map<String, Object> entry(Exchange exchange, Setting setting) {
        int node = broker.nodeId();
        String name = setting.name();
        Map<String, Object> json = V3Shapes.resource("KafkaBrokerConfig", ClusterRoutes.brokerUrl(exchange, node)
                + "/configs/" + name, V3Shapes.crn(exchange, "broker", String.valueOf(node), "config", name));
        json.put("cluster_id", exchange.clusterId());
        json.put("broker_id", node);
        List<DynamicBrokerConfigs.Synonym> levels = broker.dynamicConfigs().synonyms(name);
        List<Object> synonyms = levels.stream().map(level -> (Object) TopicConfigRoutes.synonym(level.name(),
                level.value(), level.source().name())).toList();
        DynamicBrokerConfigs.Source source = levels.get(0).source();
        return TopicConfigRoutes.configFields(json, name, broker.config().get(name),
                source == DynamicBrokerConfigs.Source.DEFAULT_CONFIG, !BrokerConfig.DYNAMIC.contains(name),
                source.name(), synonyms);
    }

    /** A {@code KafkaClusterConfig}: one setting of the cluster-wide default level. */
    private static Map<String, Object> clusterEntry(Exchange exchange, String name, String value) {
        Map<String, Object> json = V3Shapes.resource("KafkaClusterConfig", V3Shapes.clusterUrl(exchange)
                + "/broker-configs/" + name, V3Shapes.crn(exchange, "broker-config", name));
        json.put("cluster_id", exchange.clusterId());
        json.put("config_type", "BROKER");
        String source = DynamicBrokerConfigs.Source.DYNAMIC_DEFAULT_BROKER_CONFIG.name();
        return TopicConfigRoutes.configFields(json, name, value, false, false, source,
                List.of(TopicConfigRoutes.synonym(name, value, source)));
    }

    private Reply set(Exchange exchange, Level level) throws IOException {
        String name = exchange.path("name");
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"value\": ...}"), "the body");
        broker.dynamicConfigs().alter(level, Map.of(name, TopicRoutes.configValue(body, name)), Set.of(), false, false);
        return Reply.noContent();
    }

    private Reply delete(Exchange exchange, Level level) {
        broker.dynamicConfigs().alter(level, Map.of(), Set.of(exchange.path("name")), false, false);
        return Reply.noContent();
    }

    /** {@code configs:alter}: every entry checked before any takes effect; with validate_only, none does. */
    private Reply alter(Exchange exchange, Level level) throws IOException {
        TopicConfigRoutes.Alteration alteration = TopicConfigRoutes.Alteration.of(exchange);
        broker.dynamicConfigs().alter(level, alteration.set(), alteration.reset(), false, alteration.validateOnly());
        return Reply.noContent();
    }
}
