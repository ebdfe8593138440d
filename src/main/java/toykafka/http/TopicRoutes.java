package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import toykafka.broker.Broker;
import toykafka.common.InvalidPartitionsException;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.Topics;

/**
 * Topics and their configs over HTTP, in the shapes of Confluent's REST Proxy v3, under
 * {@code /v3/clusters/toykafka/topics}. Each route is one of the broker's own operations:
 *
 * <ul>
 * <li>{@code GET .../topics} is {@link Broker#listTopics} and {@link Broker#describeTopic} (Kafka's Metadata
 *     request, as {@code Admin.listTopics} sends it): a {@code KafkaTopicList}, the broker's own {@code __}
 *     topics included and marked {@code is_internal}.</li>
 * <li>{@code POST .../topics} {@code {"topic_name": t, "partitions_count": n, "configs": [...]}} is
 *     {@link Broker#createTopic} (CreateTopics): 201 and the topic made.</li>
 * <li>{@code GET .../topics/<t>} is {@link Broker#describeTopic} (Metadata, DescribeConfigs and ListOffsets
 *     in one): the topic, each partition's log start and end offsets, and its config.
 *     {@code DELETE .../topics/<t>} is {@link Broker#deleteTopic} (DeleteTopics).</li>
 * <li>{@code GET .../topics/<t>/partitions} lists the partitions with their offsets; with
 *     {@code auto_create=true} it first calls {@link Broker#partitionsForWrite}, Kafka's Metadata request
 *     as a producer sends it, which creates an unknown topic if auto.create.topics.enable says so.
 *     {@code POST .../topics/<t>/partitions} {@code {"partitions_count": n}} is
 *     {@link Broker#increasePartitions} (CreatePartitions).</li>
 * <li>{@code GET .../topics/<t>/configs} is DescribeConfigs. {@code PUT .../configs} is
 *     {@link Broker#replaceConfig} (Kafka's old AlterConfigs: keys not sent go back to their defaults);
 *     {@code PATCH .../configs} and {@code POST .../configs:alter} are {@link Broker#patchConfig}
 *     (IncrementalAlterConfigs: only the keys sent change). Each takes {@code {"data": [{"name": ..,
 *     "value": ..}]}}.</li>
 * </ul>
 *
 * <p>Where this differs from the REST Proxy, on purpose: there is one cluster, {@code toykafka}, and any
 * other cluster id is a 404; replies carry the data without the {@code metadata} and {@code related} links;
 * a topic's description holds its partitions and config inline, and a partition its log start and end
 * offsets instead of its leader and replicas (one broker, no replication factor); a config entry is only
 * {@code name}, {@code value} and {@code is_default}; {@code "on_duplicate": "rename"} on create makes
 * {@code name__0}, as Katar did; and whole-config {@code PUT}, {@code PATCH}, partition increase and
 * {@code auto_create} are this broker's own. A refusal carries Kafka's error name and code beside the HTTP
 * status.
 */
final class TopicRoutes {

    /**
     * A name the v3 paths take for this broker's cluster beside its real id, so a lesson's curl line is the
     * same on every machine: this broker's own extension.
     */
    static final String CLUSTER_ALIAS = "toykafka";
    static final String TOPICS = "/v3/clusters/{cluster}/topics";

    private final Broker broker;

    TopicRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", TOPICS, this::listTopics);
        front.route("POST", TOPICS, this::createTopic);
        front.route("GET", TOPICS + "/{topic}", this::topic);
        front.route("DELETE", TOPICS + "/{topic}", this::deleteTopic);
        front.route("GET", TOPICS + "/{topic}/partitions", this::partitions);
        front.route("POST", TOPICS + "/{topic}/partitions", this::addPartitions);
        front.route("GET", TOPICS + "/{topic}/configs", this::configs);
        front.route("PUT", TOPICS + "/{topic}/configs", exchange -> alterConfigs(exchange, true));
        front.route("PATCH", TOPICS + "/{topic}/configs", exchange -> alterConfigs(exchange, false));
        front.route("POST", TOPICS + "/{topic}/configs:alter", exchange -> alterConfigs(exchange, false));
    }

    /** Refuses a v3 path that names another cluster than this broker's. */
    static void requireCluster(Exchange exchange) {
        String cluster = exchange.path("cluster");
        if (!cluster.equals(exchange.clusterId()) && !cluster.equals(CLUSTER_ALIAS)) {
            throw new HttpError(404, "there is no cluster '" + cluster + "'; this broker is cluster '"
                    + exchange.clusterId() + "' (GET /v3/clusters lists it), also reachable as '" + CLUSTER_ALIAS + "'");
        }
    }

    private Reply listTopics(Exchange exchange) {
        requireCluster(exchange);
        List<Object> data = new ArrayList<>();
        for (String name : broker.listTopics()) {
            data.add(topicSummary(exchange, broker.describeTopic(name)));
        }
        return Reply.json(200, Json.write(Json.fields("kind", "KafkaTopicList", "data", data)));
    }

    private static Map<String, Object> topicSummary(Exchange exchange, Broker.TopicInfo topic) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "KafkaTopic");
        json.put("cluster_id", exchange.clusterId());
        json.put("topic_name", topic.name());
        json.put("is_internal", topic.internal());
        json.put("partitions_count", topic.partitions().size());
        return json;
    }

    private Reply topic(Exchange exchange) {
        requireCluster(exchange);
        Broker.TopicInfo topic = broker.describeTopic(exchange.path("topic"));
        Map<String, Object> json = topicSummary(exchange, topic);
        json.put("partitions", partitionList(topic));
        json.put("configs", topic.config());
        return Reply.json(200, Json.write(json));
    }

    private static List<Object> partitionList(Broker.TopicInfo topic) {
        List<Object> partitions = new ArrayList<>();
        for (Broker.PartitionInfo partition : topic.partitions()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("partition_id", partition.partition());
            json.put("log_start_offset", partition.logStartOffset());
            json.put("log_end_offset", partition.endOffset());
            partitions.add(json);
        }
        return partitions;
    }

    /**
     * A topic's partitions. With {@code auto_create=true} this is Kafka's metadata request as a producer
     * sends it first: an unknown topic is created if auto.create.topics.enable says so.
     */
    private Reply partitions(Exchange exchange) {
        requireCluster(exchange);
        String name = exchange.path("topic");
        if (exchange.query("auto_create", "false").equals("true")) {
            broker.partitionsForWrite(name);
        }
        return Reply.json(200, Json.write(Json.fields("kind", "KafkaPartitionList",
                "data", partitionList(broker.describeTopic(name)))));
    }

    private Reply configs(Exchange exchange) {
        requireCluster(exchange);
        Broker.TopicInfo topic = broker.describeTopic(exchange.path("topic"));
        List<Object> data = new ArrayList<>();
        topic.config().forEach((key, value) -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", key);
            json.put("value", value);
            json.put("is_default", !topic.overrides().containsKey(key));
            data.add(json);
        });
        return Reply.json(200, Json.write(Json.fields("kind", "KafkaTopicConfigList", "data", data)));
    }

    // tag::create-topic[]
    private Reply createTopic(Exchange exchange) throws IOException {
        requireCluster(exchange);
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"topic_name\": ..., \"partitions_count\": ...,"
                + " \"configs\": [{\"name\": ..., \"value\": ...}]}"), "the body");
        String name = Json.text(body, "topic_name", true);
        Long partitions = partitionCount(body, name, false);
        String onDuplicate = Json.text(body, "on_duplicate", false);
        OnDuplicate duplicate;
        if (onDuplicate == null || onDuplicate.equals("fail")) {
            duplicate = OnDuplicate.FAIL;
        } else if (onDuplicate.equals("rename")) {
            duplicate = OnDuplicate.RENAME;
        } else {
            throw new HttpError(400, "\"on_duplicate\" must be fail (Kafka's way) or rename (Katar's: name__0, ...),"
                    + " was " + onDuplicate);
        }
        String created = broker.createTopic(name, partitions == null ? null : partitions.intValue(),
                configList(body.get("configs"), "configs"), duplicate);
        return Reply.json(201, Json.write(topicSummary(exchange, broker.describeTopic(created))));
    }
    // end::create-topic[]

    /**
     * {@code partitions_count}: any whole number, so the broker's own rule refuses a count outside 1..1000 as
     * INVALID_PARTITIONS; one beyond an int is refused here by the same rule, not by the int's range.
     */
    private static Long partitionCount(JsonNode body, String topic, boolean required) {
        JsonNode count = body.get("partitions_count");
        if (count != null && count.isIntegralNumber() && !count.canConvertToInt()) {
            throw InvalidPartitionsException.outOfRange(topic, count.asText(), Topics.MAX_PARTITIONS);
        }
        return Json.number(body, "partitions_count", Integer.MIN_VALUE, Integer.MAX_VALUE, required);
    }

    /** [{"name": k, "value": v}, ...] as a map; a key given twice is refused. */
    private static Map<String, String> configList(JsonNode list, String field) {
        Map<String, String> configs = new TreeMap<>();
        if (list == null || list.isNull()) {
            return configs;
        }
        if (!list.isArray()) {
            throw new HttpError(400, "\"" + field + "\" must be a list of {\"name\": ..., \"value\": ...}");
        }
        for (JsonNode entry : list) {
            Json.object(entry, "a config entry");
            String name = Json.text(entry, "name", true);
            JsonNode value = entry.get("value");
            if (value == null || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
                throw new HttpError(400, "config " + name + " needs a \"value\" (a string or number)");
            }
            if (configs.put(name, value.asText()) != null) {
                throw new HttpError(400, "config " + name + " is given twice");
            }
        }
        return configs;
    }

    private Reply alterConfigs(Exchange exchange, boolean replace) throws IOException {
        requireCluster(exchange);
        String topic = exchange.path("topic");
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"data\": [{\"name\": ..., \"value\": ...}]}"), "the body");
        Map<String, String> configs = configList(body.get("data"), "data");
        broker.describeTopic(topic); // an unknown topic is a 404 before any config is looked at
        if (replace) {
            broker.replaceConfig(topic, configs);
        } else {
            broker.patchConfig(topic, configs);
        }
        return Reply.noContent();
    }

    private Reply deleteTopic(Exchange exchange) {
        requireCluster(exchange);
        broker.deleteTopic(exchange.path("topic"));
        return Reply.noContent();
    }

    private Reply addPartitions(Exchange exchange) throws IOException {
        requireCluster(exchange);
        String topic = exchange.path("topic");
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"partitions_count\": N}"), "the body");
        broker.increasePartitions(topic, partitionCount(body, topic, true).intValue());
        return Reply.json(200, Json.write(topicSummary(exchange, broker.describeTopic(topic))));
    }
}
