package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.restproxy.ConsumerInstanceConfig;
import toykafka.restproxy.ConsumerInstances;

/**
 * REST Proxy v2's consumer instances, under {@code /consumers/<group>/instances/<instance>}: a Kafka consumer
 * kept on the broker for a client that speaks HTTP, one request per step. Each route is one of
 * {@link ConsumerInstances}' operations, and what Kafka's consumer sends for it:
 *
 * <ul>
 * <li>{@code POST /consumers/<group>} makes an instance (no request yet: a consumer not yet subscribed) with
 *     {@code name}, {@code format} (binary or json, fixed for its life), {@code auto.offset.reset},
 *     {@code auto.commit.enable}, {@code fetch.min.bytes} and {@code consumer.request.timeout.ms};
 *     {@code DELETE .../instances/<instance>} deletes it (LeaveGroup).</li>
 * <li>{@code POST .../subscription} with {@code topics} or {@code topic_pattern} subscribes (JoinGroup and
 *     SyncGroup); {@code GET} shows its topics, {@code DELETE} unsubscribes (LeaveGroup).
 *     {@code POST .../assignments} assigns partitions by hand (no request: no group membership);
 *     {@code GET .../assignments} shows the partitions it owns.</li>
 * <li>{@code GET .../records} polls (Fetch), in the instance's format, which the Accept header must take.</li>
 * <li>{@code POST .../positions}, {@code .../positions/beginning} and {@code .../positions/end} seek (no
 *     request; beginning and end are ListOffsets' answers).</li>
 * <li>{@code POST .../offsets} commits (OffsetCommit): the offsets given, each the last record processed, so
 *     the group resumes after it, or with no body the instance's positions; {@code GET .../offsets} with
 *     {@code partitions} answers their committed offsets (OffsetFetch).</li>
 * </ul>
 *
 * <p>The broker's own extensions: {@code isolation.level} ({@code read_committed} or the default
 * {@code read_uncommitted}, as Kafka's consumer takes it) when an instance is made, since REST Proxy has no
 * transactions; {@code max_records} on a poll; {@code GET .../offsets} with no body answers every partition the
 * group committed; a record also carries its {@code timestamp} and {@code headers}; a commit answers with the
 * offsets it committed.
 */
final class ConsumerRoutes {

    private static final String INSTANCE = "/consumers/{group}/instances/{instance}";

    private final ConsumerInstances instances;

    ConsumerRoutes(ConsumerInstances instances) {
        this.instances = instances;
    }

    void register(HttpFrontEnd front) {
        front.route("POST", "/consumers/{group}", this::create);
        owned(front, "DELETE", INSTANCE, exchange -> {
            instances.leave(group(exchange), instance(exchange));
            return Reply.noContent();
        });
        owned(front, "POST", INSTANCE + "/subscription", this::subscribe);
        owned(front, "GET", INSTANCE + "/subscription", exchange -> v2(Map.of("topics",
                instances.subscription(group(exchange), instance(exchange)))));
        owned(front, "DELETE", INSTANCE + "/subscription", exchange -> {
            instances.unsubscribe(group(exchange), instance(exchange));
            return Reply.noContent();
        });
        owned(front, "POST", INSTANCE + "/assignments", this::assign);
        owned(front, "GET", INSTANCE + "/assignments", exchange -> v2(Map.of("partitions",
                partitionEntries(instances.assignment(group(exchange), instance(exchange))))));
        owned(front, "POST", INSTANCE + "/positions", this::seek);
        owned(front, "POST", INSTANCE + "/positions/beginning", exchange -> seekToEdge(exchange, true));
        owned(front, "POST", INSTANCE + "/positions/end", exchange -> seekToEdge(exchange, false));
        owned(front, "POST", INSTANCE + "/offsets", this::commit);
        owned(front, "GET", INSTANCE + "/offsets", this::committed);
        ConsumerPoll poll = new ConsumerPoll(instances);
        front.routeAsync("GET", INSTANCE + "/records", exchange -> {
            requireOwner(exchange);
            return poll.poll(exchange);
        });
    }

    /** A route of one instance, served only to the principal that made the instance. */
    private void owned(HttpFrontEnd front, String method, String pattern, HttpFrontEnd.Handler handler) {
        front.route(method, pattern, exchange -> {
            requireOwner(exchange);
            return handler.handle(exchange);
        });
    }

    /**
     * Refuses, 403, a principal other than the one that made the instance: an instance reads and commits for its
     * maker, as REST Proxy's consumer holds its maker's credentials. Everyone is User:ANONYMOUS without
     * authentication, so then nothing changes.
     */
    private void requireOwner(Exchange exchange) {
        String owner;
        try {
            owner = instances.config(group(exchange), instance(exchange)).owner();
        } catch (ApiException noSuchInstance) {
            return; // the route answers it, after what is wrong with the request itself, as without this check
        }
        if (!owner.equals(exchange.principal().toString())) {
            throw new HttpError(403, HttpError.KAFKA_AUTHORIZATION, Errors.GROUP_AUTHORIZATION_FAILED, "consumer"
                    + " instance '" + instance(exchange) + "' of group '" + group(exchange) + "' was made by another"
                    + " principal; only it may use the instance");
        }
    }

    static String group(Exchange exchange) {
        return exchange.path("group");
    }

    static String instance(Exchange exchange) {
        return exchange.path("instance");
    }

    /** A reply of REST Proxy v2 that carries no records. */
    private static Reply v2(Object body) {
        return Reply.json(200, Json.write(body)).withType(MediaTypes.V2);
    }

    // ---- instances ----

    private Reply create(Exchange exchange) throws IOException {
        byte[] raw = exchange.body();
        JsonNode body = raw.length == 0 ? Json.MAPPER.createObjectNode() : Json.object(Json.parse(raw), "the body");
        String name = Json.text(body, "name", false);
        ConsumerInstanceConfig config = new ConsumerInstanceConfig(offsetReset(setting(body, "auto.offset.reset")),
                format(setting(body, "format")).configValue(), autoCommit(setting(body, "auto.commit.enable")),
                (int) whole(body, "fetch.min.bytes", 1, Integer.MAX_VALUE),
                body.hasNonNull("consumer.request.timeout.ms") ? Duration.ofMillis(whole(body,
                        "consumer.request.timeout.ms", 0, RecordRoutes.MAX_WAIT_MS)) : null,
                readCommitted(setting(body, "isolation.level")), exchange.principal().toString());
        String group = group(exchange);
        String created = instances.create(group, name, config);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("instance_id", created);
        json.put("base_uri", exchange.baseUri() + "/consumers/" + group + "/instances/" + created);
        return v2(json);
    }

    /** A setting's value as text (REST Proxy's examples send every one as a string), or null when absent. */
    private static String setting(JsonNode body, String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    /** REST Proxy's refusal of a setting's value: 422 with its code 42204, naming the setting and what it takes. */
    private static HttpError invalidConfig(String message) {
        return new HttpError(422, HttpError.INVALID_CONSUMER_CONFIG, Errors.INVALID_CONFIG, message);
    }

    private static OffsetReset offsetReset(String text) {
        if (text == null) {
            return OffsetReset.LATEST;
        }
        for (OffsetReset reset : OffsetReset.values()) {
            if (reset.configValue().equals(text)) {
                return reset;
            }
        }
        throw invalidConfig("auto.offset.reset must be earliest, latest or none, was '" + text + "'");
    }

    private static MediaTypes.EmbeddedFormat format(String text) {
        if (text == null) {
            return MediaTypes.EmbeddedFormat.BINARY;
        }
        try {
            return MediaTypes.EmbeddedFormat.named(text, "format");
        } catch (HttpError refused) { // a Schema Registry format, or none at all: the instance's setting is invalid
            throw invalidConfig(refused.getMessage());
        }
    }

    private static boolean autoCommit(String text) {
        return eitherOf("auto.commit.enable", text, "false", "true");
    }

    /** Kafka's consumer setting {@code isolation.level}: read_uncommitted when absent, as Kafka's default. */
    private static boolean readCommitted(String text) {
        return eitherOf("isolation.level", text, "read_uncommitted", "read_committed");
    }

    /** A setting that takes one of two values: true for {@code yes}, false for {@code no} or when absent. */
    private static boolean eitherOf(String setting, String text, String no, String yes) {
        if (text == null || text.equals(no)) {
            return false;
        }
        if (text.equals(yes)) {
            return true;
        }
        throw invalidConfig(setting + " must be " + no + " or " + yes + ", was '" + text + "'");
    }

    /** A whole-number setting from {@code min} to {@code max}; {@code min} when absent. */
    private static long whole(JsonNode body, String name, long min, long max) {
        String text = setting(body, name);
        if (text == null) {
            return min;
        }
        return Exchange.wholeNumber(text).filter(value -> value >= min && value <= max).orElseThrow(() ->
                invalidConfig(name + " must be a whole number from " + min + " to " + max + ", was '" + text + "'"));
    }

    // ---- subscription and assignment ----

    private Reply subscribe(Exchange exchange) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"topics\": [...]} or {\"topic_pattern\": \"...\"}"),
                "the body");
        JsonNode topics = body.get("topics");
        JsonNode pattern = body.get("topic_pattern");
        boolean byTopics = topics != null && !topics.isNull();
        boolean byPattern = pattern != null && !pattern.isNull();
        if (byTopics && byPattern) {
            throw new HttpError(409, HttpError.ILLEGAL_STATE, Errors.INVALID_REQUEST, "a subscription names"
                    + " \"topics\" or a \"topic_pattern\", not both: they exclude each other");
        }
        if (byPattern) {
            if (!pattern.isTextual()) {
                throw new HttpError(400, "\"topic_pattern\" must be a Java regular expression, as a string");
            }
            clash(() -> instances.subscribePattern(group(exchange), instance(exchange), pattern.asText()));
            return Reply.noContent();
        }
        if (!byTopics || !topics.isArray() || topics.isEmpty()) {
            throw new HttpError(400, "give \"topics\": a list of 1 or more topic names, or \"topic_pattern\": a Java"
                    + " regular expression");
        }
        Set<String> names = new LinkedHashSet<>();
        topics.forEach(topic -> names.add(topic.asText()));
        requireRead(exchange, names);
        clash(() -> instances.subscribe(group(exchange), instance(exchange), names));
        return Reply.noContent();
    }

    /** As Kafka's consumer is refused a topic it may not READ (Fetch, OffsetCommit): 403 naming the first. */
    static void requireRead(Exchange exchange, Collection<String> topics) {
        topics.forEach(topic -> exchange.require(AclOperation.READ, ResourceType.TOPIC, topic));
    }

    private Reply assign(Exchange exchange) throws IOException {
        List<TopicPartition> partitions = partitionList(exchange.body(), true);
        requireRead(exchange, partitions.stream().map(TopicPartition::topic).toList());
        clash(() -> instances.assign(group(exchange), instance(exchange), partitions));
        return Reply.noContent();
    }

    /**
     * What Kafka's consumer refuses with IllegalStateException (subscriptions that exclude each other, a
     * seek in a partition it does not own, a poll before any subscription): REST Proxy's 409 with 40903.
     */
    static void clash(Runnable call) {
        try {
            call.run();
        } catch (IllegalStateException refused) {
            throw illegalState(refused);
        }
    }

    static HttpError illegalState(IllegalStateException refused) {
        return new HttpError(409, HttpError.ILLEGAL_STATE, Errors.INVALID_REQUEST, refused.getMessage());
    }

    /** {@code {"partitions": [{"topic": t, "partition": p}, ...]}}; null when absent and not required. */
    private static List<TopicPartition> partitionList(byte[] raw, boolean required) throws IOException {
        String shape = "{\"partitions\": [{\"topic\": ..., \"partition\": ...}]}";
        JsonNode list = raw.length == 0 ? null : Json.object(Json.parse(raw), "the body").get("partitions");
        if (list == null || list.isNull()) {
            if (required) {
                throw new HttpError(400, "give " + shape);
            }
            return null;
        }
        if (!list.isArray()) {
            throw new HttpError(400, "\"partitions\" must be a list: " + shape);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (JsonNode entry : list) {
            partitions.add(partition(Json.object(entry, "a partition entry")));
        }
        return partitions;
    }

    private static TopicPartition partition(JsonNode entry) {
        return new TopicPartition(Json.text(entry, "topic", true),
                Json.number(entry, "partition", 0, Integer.MAX_VALUE, true).intValue());
    }

    private static List<Object> partitionEntries(List<TopicPartition> partitions) {
        List<Object> entries = new ArrayList<>();
        partitions.forEach(partition -> entries.add(Json.fields("topic", partition.topic(),
                "partition", partition.partition())));
        return entries;
    }

    // ---- positions and offsets ----

    /** {@code {"offsets": [{"topic": t, "partition": p, "offset": o}, ...]}}; absent or empty means none. */
    private static Map<TopicPartition, Long> offsetList(byte[] raw) throws IOException {
        Map<TopicPartition, Long> offsets = new TreeMap<>();
        JsonNode list = raw.length == 0 ? null : Json.object(Json.parse(raw), "the body").get("offsets");
        if (list == null || list.isNull()) {
            return offsets;
        }
        if (!list.isArray()) {
            throw new HttpError(400, "\"offsets\" must be a list of {\"topic\": ..., \"partition\": ..., \"offset\": ...}");
        }
        for (JsonNode entry : list) {
            Json.object(entry, "an offset entry");
            if (entry.has("metadata") && !entry.get("metadata").isTextual() && !entry.get("metadata").isNull()) {
                throw new HttpError(400, "an offset's \"metadata\" is a string");
            }
            // any whole number: the instance judges it against the partition's range, and names that range
            offsets.put(partition(entry), Json.number(entry, "offset", Long.MIN_VALUE, Long.MAX_VALUE, true));
        }
        return offsets;
    }

    private Reply seek(Exchange exchange) throws IOException {
        Map<TopicPartition, Long> positions = offsetList(exchange.body());
        if (positions.isEmpty()) {
            throw new HttpError(400, "give \"offsets\": [{\"topic\": ..., \"partition\": ..., \"offset\": ...}]");
        }
        clash(() -> positions.forEach((partition, offset) ->
                instances.seek(group(exchange), instance(exchange), partition, offset)));
        return Reply.noContent();
    }

    private Reply seekToEdge(Exchange exchange, boolean beginning) throws IOException {
        List<TopicPartition> partitions = partitionList(exchange.body(), true);
        clash(() -> instances.seekToEdge(group(exchange), instance(exchange), partitions, beginning));
        return Reply.noContent();
    }

    /**
     * Commits as REST Proxy does: an offset given is the last record processed, so the group resumes at the
     * next one (commits 21 for 20, as Kafka's consumer is told {@code offset + 1}); no body commits the
     * instance's positions, the offsets after what it has handed out.
     */
    private Reply commit(Exchange exchange) throws IOException {
        Map<TopicPartition, Long> processed = offsetList(exchange.body());
        requireRead(exchange, processed.keySet().stream().map(TopicPartition::topic).toList());
        Map<TopicPartition, Long> next = new TreeMap<>();
        processed.forEach((partition, offset) -> next.put(partition, offset == Long.MAX_VALUE ? offset : offset + 1));
        Map<TopicPartition, Long> committed;
        try {
            committed = instances.commit(group(exchange), instance(exchange), next);
        } catch (OffsetOutOfRangeException outside) {
            throw new OffsetOutOfRangeException("an offset given is the last record processed, and the group"
                    + " resumes after it: " + outside.getMessage() + "; so give offsets from "
                    + (outside.logStartOffset() - 1) + " to " + (outside.logEndOffset() - 1), outside.requested() - 1,
                    outside.logStartOffset() - 1, outside.logEndOffset() - 1);
        } catch (IllegalStateException refused) {
            throw illegalState(refused);
        }
        return v2(Map.of("offsets", offsetEntries(committed, false)));
    }

    private Reply committed(Exchange exchange) throws IOException {
        List<TopicPartition> partitions = partitionList(exchange.body(), false);
        SortedMap<TopicPartition, Long> committed;
        try {
            committed = instances.committed(group(exchange), instance(exchange), partitions);
        } catch (toykafka.common.UnknownTopicOrPartitionException unknown) {
            throw new HttpError(404, HttpError.PARTITION_NOT_FOUND, Errors.UNKNOWN_TOPIC_OR_PARTITION, unknown.getMessage());
        }
        return v2(Map.of("offsets", offsetEntries(committed, true)));
    }

    private static List<Object> offsetEntries(Map<TopicPartition, Long> offsets, boolean withMetadata) {
        List<Object> entries = new ArrayList<>();
        offsets.forEach((partition, offset) -> entries.add(withMetadata
                ? Json.fields("topic", partition.topic(), "partition", partition.partition(), "offset", offset,
                "metadata", "")
                : Json.fields("topic", partition.topic(), "partition", partition.partition(), "offset", offset)));
        return entries;
    }

    /** The refusal a failed future carries, with Kafka's IllegalStateException as REST Proxy's 409. */
    static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof IllegalStateException refused) {
            return illegalState(refused);
        }
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
}
