package toykafka.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.BrokerConfig;

/**
 * Broker configs as REST Proxy v3 serves them, read-only: DescribeConfigs for a broker.
 *
 * <ul>
 * <li>{@code GET .../brokers/<id>/configs}, {@code .../configs/<name>} and {@code .../brokers/-/configs}
 *     (every broker's): the settings that carry Kafka's own names ({@code num.partitions},
 *     {@code log.retention.ms} ...), {@code STATIC_BROKER_CONFIG} when a flag, the environment or the file
 *     set them and {@code DEFAULT_CONFIG} otherwise, read-only as Kafka's static settings are.</li>
 * <li>{@code GET .../broker-configs}: the cluster-wide dynamic defaults, of which this broker has none, so an
 *     empty list.</li>
 * <li>Every write ({@code PUT}/{@code DELETE .../configs/<name>}, {@code POST .../configs:alter}, on a broker or
 *     the cluster) is refused naming why: these settings are static, read at start.</li>
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
            return Reply.json(200, Json.write(V3Shapes.list("KafkaClusterConfigList", V3Shapes.clusterUrl(exchange)
                    + "/broker-configs", List.of())));
        });
        front.route("GET", CLUSTER_CONFIGS + "/{name}", exchange -> {
            TopicRoutes.requireCluster(exchange);
            throw new HttpError(404, "this cluster has no dynamic default for '" + exchange.path("name") + "': its"
                    + " broker's settings are static; GET .../brokers/" + broker.nodeId() + "/configs lists them");
        });
        for (String path : List.of(BROKER_CONFIGS + "/{name}", CLUSTER_CONFIGS + "/{name}")) {
            front.route("PUT", path, this::refuseChange);
            front.route("DELETE", path, this::refuseChange);
        }
        front.route("POST", BROKER_CONFIGS + ":alter", this::refuseChange);
        front.route("POST", CLUSTER_CONFIGS + ":alter", this::refuseChange);
    }

    private void requireBroker(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        ClusterRoutes.requireBroker(exchange, broker.nodeId());
    }

    private Reply configs(Exchange exchange, String self) {
        TopicRoutes.requireCluster(exchange);
        List<Object> data = new ArrayList<>();
        for (BrokerConfig.Setting setting : kafkaSettings()) {
            data.add(entry(exchange, setting));
        }
        return Reply.json(200, Json.write(V3Shapes.list("KafkaBrokerConfigList", self, data)));
    }

    private Reply config(Exchange exchange) {
        requireBroker(exchange);
        String name = exchange.path("name");
        List<BrokerConfig.Setting> settings = kafkaSettings();
        for (BrokerConfig.Setting setting : settings) {
            if (setting.name().equals(name)) {
                return Reply.json(200, Json.write(entry(exchange, setting)));
            }
        }
        throw new HttpError(404, "broker " + broker.nodeId() + " has no config '" + name + "': its configs are "
                + String.join(", ", settings.stream().map(BrokerConfig.Setting::name).toList()));
    }

    /** The settings under Kafka's own names; the course's own (data.dir, http.port ...) are not Kafka's configs. */
    private static List<BrokerConfig.Setting> kafkaSettings() {
        return BrokerConfig.settings().stream().filter(setting -> setting.name().equals(setting.kafkaName())).toList();
    }

    /** A {@code KafkaBrokerConfig}: the value in force, then Kafka's default when a setting changed it. */
    private Map<String, Object> entry(Exchange exchange, BrokerConfig.Setting setting) {
        int node = broker.nodeId();
        String name = setting.name();
        Map<String, Object> json = V3Shapes.resource("KafkaBrokerConfig", ClusterRoutes.brokerUrl(exchange, node)
                + "/configs/" + name, V3Shapes.crn(exchange, "broker", String.valueOf(node), "config", name));
        json.put("cluster_id", exchange.clusterId());
        json.put("broker_id", node);
        BrokerConfig config = broker.config();
        String value = config.get(name);
        // a value changed in code (BrokerConfig.with) keeps the source "default": the value tells it apart
        boolean isDefault = "default".equals(config.sourceOf(name)) && value.equals(setting.defaultValue());
        List<Object> synonyms = new ArrayList<>();
        if (!isDefault) {
            synonyms.add(TopicConfigRoutes.synonym(name, value, "STATIC_BROKER_CONFIG"));
        }
        synonyms.add(TopicConfigRoutes.synonym(name, setting.defaultValue(), "DEFAULT_CONFIG"));
        return TopicConfigRoutes.configFields(json, name, value, isDefault, true,
                isDefault ? "DEFAULT_CONFIG" : "STATIC_BROKER_CONFIG", synonyms);
    }

    private Reply refuseChange(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        throw new HttpError(400, "this broker's settings are static, read when it starts (Kafka's"
                + " STATIC_BROKER_CONFIG): set them with a flag, the environment or the properties file, and restart;"
                + " GET .../brokers/" + broker.nodeId() + "/configs lists them");
    }
}
