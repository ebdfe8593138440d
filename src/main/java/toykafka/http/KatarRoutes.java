package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import toykafka.broker.Broker;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;

/**
 * Katar's HTTP API, served by the same broker: its calls are the broker's own operations under Katar's
 * names. A Katar topic is a topic of one partition; its "metadata" is the topic's config, where Katar's
 * {@code max_segment_size} is {@code segment.bytes} and {@code index_byte_gap} is
 * {@code index.interval.bytes}, and Kafka's own names are taken too.
 *
 * <ul>
 * <li>{@code GET /topic}: the topics (the broker's own {@code __} topics are left out, as Katar had none)</li>
 * <li>{@code POST /topic} {@code {"topic": name, "metadata": {...}}}: create; a taken name makes
 *     {@code name__0}, then {@code name__1}, as Katar did</li>
 * <li>{@code GET / PUT / PATCH / DELETE /topic/<t>}: describe, replace the whole config, change some keys, delete</li>
 * <li>{@code POST /publish} {@code {"topic": t, "payload": <JSON>}}: append; the reply names the offset</li>
 * <li>{@code POST /subscribe} {@code {"topic": t, "offset": n}}: the record at n; without an offset the
 *     latest; {@code "log": null} past the end, and offset -1 for an empty topic</li>
 * </ul>
 * Unlike Katar, a failed write is never reported as a success, and an unknown topic is a 404 with the
 * broker's error JSON rather than a 200 saying "Not Okay".
 */
final class KatarRoutes {

    /** Katar's metadata keys and the topic configs they are. */
    private static final Map<String, String> KATAR_KEYS = Map.of(
            "max_segment_size", TopicConfig.SEGMENT_BYTES,
            "index_byte_gap", TopicConfig.INDEX_INTERVAL_BYTES);

    private final Broker broker;

    KatarRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", "/topic", exchange -> Reply.json(200, Json.write(Map.of("topics",
                broker.listTopics().stream().filter(name -> !broker.describeTopic(name).internal()).toList()))));
        front.route("POST", "/topic", this::create);
        front.route("GET", "/topic/{topic}", exchange -> Reply.json(200, Json.write(described(exchange.path(0)))));
        front.route("PUT", "/topic/{topic}", exchange -> alter(exchange, true));
        front.route("PATCH", "/topic/{topic}", exchange -> alter(exchange, false));
        front.route("DELETE", "/topic/{topic}", exchange -> {
            broker.deleteTopic(exchange.path(0));
            return Reply.json(200, Json.write(Json.fields("topic", exchange.path(0), "deleted", true)));
        });
        front.route("POST", "/publish", this::publish);
        front.route("POST", "/subscribe", this::subscribe);
    }

    private Reply create(Exchange exchange) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"topic\": name, \"metadata\": {...}}"), "the body");
        String name = Json.text(body, "topic", true);
        String created = broker.createTopic(name, 1, configs(body.get("metadata")), OnDuplicate.RENAME);
        return Reply.json(201, Json.write(described(created)));
    }

    private Reply alter(Exchange exchange, boolean replace) throws IOException {
        String topic = exchange.path(0);
        Map<String, String> configs = configs(Json.object(Json.read(exchange.body(), "a metadata object"), "the body"));
        broker.describeTopic(topic); // an unknown topic is a 404 before its config is looked at
        if (replace) {
            broker.replaceConfig(topic, configs);
        } else {
            broker.patchConfig(topic, configs);
        }
        return Reply.json(200, Json.write(described(topic)));
    }

    /** Katar's metadata as topic configs: its own keys renamed, Kafka's names as they are. */
    private static Map<String, String> configs(JsonNode metadata) {
        Map<String, String> configs = new TreeMap<>();
        if (metadata == null || metadata.isNull()) {
            return configs;
        }
        Json.object(metadata, "\"metadata\"");
        metadata.fields().forEachRemaining(entry -> {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.equals("serializer")) {
                if (!value.asText().equals("json")) {
                    throw new HttpError(400, "serializer must be json: a Katar payload is JSON, was " + value);
                }
                return;
            }
            String name = KATAR_KEYS.getOrDefault(key, key);
            if (!TopicConfig.keys().containsKey(name)) {
                throw new HttpError(400, "unknown metadata key '" + key + "': Katar's keys are "
                        + String.join(", ", new TreeMap<>(KATAR_KEYS).keySet()) + " and serializer, and a topic's"
                        + " configs are " + String.join(", ", TopicConfig.keys().keySet()));
            }
            if (!(value.isTextual() || value.isNumber())) {
                throw new HttpError(400, "metadata key '" + key + "' needs a number or a string, was " + value);
            }
            configs.put(name, value.asText());
        });
        return configs;
    }

    private Map<String, Object> described(String topic) {
        Broker.TopicInfo info = broker.describeTopic(topic);
        Map<String, Object> metadata = new LinkedHashMap<>();
        KATAR_KEYS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> metadata.put(entry.getKey(), Long.parseLong(info.config().get(entry.getValue()))));
        metadata.put("serializer", "json");
        metadata.putAll(info.config());
        return Json.fields("topic", topic, "metadata", metadata);
    }

    private Reply publish(Exchange exchange) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"topic\": name, \"payload\": <JSON>}"), "the body");
        String topic = Json.text(body, "topic", true);
        JsonNode payload = body.get("payload");
        if (payload == null) {
            throw new HttpError(400, "the field \"payload\" is missing; it takes any JSON value");
        }
        Record record = new Record(null, Json.write(payload), Instant.now(), List.of());
        long offset = broker.produce(topic, List.of(new Broker.Outgoing(0, record))).get(0).offset();
        return Reply.json(200, Json.write(Json.fields("topic", topic, "offset", offset)));
    }

    // tag::subscribe[]
    private Reply subscribe(Exchange exchange) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"topic\": name, \"offset\": n}"), "the body");
        String topic = Json.text(body, "topic", true);
        Long asked = Json.number(body, "offset", 0, Long.MAX_VALUE, false);
        Broker.PartitionInfo partition = broker.describeTopic(topic).partitions().get(0);
        if (asked == null && partition.endOffset() == partition.logStartOffset()) {
            return Reply.json(200, Json.write(Json.fields("offset", -1, "log", null))); // empty: nothing is latest
        }
        long offset = asked != null ? asked : partition.endOffset() - 1; // no offset: the latest record
        if (offset >= partition.endOffset()) {
            return Reply.json(200, Json.write(Json.fields("offset", offset, "log", null))); // past the end
        }
        ConsumerRecord read = broker.fetch(topic, 0, offset, 1, java.time.Duration.ZERO).records().get(0);
        long base = broker.segmentBaseOffset(topic, 0, offset);
        Map<String, Object> log = Json.fields("base_offset", base, "offset", offset - base,
                "timestamp", read.record().timestamp().getEpochSecond(), "payload", payload(read.record()));
        return Reply.json(200, Json.write(Json.fields("offset", offset, "log", log)));
    }
    // end::subscribe[]

    /** The value as JSON, as Katar stored it; a value some other client wrote that is not JSON comes as a string. */
    private static Object payload(Record record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(record.value());
        } catch (IOException notJson) {
            return new String(record.value(), StandardCharsets.UTF_8);
        }
    }
}
