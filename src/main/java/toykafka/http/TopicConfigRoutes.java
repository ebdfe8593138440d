package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.Broker;
import toykafka.broker.config.TopicInheritance;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.TopicConfig;

/**
 * Topic configs as REST Proxy v3 serves them:
 *
 * <ul>
 * <li>{@code GET .../topics/<t>/configs}, {@code .../configs/<name>} and {@code .../topics/-/configs} (every
 *     topic's) are DescribeConfigs: each key with the value in force, {@code DYNAMIC_TOPIC_CONFIG} where the
 *     topic sets it and {@code DEFAULT_CONFIG} elsewhere, with its synonyms, most specific first.</li>
 * <li>{@code PUT .../configs/<name>} {@code {"value": v}}, {@code DELETE .../configs/<name>} (back to the
 *     default) and {@code POST .../configs:alter} {@code {"data": [{"name", "value", "operation": "SET" |
 *     "DELETE"}], "validate_only": bool}} are IncrementalAlterConfigs ({@link Broker#alterConfig}); the dry
 *     run checks every entry and changes nothing.</li>
 * </ul>
 *
 * <p>This broker's own extensions: {@code PUT .../topics/<t>/configs} {@code {"data": [...]}} sets the whole
 * config, keys not sent going back to their defaults (Kafka's older AlterConfigs, {@link Broker#replaceConfig}),
 * and {@code PATCH .../configs} changes only the keys sent ({@link Broker#patchConfig}).
 */
final class TopicConfigRoutes {

    private static final String CONFIGS = TopicRoutes.TOPICS + "/{topic}/configs";

    private final Broker broker;

    TopicConfigRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", TopicRoutes.TOPICS + "/-/configs", this::allConfigs); // before {topic}: first match serves
        front.route("GET", CONFIGS, this::configs);
        front.route("PUT", CONFIGS, exchange -> wholeConfig(exchange, true));
        front.route("PATCH", CONFIGS, exchange -> wholeConfig(exchange, false));
        front.route("POST", CONFIGS + ":alter", this::alter);
        front.route("GET", CONFIGS + "/{name}", this::config);
        front.route("PUT", CONFIGS + "/{name}", this::set);
        front.route("DELETE", CONFIGS + "/{name}", this::reset);
    }

    private Reply allConfigs(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        List<Object> data = new ArrayList<>();
        for (String topic : exchange.authorizedOf(AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, broker.listTopics())) {
            data.addAll(entries(exchange, broker.describeTopic(topic)));
        }
        return Reply.json(200, Json.write(V3Shapes.list("KafkaTopicConfigList",
                V3Shapes.clusterUrl(exchange) + "/topics/-/configs", data)));
    }

    private Reply configs(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        Broker.TopicInfo topic = broker.describeTopic(exchange.path("topic"));
        return Reply.json(200, Json.write(V3Shapes.list("KafkaTopicConfigList",
                TopicRoutes.topicUrl(exchange, topic.name()) + "/configs", entries(exchange, topic))));
    }

    private Reply config(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        Broker.TopicInfo topic = broker.describeTopic(exchange.path("topic"));
        String name = exchange.path("name");
        if (!topic.config().containsKey(name)) {
            throw new HttpError(404, "topic '" + topic.name() + "' has no config '" + name + "': the topic configs are "
                    + String.join(", ", topic.config().keySet()));
        }
        return Reply.json(200, Json.write(entry(exchange, topic, name)));
    }

    private List<Object> entries(Exchange exchange, Broker.TopicInfo topic) {
        List<Object> entries = new ArrayList<>();
        topic.config().keySet().forEach(name -> entries.add(entry(exchange, topic, name)));
        return entries;
    }

    /**
     * A {@code KafkaTopicConfig}; its synonyms are the topic's own value, if set, the broker's setting it
     * inherits, if the broker sets one, then Kafka's default.
     */
    private Map<String, Object> entry(Exchange exchange, Broker.TopicInfo topic, String name) {
        Map<String, Object> json = V3Shapes.resource("KafkaTopicConfig",
                TopicRoutes.topicUrl(exchange, topic.name()) + "/configs/" + name,
                V3Shapes.crn(exchange, "topic", topic.name(), "config", name));
        json.put("cluster_id", exchange.clusterId());
        json.put("topic_name", topic.name());
        boolean set = topic.overrides().containsKey(name);
        boolean inherited = !set && topic.inherited().containsKey(name);
        String brokerSetting = TopicInheritance.brokerSettingOf(name);
        List<Object> synonyms = new ArrayList<>();
        if (set) {
            synonyms.add(synonym(name, topic.config().get(name), "DYNAMIC_TOPIC_CONFIG"));
        }
        if (brokerSetting != null && topic.inherited().containsKey(name)) { // each level the broker's setting has
            broker.dynamicConfigs().synonyms(brokerSetting).stream()
                    .filter(level -> level.source() != DynamicBrokerConfigs.Source.DEFAULT_CONFIG)
                    .forEach(level -> synonyms.add(synonym(level.name(), level.value(), level.source().name())));
        }
        synonyms.add(synonym(name, TopicConfig.keys().get(name).defaultValue(), "DEFAULT_CONFIG"));
        String source = set ? "DYNAMIC_TOPIC_CONFIG"
                : inherited ? broker.dynamicConfigs().sourceOf(brokerSetting).name() : "DEFAULT_CONFIG";
        return configFields(json, name, topic.config().get(name), !set && !inherited, false, source, synonyms);
    }

    /** The fields every v3 config shares, after its resource's own: REST Proxy's {@code AbstractConfigData}. */
    static Map<String, Object> configFields(Map<String, Object> json, String name, String value, boolean isDefault,
                                            boolean readOnly, String source, List<Object> synonyms) {
        json.put("name", name);
        json.put("value", value);
        json.put("is_default", isDefault);
        json.put("is_read_only", readOnly);
        json.put("is_sensitive", false); // no config here is a secret
        json.put("source", source);
        json.put("synonyms", synonyms);
        return json;
    }

    static Map<String, Object> synonym(String name, String value, String source) {
        return Json.fields("name", name, "value", value, "source", source);
    }

    private Reply set(Exchange exchange) throws IOException {
        TopicRoutes.requireCluster(exchange);
        String name = exchange.path("name");
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"value\": ...}"), "the body");
        broker.alterConfig(exchange.path("topic"), Map.of(name, TopicRoutes.configValue(body, name)), Set.of(), false);
        return Reply.noContent();
    }

    private Reply reset(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        broker.alterConfig(exchange.path("topic"), Map.of(), Set.of(exchange.path("name")), false);
        return Reply.noContent();
    }

    /** {@code configs:alter}: every entry checked before any takes effect; with validate_only, none does. */
    private Reply alter(Exchange exchange) throws IOException {
        TopicRoutes.requireCluster(exchange);
        Alteration alteration = Alteration.of(exchange);
        broker.alterConfig(exchange.path("topic"), alteration.set(), alteration.reset(), alteration.validateOnly());
        return Reply.noContent();
    }

    /** A {@code configs:alter} body: the keys to set, those to put back to their defaults, and whether to only check. */
    record Alteration(Map<String, String> set, Set<String> reset, boolean validateOnly) {

        static Alteration of(Exchange exchange) throws IOException {
            JsonNode body = Json.object(Json.read(exchange.body(), "{\"data\": [{\"name\": ..., \"value\": ...,"
                    + " \"operation\": \"SET\"|\"DELETE\"}], \"validate_only\": false}"), "the body");
            JsonNode data = body.get("data");
            if (data == null || !data.isArray()) {
                throw new HttpError(400, "\"data\" must be a list of {\"name\": ..., \"value\": ..., \"operation\":"
                        + " \"SET\"|\"DELETE\"}");
            }
            Map<String, String> set = new TreeMap<>();
            Set<String> reset = new TreeSet<>();
            for (JsonNode entry : data) {
                Json.object(entry, "a config entry");
                String name = Json.text(entry, "name", true);
                String operation = Json.text(entry, "operation", false);
                boolean taken;
                if (operation == null || operation.equals("SET")) {
                    taken = set.put(name, TopicRoutes.configValue(entry, name)) == null && !reset.contains(name);
                } else if (operation.equals("DELETE")) {
                    taken = reset.add(name) && !set.containsKey(name);
                } else {
                    throw new HttpError(400, "config " + name + ": \"operation\" must be SET (the default) or DELETE"
                            + " (back to the default), was " + operation);
                }
                if (!taken) {
                    throw new HttpError(400, "config " + name + " is given twice");
                }
            }
            return new Alteration(set, reset, TopicRoutes.flag(body, "validate_only"));
        }
    }

    /** The whole-config PUT and PATCH, this broker's own: {@code {"data": [{"name": ..., "value": ...}]}}. */
    private Reply wholeConfig(Exchange exchange, boolean replace) throws IOException {
        TopicRoutes.requireCluster(exchange);
        String topic = exchange.path("topic");
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"data\": [{\"name\": ..., \"value\": ...}]}"), "the body");
        Map<String, String> configs = TopicRoutes.configList(body.get("data"), "data");
        broker.describeTopic(topic); // an unknown topic is a 404 before any config is looked at
        if (replace) {
            broker.replaceConfig(topic, configs);
        } else {
            broker.patchConfig(topic, configs);
        }
        return Reply.noContent();
    }
}
