package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;

/**
 * Katar's HTTP API (seed 000), served by the same broker: each call is one of the broker's own operations
 * under Katar's name. A Katar topic is partition 0 of a topic (Katar had no partitions: topics it creates
 * have one), and its "metadata" is the topic's config, where Katar's {@code max_segment_size} is
 * {@code segment.bytes}, its {@code index_byte_gap} is {@code index.interval.bytes}, and its
 * {@code serializer} can only be {@code json}; Kafka's own config names are taken too. An unknown key is
 * refused, naming the known ones.
 *
 * <ul>
 * <li>{@code GET /topic} is {@link Broker#listTopics} (Kafka's ListTopics): {@code {"topics": [...]}}, the
 *     user topics only, as Kafka's ListTopics leaves out internal topics by default; the broker's own
 *     {@code __} topics are listed by the broker's own API.</li>
 * <li>{@code POST /topic} {@code {"topic": name, "metadata": {...}}} is {@link Broker#createTopic} with
 *     {@link OnDuplicate#RENAME} (Kafka's CreateTopics, which itself would refuse a taken name): a taken name
 *     makes {@code name__0}, then {@code name__1}, as Katar did. The reply, 201, describes the topic made.</li>
 * <li>{@code GET /topic/<t>} is {@link Broker#describeTopic} (DescribeTopics and DescribeConfigs):
 *     {@code {"topic": t, "metadata": {...}}}, Katar's keys and then every topic config.</li>
 * <li>{@code PUT /topic/<t>} is {@link Broker#replaceConfig} (Kafka's old AlterConfigs: keys not sent go
 *     back to their defaults); {@code PATCH /topic/<t>} is {@link Broker#patchConfig} (IncrementalAlterConfigs:
 *     only the keys sent change). Either takes the metadata object itself, or the whole
 *     {@code {"topic": t, "metadata": {...}}} that GET returns. {@code DELETE /topic/<t>} is
 *     {@link Broker#deleteTopic} (DeleteTopics), its data and its groups' offsets with it.</li>
 * <li>{@code POST /publish} {@code {"topic": t, "payload": <any JSON>}} is {@link Partitions#appendRecords} of one
 *     record to partition 0, the payload's JSON text as its value: {@code {"topic": t, "offset": n}}.</li>
 * <li>{@code POST /subscribe} {@code {"topic": t, "offset": n}} is {@link Partitions#read} of one record:
 *     {@code {"offset": n, "log": {"base_offset": B, "offset": n - B, "timestamp": unix seconds,
 *     "payload": <JSON>}}}, the shape of Katar's stored record, with B the base offset of the segment that
 *     holds it. Without an offset it reads the latest record; an empty topic is
 *     {@code {"offset": -1, "log": null}}; an offset at or past the end is {@code "log": null}; an offset
 *     below the log start offset (retention or deleteRecords took it) is a 416 naming the range. Katar's
 *     consumer keeps its own position, so nothing is committed.</li>
 * </ul>
 * Katar's faults are not kept: a refused write is a 4xx, never a success; an unknown topic, to publish to as
 * to anything else, is a 404 UNKNOWN_TOPIC_OR_PARTITION with the broker's error JSON, not a 200 saying
 * "Not Okay" (and publishing never creates a topic: Katar's topics are made with {@code POST /topic});
 * and describing a topic works.
 */
final class KatarRoutes {

    /** Katar's metadata keys and the topic configs they are. */
    private static final Map<String, String> KATAR_KEYS = Map.of(
            "max_segment_size", TopicConfig.SEGMENT_BYTES,
            "index_byte_gap", TopicConfig.INDEX_INTERVAL_BYTES);
    private static final String SERIALIZER = "serializer";
    /** Katar's bodies are JSON, and curl's -d labels them form-urlencoded: both are taken. */
    private static final CrossSiteGuard.Body KATAR = CrossSiteGuard.Body.JSON_OR_CURL_FORM;

    private final Broker broker;

    KatarRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", "/topic", KATAR, exchange -> Reply.json(200, Json.write(Map.of("topics",
                exchange.authorizedOf(AclOperation.DESCRIBE, ResourceType.TOPIC, broker.listTopics()).stream()
                        .filter(name -> !Broker.isInternal(name)).toList()))));
        front.route("POST", "/topic", KATAR, this::create);
        front.route("GET", "/topic/{topic}", KATAR, exchange -> Reply.json(200, Json.write(described(exchange.path("topic")))));
        front.route("PUT", "/topic/{topic}", KATAR, exchange -> alter(exchange, true));
        front.route("PATCH", "/topic/{topic}", KATAR, exchange -> alter(exchange, false));
        front.route("DELETE", "/topic/{topic}", KATAR, exchange -> {
            broker.deleteTopic(exchange.path("topic"));
            return Reply.json(200, Json.write(Json.fields("topic", exchange.path("topic"), "deleted", true)));
        });
        front.route("POST", "/publish", KATAR, this::publish);
        front.route("POST", "/subscribe", KATAR, this::subscribe);
    }

    private Reply create(Exchange exchange) throws IOException {
        JsonNode body = body(exchange, "{\"topic\": name, \"metadata\": {...}}", "topic", "metadata");
        String name = Json.text(body, "topic", true);
        exchange.requireCreate(name);
        String created = broker.createTopic(name, 1, configs(body.get("metadata")), OnDuplicate.RENAME);
        return Reply.json(201, Json.write(described(created)));
    }

    private Reply alter(Exchange exchange, boolean replace) throws IOException {
        String topic = exchange.path("topic");
        JsonNode body = Json.object(Json.read(exchange.body(), "a metadata object"), "the body");
        broker.describeTopic(topic); // an unknown topic is a 404 before its config is looked at
        Map<String, String> configs = configs(metadataIn(body, topic));
        if (replace) {
            broker.replaceConfig(topic, configs);
        } else {
            broker.patchConfig(topic, configs);
        }
        return Reply.json(200, Json.write(described(topic)));
    }

    /** The metadata of a PUT or PATCH: the body itself, or its "metadata" when it is shaped as GET's reply. */
    private static JsonNode metadataIn(JsonNode body, String topic) {
        if (!body.has("metadata")) {
            return body;
        }
        onlyFields(body, "topic", "metadata");
        String named = Json.text(body, "topic", false);
        if (named != null && !named.equals(topic)) {
            throw new HttpError(400, "the body names topic '" + named + "' but the path names '" + topic
                    + "': a topic cannot be renamed");
        }
        return body.get("metadata");
    }

    /** Katar's metadata as topic configs: its own keys renamed, Kafka's names as they are. */
    private static Map<String, String> configs(JsonNode metadata) {
        Map<String, String> configs = new TreeMap<>();
        Map<String, String> sentAs = new TreeMap<>(); // config name -> the key it came as, to name a conflict
        if (metadata == null || metadata.isNull()) {
            return configs;
        }
        Json.object(metadata, "\"metadata\"");
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.equals(SERIALIZER)) {
                if (!value.isTextual() || !value.asText().equals("json")) {
                    throw new HttpError(400, "serializer must be \"json\": a Katar payload is JSON, was " + value);
                }
                continue;
            }
            String name = KATAR_KEYS.getOrDefault(key, key);
            if (!TopicConfig.keys().containsKey(name)) {
                throw new HttpError(400, "unknown metadata key '" + key + "': Katar's keys are "
                        + String.join(", ", new TreeMap<>(KATAR_KEYS).keySet()) + " and " + SERIALIZER
                        + ", and a topic's configs are " + String.join(", ", TopicConfig.keys().keySet()));
            }
            if (!(value.isTextual() || value.isNumber())) {
                throw new HttpError(400, "metadata key '" + key + "' needs a number or a string, was " + value);
            }
            String earlier = configs.put(name, value.asText());
            if (earlier != null && !earlier.equals(value.asText())) {
                throw new HttpError(400, "metadata keys '" + sentAs.get(name) + "' and '" + key + "' are the same"
                        + " setting, " + name + ", but say " + earlier + " and " + value.asText() + ": send one of them");
            }
            sentAs.put(name, key);
        }
        return configs;
    }

    private Map<String, Object> described(String topic) {
        Broker.TopicInfo info = broker.describeTopic(topic);
        Map<String, Object> metadata = new LinkedHashMap<>();
        new TreeMap<>(KATAR_KEYS).forEach((katar, kafka) -> metadata.put(katar, Long.parseLong(info.config().get(kafka))));
        metadata.put(SERIALIZER, "json");
        metadata.putAll(info.config());
        return Json.fields("topic", topic, "metadata", metadata);
    }

    private Reply publish(Exchange exchange) throws IOException {
        JsonNode body = body(exchange, "{\"topic\": name, \"payload\": <JSON>}", "topic", "payload");
        String topic = Json.text(body, "topic", true);
        exchange.require(AclOperation.WRITE, ResourceType.TOPIC, topic);
        JsonNode payload = body.get("payload");
        if (payload == null) {
            throw new HttpError(400, "the field \"payload\" is missing; it takes any JSON value");
        }
        broker.describeTopic(topic); // Katar's topics are made with POST /topic: publishing never creates one
        Record record = new Record(null, Json.write(payload), Instant.now(), List.of());
        RecordAnswer written = broker.partitions().appendRecords(topic, List.of(new ProduceRecord(0, record))).get(0);
        if (!written.written()) {
            throw RecordRoutes.refusal(written.error(), written.message());
        }
        return Reply.json(200, Json.write(Json.fields("topic", topic, "offset", written.offset())));
    }

    // tag::subscribe[]
    private Reply subscribe(Exchange exchange) throws IOException {
        JsonNode body = body(exchange, "{\"topic\": name, \"offset\": n}", "topic", "offset");
        String topic = Json.text(body, "topic", true);
        exchange.require(AclOperation.READ, ResourceType.TOPIC, topic);
        Long asked = Json.number(body, "offset", 0, Long.MAX_VALUE, false);
        Broker.PartitionInfo partition = broker.describeTopic(topic).partitions().get(0);
        if (asked == null && partition.endOffset() == partition.logStartOffset()) {
            return Reply.json(200, Json.write(Json.fields("offset", -1, "log", null))); // empty: nothing is latest
        }
        long offset = asked != null ? asked : partition.endOffset() - 1; // no offset: the latest record
        if (offset >= partition.endOffset()) {
            return Reply.json(200, Json.write(Json.fields("offset", offset, "log", null))); // past the end
        }
        // on a compacted topic the offset asked for may be gone: answer with the next record held, at its own offset
        OffsetRecord read = RecordRoutes.readRecords(broker.partitions(), new TopicPartition(topic, 0), offset, 1, 1)
                .records().get(0); // 1 byte: the one batch that holds it
        long base = broker.segmentBaseOffset(topic, 0, read.offset());
        Map<String, Object> log = Json.fields("base_offset", base, "offset", read.offset() - base,
                "timestamp", read.record().timestamp().getEpochSecond(), "payload", payload(read.record()));
        return Reply.json(200, Json.write(Json.fields("offset", read.offset(), "log", log)));
    }
    // end::subscribe[]

    /** The body as a JSON object with only these fields, or a refusal that names what it takes. */
    private static JsonNode body(Exchange exchange, String expected, String... fields) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), expected), "the body");
        onlyFields(body, fields);
        return body;
    }

    private static void onlyFields(JsonNode body, String... fields) {
        Set<String> known = Set.of(fields);
        body.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new HttpError(400, "unknown field \"" + field + "\": this takes " + String.join(", ", fields));
            }
        });
    }

    /** The value as JSON, as Katar stored it; a value some other client wrote that is not JSON comes as a string. */
    private static Object payload(Record record) {
        if (record.value() == null) {
            return null;
        }
        JsonNode json = Json.oneValue(record.value());
        return json != null ? json : new String(record.value(), StandardCharsets.UTF_8);
    }
}
