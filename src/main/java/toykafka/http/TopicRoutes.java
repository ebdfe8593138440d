package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.InvalidPartitionsException;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.Topics;

/**
 * Topics as Confluent's REST Proxy v3 serves them, under {@code /v3/clusters/<cluster>/topics}; each route is
 * one of the broker's own operations:
 *
 * <ul>
 * <li>{@code GET .../topics} is {@link Broker#listTopics} (Kafka's Metadata request, as {@code Admin.listTopics}
 *     sends it): a {@code KafkaTopicList}, the broker's own {@code __} topics included and marked
 *     {@code is_internal}.</li>
 * <li>{@code POST .../topics} is CreateTopics ({@link Broker#createTopic}): 201 and the topic made. With
 *     {@code "validate_only": true} it is CreateTopics' dry run ({@link Broker#checkNewTopic}): 200, the topic
 *     that would be made, and nothing made. {@code replication_factor} and {@code replicas_assignments} are
 *     checked against this cluster of one broker.</li>
 * <li>{@code GET .../topics/<t>} is Metadata for one topic; {@code DELETE} is DeleteTopics
 *     ({@link Broker#deleteTopic}); {@code PATCH} {@code {"partitions_count": n}} is CreatePartitions
 *     ({@link Broker#increasePartitions}).</li>
 * </ul>
 *
 * <p>This broker's own extensions: {@code "on_duplicate": "rename"} on create makes {@code name__0}, as Katar
 * did; {@code POST .../topics/<t>/partitions} {@code {"partitions_count": n}} adds partitions as PATCH does;
 * and the cluster is also reachable as {@link #CLUSTER_ALIAS}. A refusal carries Kafka's error name and code
 * beside REST Proxy's {@code error_code}.
 */
final class TopicRoutes {

    /**
     * A name the v3 paths take for this broker's cluster beside its real id, so a lesson's curl line is the
     * same on every machine: this broker's own extension.
     */
    static final String CLUSTER_ALIAS = "toykafka";
    static final String CLUSTER = "/v3/clusters/{cluster}";
    static final String TOPICS = CLUSTER + "/topics";
    /** A partition here has one replica, on this broker: the only replication factor there is. */
    static final int REPLICATION_FACTOR = 1;

    private final Broker broker;

    TopicRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", TOPICS, this::listTopics);
        front.route("POST", TOPICS, this::createTopic);
        front.route("GET", TOPICS + "/{topic}", this::topic);
        front.route("PATCH", TOPICS + "/{topic}", this::addPartitions);
        front.route("DELETE", TOPICS + "/{topic}", this::deleteTopic);
        front.route("POST", TOPICS + "/{topic}/partitions", this::addPartitions);
    }

    /** Refuses a v3 path that names another cluster than this broker's. */
    static void requireCluster(Exchange exchange) {
        String cluster = exchange.path("cluster");
        if (!cluster.equals(exchange.clusterId()) && !cluster.equals(CLUSTER_ALIAS)) {
            throw new HttpError(404, "there is no cluster '" + cluster + "'; this broker is cluster '"
                    + exchange.clusterId() + "' (GET /v3/clusters lists it), also reachable as '" + CLUSTER_ALIAS + "'");
        }
    }

    /** {@code http://host:port/v3/clusters/<id>/topics/<t>}: a topic's own URL, where its links start. */
    static String topicUrl(Exchange exchange, String topic) {
        return V3Shapes.clusterUrl(exchange) + "/topics/" + topic; // a topic's name is URL-safe: [a-zA-Z0-9._-]
    }

    private Reply listTopics(Exchange exchange) {
        requireCluster(exchange);
        List<Object> data = new ArrayList<>();
        for (String name : exchange.authorizedOf(AclOperation.DESCRIBE, ResourceType.TOPIC, broker.listTopics())) {
            Broker.TopicInfo topic = broker.describeTopic(name);
            data.add(topic(exchange, name, topic.internal(), topic.partitions().size()));
        }
        return Reply.json(200, Json.write(V3Shapes.list("KafkaTopicList", V3Shapes.clusterUrl(exchange) + "/topics", data)));
    }

    /** A {@code KafkaTopic}: its counts, and links to its partitions, configs and reassignments. */
    static Map<String, Object> topic(Exchange exchange, String name, boolean internal, int partitions) {
        String self = topicUrl(exchange, name);
        Map<String, Object> json = V3Shapes.resource("KafkaTopic", self, V3Shapes.crn(exchange, "topic", name));
        json.put("cluster_id", exchange.clusterId());
        json.put("topic_name", name);
        json.put("is_internal", internal);
        json.put("replication_factor", REPLICATION_FACTOR);
        json.put("partitions_count", partitions);
        json.put("partitions", V3Shapes.related(self + "/partitions"));
        json.put("configs", V3Shapes.related(self + "/configs"));
        json.put("partition_reassignments", V3Shapes.related(self + "/partitions/-/reassignment"));
        json.put("authorized_operations", List.of()); // the authorizer is not asked to list them here
        return json;
    }

    private Reply topic(Exchange exchange) {
        requireCluster(exchange);
        return Reply.json(200, Json.write(described(exchange, exchange.path("topic"))));
    }

    private Map<String, Object> described(Exchange exchange, String name) {
        Broker.TopicInfo topic = broker.describeTopic(name);
        return topic(exchange, name, topic.internal(), topic.partitions().size());
    }

    // tag::create-topic[]
    private Reply createTopic(Exchange exchange) throws IOException {
        requireCluster(exchange);
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"topic_name\": ..., \"partitions_count\": ...,"
                + " \"configs\": [{\"name\": ..., \"value\": ...}]}"), "the body");
        String name = Json.text(body, "topic_name", true);
        Integer partitions = partitions(body, name);
        Map<String, String> configs = configList(body.get("configs"), "configs");
        OnDuplicate duplicate = onDuplicate(Json.text(body, "on_duplicate", false));
        exchange.requireCreate(name);
        if (flag(body, "validate_only")) {
            if (duplicate == OnDuplicate.RENAME) {
                throw new HttpError(400, "\"validate_only\" checks a create as Kafka makes it, with on_duplicate fail;"
                        + " rename picks its name only when it creates");
            }
            broker.checkNewTopic(name, partitions, configs); // Kafka's dry run: every check, nothing made
            int count = partitions == null ? broker.config().numPartitions() : partitions;
            return Reply.json(200, Json.write(topic(exchange, name, false, count)));
        }
        String created = broker.createTopic(name, partitions, configs, duplicate);
        return Reply.json(201, Json.write(described(exchange, created)))
                .withHeader("Location", topicUrl(exchange, created));
    }
    // end::create-topic[]

    private static OnDuplicate onDuplicate(String onDuplicate) {
        if (onDuplicate == null || onDuplicate.equals("fail")) {
            return OnDuplicate.FAIL;
        }
        if (onDuplicate.equals("rename")) {
            return OnDuplicate.RENAME;
        }
        throw new HttpError(400, "\"on_duplicate\" must be fail (Kafka's way) or rename (Katar's: name__0, ...),"
                + " was " + onDuplicate);
    }

    /**
     * The partition count a create asks for, null for the broker's num.partitions: {@code partitions_count}
     * (-1 or absent for the default), or the count of {@code replicas_assignments}, which Kafka takes only
     * without a partition count or replication factor. {@code replication_factor} is 1 or the default (-1).
     */
    private Integer partitions(JsonNode body, String topic) {
        Long count = partitionCount(body, topic, false);
        Long replication = Json.number(body, "replication_factor", Short.MIN_VALUE, Short.MAX_VALUE, false);
        Integer assigned = assignedPartitions(body.get("replicas_assignments"), topic);
        if (assigned != null) {
            if ((count != null && count != -1) || (replication != null && replication != -1)) {
                throw new HttpError(400, HttpError.KAFKA_BAD_REQUEST, Errors.INVALID_REQUEST, "topic '" + topic
                        + "' gives both replicas_assignments and a partitions_count or replication_factor: Kafka takes"
                        + " one or the other, so give the assignments alone, or no assignments");
            }
            return assigned;
        }
        if (replication != null && replication != -1 && replication != REPLICATION_FACTOR) {
            throw new HttpError(400, HttpError.KAFKA_BAD_REQUEST, Errors.INVALID_REPLICATION_FACTOR, "topic '" + topic
                    + "' cannot have replication factor " + replication + ": this cluster is one broker, node "
                    + broker.nodeId() + ", so a partition has " + REPLICATION_FACTOR + " replica; ask for "
                    + REPLICATION_FACTOR + ", or leave it out (or -1) for the default");
        }
        return count == null || count == -1 ? null : count.intValue();
    }

    /**
     * How many partitions {@code replicas_assignments} places, null when it is absent or empty. It is read in
     * each form REST Proxy's reference shows: its request object, {@code {"0": [1], "1": [1]}}; its schema, a
     * list of {@code {"partition_id": 0, "broker_ids": [1]}}; and its example, a list of {@code {"0": [1]}}.
     * Every partition from 0 up must be placed once, on this broker alone.
     */
    private Integer assignedPartitions(JsonNode assignments, String topic) {
        if (assignments == null || assignments.isNull() || assignments.isEmpty()) {
            return null;
        }
        Map<Integer, JsonNode> placed = new TreeMap<>();
        String form = "\"replicas_assignments\" must be {\"<partition>\": [broker ids], ...} or a list of"
                + " {\"partition_id\": n, \"broker_ids\": [...]}";
        if (assignments.isObject()) {
            assignments.fields().forEachRemaining(entry -> place(placed, entry.getKey(), entry.getValue(), topic, form));
        } else if (assignments.isArray()) {
            for (JsonNode entry : assignments) {
                if (entry.isObject() && entry.has("partition_id")) {
                    place(placed, entry.get("partition_id").asText(), entry.get("broker_ids"), topic, form);
                } else if (entry.isObject() && entry.size() == 1) {
                    Iterator<Map.Entry<String, JsonNode>> only = entry.fields();
                    Map.Entry<String, JsonNode> field = only.next();
                    place(placed, field.getKey(), field.getValue(), topic, form);
                } else {
                    throw new HttpError(400, form + "; an entry was " + entry);
                }
            }
        } else {
            throw new HttpError(400, form + "; was " + assignments.getNodeType());
        }
        int count = placed.size();
        placed.forEach((partition, brokers) -> {
            if (partition >= count) {
                throw new HttpError(400, HttpError.KAFKA_BAD_REQUEST, Errors.INVALID_REPLICA_ASSIGNMENT, "topic '"
                        + topic + "' assigns partition " + partition + " out of turn: its " + count + " assigned"
                        + " partitions must be numbered 0 to " + (count - 1) + ", each once");
            }
            if (!(brokers.isArray() && brokers.size() == 1 && brokers.get(0).canConvertToInt()
                    && brokers.get(0).asInt() == broker.nodeId())) {
                throw new HttpError(400, HttpError.KAFKA_BAD_REQUEST, Errors.INVALID_REPLICA_ASSIGNMENT, "topic '"
                        + topic + "' puts partition " + partition + " on brokers " + brokers + ": this cluster is one"
                        + " broker, node " + broker.nodeId() + ", so every partition goes on [" + broker.nodeId() + "]");
            }
        });
        return count;
    }

    private static void place(Map<Integer, JsonNode> placed, String partition, JsonNode brokers, String topic, String form) {
        int id = Exchange.wholeNumber(partition).filter(n -> n >= 0 && n <= Integer.MAX_VALUE).map(Long::intValue)
                .orElseThrow(() -> new HttpError(400, form + "; partition '" + partition + "' is not a whole number,"
                        + " 0 or more"));
        if (brokers == null || !brokers.isArray()) {
            throw new HttpError(400, form + "; partition " + id + " has no list of broker ids");
        }
        if (placed.put(id, brokers) != null) {
            throw new HttpError(400, HttpError.KAFKA_BAD_REQUEST, Errors.INVALID_REPLICA_ASSIGNMENT, "topic '" + topic
                    + "' assigns partition " + id + " twice");
        }
    }

    /** A boolean field, false when absent; anything but true or false is refused. */
    static boolean flag(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new HttpError(400, "the field \"" + field + "\" must be true or false, was " + node);
        }
        return node.asBoolean();
    }

    /**
     * {@code partitions_count}: any whole number, so the broker's own rule refuses a count outside 1..1000 as
     * INVALID_PARTITIONS; one beyond an int is refused here by the same rule, not by the int's range.
     */
    static Long partitionCount(JsonNode body, String topic, boolean required) {
        JsonNode count = body.get("partitions_count");
        if (count != null && count.isIntegralNumber() && !count.canConvertToInt()) {
            throw InvalidPartitionsException.outOfRange(topic, count.asText(), Topics.MAX_PARTITIONS);
        }
        return Json.number(body, "partitions_count", Integer.MIN_VALUE, Integer.MAX_VALUE, required);
    }

    /** [{"name": k, "value": v}, ...] as a map; a key given twice is refused. */
    static Map<String, String> configList(JsonNode list, String field) {
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
            if (configs.put(name, configValue(entry, name)) != null) {
                throw new HttpError(400, "config " + name + " is given twice");
            }
        }
        return configs;
    }

    /** A config entry's {@code value}: a string, or a number or boolean taken as its text. */
    static String configValue(JsonNode entry, String name) {
        JsonNode value = entry.get("value");
        if (value == null || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
            throw new HttpError(400, "config " + name + " needs a \"value\" (a string or number)");
        }
        return value.asText();
    }

    private Reply deleteTopic(Exchange exchange) {
        requireCluster(exchange);
        broker.deleteTopic(exchange.path("topic"));
        return Reply.noContent();
    }

    /** REST Proxy's {@code PATCH .../topics/<t>}, and this broker's older {@code POST .../partitions}. */
    private Reply addPartitions(Exchange exchange) throws IOException {
        requireCluster(exchange);
        String topic = exchange.path("topic");
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"partitions_count\": N}"), "the body");
        broker.increasePartitions(topic, partitionCount(body, topic, true).intValue());
        return Reply.json(200, Json.write(described(exchange, topic)));
    }
}
