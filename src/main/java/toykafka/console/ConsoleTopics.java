package toykafka.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.TopicPartition;
import toykafka.http.Exchange;
import toykafka.http.HttpError;
import toykafka.http.HttpFrontEnd;
import toykafka.http.Json;
import toykafka.http.Reply;
import toykafka.http.RouteAccess;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.Topics;

/**
 * What the console changes on topics, each the broker's own operation that REST Proxy's routes and Kafka's
 * CreateTopics, IncrementalAlterConfigs, CreatePartitions and DeleteRecords call: create a topic, set or reset
 * its configs, add partitions, delete records below an offset. The broker checks every value and names what it
 * takes; these routes only read the page's JSON. Being writes, each passes the HTTP front end's cross-site checks
 * as every route does: the page's own requests carry its origin, a page elsewhere is refused.
 */
final class ConsoleTopics {

    private final Broker broker;

    ConsoleTopics(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("POST", ConsoleRoutes.API + "/topics", RouteAccess.authenticated(), this::create); // CREATE, below
        front.route("GET", ConsoleRoutes.API + "/topics/{topic}", RouteAccess.topic(AclOperation.DESCRIBE)
                .and(RouteAccess.topic(AclOperation.DESCRIBE_CONFIGS)), this::describe);
        front.route("POST", ConsoleRoutes.API + "/topics/{topic}/configs", RouteAccess.topic(AclOperation.ALTER_CONFIGS),
                this::alterConfigs);
        front.route("POST", ConsoleRoutes.API + "/topics/{topic}/partitions", RouteAccess.topic(AclOperation.ALTER),
                this::addPartitions);
        front.route("POST", ConsoleRoutes.API + "/partitions/{topic}/{partition}/delete-records",
                RouteAccess.topic(AclOperation.DELETE), this::deleteRecords);
    }

    /** A topic's partition count and every config with its value and where the value comes from. */
    private Reply describe(Exchange exchange) {
        Broker.TopicInfo topic = broker.describeTopic(exchange.path("topic"));
        List<Object> configs = new ArrayList<>();
        topic.config().forEach((name, value) -> configs.add(Json.fields("name", name, "value", value, "source",
                topic.overrides().containsKey(name) ? "topic" : topic.inherited().containsKey(name) ? "broker"
                        : "default")));
        return Reply.json(200, Json.write(Json.fields("name", topic.name(), "internal", topic.internal(),
                "partitions", topic.partitions().size(), "configs", configs)));
    }

    /** {@code {"name": ..., "partitions": N (num.partitions when left out), "configs": {"key": "value"}}}. */
    private Reply create(Exchange exchange) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"name\": ..., \"partitions\": N, \"configs\":"
                + " {\"key\": \"value\"}}"), "the body");
        String name = Json.text(body, "name", true);
        exchange.requireCreate(name);
        Long partitions = ConsoleRoutes.wholeNumber(body, "partitions", "a whole number from 1 to "
                + Topics.MAX_PARTITIONS + ", or nothing for the broker's num.partitions (" + broker.config().numPartitions()
                + ")", false);
        if (partitions != null && (partitions < 1 || partitions > Topics.MAX_PARTITIONS)) {
            throw InvalidPartitionsException.outOfRange(name, String.valueOf(partitions), Topics.MAX_PARTITIONS);
        }
        String created = broker.createTopic(name, partitions == null ? null : partitions.intValue(),
                configs(body.get("configs"), "configs"), OnDuplicate.FAIL);
        return Reply.json(201, Json.write(Json.fields("name", created, "partitions", broker.partitionCount(created))));
    }

    /**
     * {@code {"set": {"key": "value"}, "reset": ["key"]}}: Kafka's IncrementalAlterConfigs, SET and DELETE;
     * a key reset goes back to the broker's default.
     */
    private Reply alterConfigs(Exchange exchange) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"set\": {\"key\": \"value\"}, \"reset\": [\"key\"]}"),
                "the body");
        Map<String, String> set = configs(body.get("set"), "set");
        Set<String> reset = new TreeSet<>();
        JsonNode keys = body.get("reset");
        if (keys != null && !keys.isNull()) {
            if (!keys.isArray()) {
                throw new HttpError(400, "\"reset\" must be a list of config names, was " + keys.getNodeType());
            }
            for (JsonNode key : keys) {
                if (!key.isTextual()) {
                    throw new HttpError(400, "\"reset\" must be a list of config names; it held " + key);
                }
                reset.add(key.asText());
            }
        }
        if (set.isEmpty() && reset.isEmpty()) {
            throw new HttpError(400, "nothing to change: give \"set\" a config and its value, or \"reset\" a config name");
        }
        for (String key : reset) {
            if (set.containsKey(key)) {
                throw new HttpError(400, "config " + key + " is both set and reset; give it once");
            }
        }
        String topic = exchange.path("topic");
        broker.alterConfig(topic, set, reset, false);
        return describe(exchange);
    }

    /** {@code {"partitions": N}}: the topic's new partition count, more than it has. */
    private Reply addPartitions(Exchange exchange) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"partitions\": N}"), "the body");
        String topic = exchange.path("topic");
        int current = broker.partitionCount(topic);
        long partitions = ConsoleRoutes.wholeNumber(body, "partitions", "the topic's new partition count, more than its "
                + current + ", up to " + Topics.MAX_PARTITIONS, true);
        if (partitions > Topics.MAX_PARTITIONS) {
            throw InvalidPartitionsException.outOfRange(topic, String.valueOf(partitions), Topics.MAX_PARTITIONS);
        }
        broker.increasePartitions(topic, (int) Math.max(partitions, Integer.MIN_VALUE));
        return Reply.json(200, Json.write(Json.fields("name", topic, "partitions", broker.partitionCount(topic))));
    }

    /**
     * {@code {"before": N}}: moves the log start offset up to N, as Kafka's {@code Admin.deleteRecords}; the
     * records below are archived first. The broker refuses an offset outside the partition, naming its range.
     */
    private Reply deleteRecords(Exchange exchange) throws IOException {
        TopicPartition partition = ConsoleRoutes.partitionOf(exchange);
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"before\": N}"), "the body");
        Broker.PartitionInfo range = broker.describePartition(partition.topic(), partition.partition());
        long before = ConsoleRoutes.wholeNumber(body, "before", "the offset to delete the records below, from "
                + partition + "'s log start offset " + range.logStartOffset() + " to its high watermark "
                + range.endOffset(), true);
        long start = broker.deleteRecords(partition.topic(), partition.partition(), before);
        return Reply.json(200, Json.write(Json.fields("topic", partition.topic(), "partition", partition.partition(),
                "log_start_offset", start)));
    }

    /** {"key": "value", ...} as a map; a number or true/false is taken as its text. */
    private static Map<String, String> configs(JsonNode configs, String field) {
        Map<String, String> map = new TreeMap<>();
        if (configs == null || configs.isNull()) {
            return map;
        }
        if (!configs.isObject()) {
            throw new HttpError(400, "\"" + field + "\" must be an object of config names and values, such as"
                    + " {\"retention.ms\": \"60000\"}; was " + configs.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = configs.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode value = entry.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw new HttpError(400, "config " + entry.getKey() + " in \"" + field + "\" must have a value (text,"
                        + " a number or true/false); was " + value);
            }
            map.put(entry.getKey(), value.asText());
        }
        return map;
    }
}
