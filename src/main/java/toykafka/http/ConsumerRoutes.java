package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.ConsumerInstances;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.lesson05.ConsumerRecord;

/**
 * Consumer groups over HTTP, as the consumer instances of Confluent's REST Proxy v2: a member lives in the
 * broker, under {@code /consumers/<group>/instances/<member>}, and a client drives it with one request per
 * step. Each route is one of the broker's
 * {@link ConsumerInstances}' operations:
 *
 * <ul>
 * <li>{@code POST /consumers/<group>} {@code {"name": .., "auto.offset.reset": ..}} is
 *     {@link ConsumerInstances#create}: a member that reads nothing yet (in Kafka, a consumer made but not yet
 *     subscribed, which sends no request). The reply is {@code {"instance_id": .., "base_uri": ..}}.</li>
 * <li>{@code POST .../subscription} {@code {"topics": [..]}} is {@link ConsumerInstances#subscribe} (JoinGroup and
 *     SyncGroup); {@code GET .../assignments} is {@link ConsumerInstances#assignment}, the partitions SyncGroup
 *     gave it.</li>
 * <li>{@code GET .../records?max_records=&timeout=&format=} is {@link ConsumerInstances#poll} (Fetch, from the
 *     member's positions in the partitions it owns).</li>
 * <li>{@code POST .../heartbeat} is {@link ConsumerInstances#heartbeat} (Heartbeat); {@code DELETE .../instances/<member>}
 *     is {@link ConsumerInstances#leave} (LeaveGroup).</li>
 * <li>{@code POST .../offsets} is {@link ConsumerInstances#commit} (OffsetCommit) of the {@code offsets} given, or
 *     with none of the member's positions; {@code GET .../offsets} is {@link ConsumerInstances#committed} (OffsetFetch)
 *     of every partition the group has committed.</li>
 * <li>{@code POST .../positions} {@code {"offsets": [..]}} is {@link ConsumerInstances#seek} (in Kafka the consumer's
 *     own {@code seek}, which sends no request).</li>
 * </ul>
 *
 * <p>Where this differs from the REST Proxy, on purpose: a member's format is not fixed when it is made
 * but chosen by each poll ({@code format=text|binary}), and a poll counts {@code max_records} where the
 * REST Proxy counts {@code max_bytes}; a member stays in its group by {@code POST .../heartbeat}, which
 * the REST Proxy does for its members itself; a commit answers with the offsets it committed;
 * {@code GET .../offsets} takes no body and answers every partition the group has committed; and a
 * subscription names its topics, with no {@code topic_pattern}.
 */
final class ConsumerRoutes {

    private static final String MEMBER = "/consumers/{group}/instances/{member}";

    private final ConsumerInstances instances;

    ConsumerRoutes(Broker broker) {
        this.instances = broker.consumerInstances();
    }

    void register(HttpFrontEnd front) {
        front.route("POST", "/consumers/{group}", this::createMember);
        front.route("POST", MEMBER + "/subscription", this::subscribe);
        front.route("GET", MEMBER + "/assignments", this::assignments);
        front.routeAsync("GET", MEMBER + "/records", this::poll);
        front.route("POST", MEMBER + "/heartbeat", exchange -> {
            instances.heartbeat(exchange.path("group"), exchange.path("member"));
            return Reply.noContent();
        });
        front.route("POST", MEMBER + "/offsets", this::commit);
        front.route("GET", MEMBER + "/offsets", this::committed);
        front.route("POST", MEMBER + "/positions", this::seek);
        front.route("DELETE", MEMBER, exchange -> {
            instances.leave(exchange.path("group"), exchange.path("member"));
            return Reply.noContent();
        });
    }

    private Reply createMember(Exchange exchange) throws IOException {
        byte[] raw = exchange.body();
        JsonNode body = raw.length == 0 ? Json.MAPPER.createObjectNode() : Json.object(Json.parse(raw), "the body");
        String reset = Json.text(body, "auto.offset.reset", false);
        OffsetReset offsetReset = reset == null ? OffsetReset.LATEST : offsetReset(reset);
        String group = exchange.path("group");
        String member = instances.create(group, Json.text(body, "name", false), offsetReset);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("instance_id", member);
        json.put("base_uri", exchange.baseUri() + "/consumers/" + group + "/instances/" + member);
        return Reply.json(200, Json.write(json));
    }

    private static OffsetReset offsetReset(String text) {
        for (OffsetReset reset : OffsetReset.values()) {
            if (reset.configValue().equals(text)) {
                return reset;
            }
        }
        throw new HttpError(400, "auto.offset.reset must be earliest, latest or none, was " + text);
    }

    private Reply subscribe(Exchange exchange) throws IOException {
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"topics\": [...]}"), "the body");
        JsonNode topics = body.get("topics");
        if (topics == null || !topics.isArray() || topics.isEmpty()) {
            throw new HttpError(400, "\"topics\" must be a list of 1 or more topic names");
        }
        Set<String> names = new LinkedHashSet<>();
        topics.forEach(topic -> names.add(topic.asText()));
        instances.subscribe(exchange.path("group"), exchange.path("member"), names);
        return Reply.noContent();
    }

    private Reply assignments(Exchange exchange) {
        List<Object> partitions = new ArrayList<>();
        for (TopicPartition partition : instances.assignment(exchange.path("group"), exchange.path("member"))) {
            partitions.add(Json.fields("topic", partition.topic(), "partition", partition.partition()));
        }
        return Reply.json(200, Json.write(Map.of("partitions", partitions)));
    }

    private CompletableFuture<Reply> poll(Exchange exchange) {
        int maxRecords = RecordRoutes.maxRecords(exchange);
        Duration wait = RecordRoutes.wait(exchange);
        boolean binary = RecordRoutes.binary(exchange);
        return instances.pollAsync(exchange.path("group"), exchange.path("member"), maxRecords, wait, exchange.executor())
                .thenApply(polled -> {
                    List<Object> records = new ArrayList<>();
                    polled.forEach(record -> records.add(Json.record(record, binary)));
                    return Reply.json(200, Json.write(records));
                });
    }

    /** [{"topic": t, "partition": p, "offset": o}, ...] under "offsets"; absent or empty means none. */
    private static Map<TopicPartition, Long> offsetList(byte[] raw) throws IOException {
        Map<TopicPartition, Long> offsets = new TreeMap<>();
        if (raw.length == 0) {
            return offsets;
        }
        JsonNode list = Json.object(Json.parse(raw), "the body").get("offsets");
        if (list == null || list.isNull()) {
            return offsets;
        }
        if (!list.isArray()) {
            throw new HttpError(400, "\"offsets\" must be a list of {\"topic\": ..., \"partition\": ..., \"offset\": ...}");
        }
        for (JsonNode entry : list) {
            Json.object(entry, "an offset entry");
            TopicPartition partition = new TopicPartition(Json.text(entry, "topic", true),
                    Json.number(entry, "partition", 0, Integer.MAX_VALUE, true).intValue());
            // any whole number: the group judges it against the partition's range, and names that range
            offsets.put(partition, Json.number(entry, "offset", Long.MIN_VALUE, Long.MAX_VALUE, true));
        }
        return offsets;
    }

    private Reply commit(Exchange exchange) throws IOException {
        Map<TopicPartition, Long> committed = instances.commit(exchange.path("group"), exchange.path("member"),
                offsetList(exchange.body()));
        return Reply.json(200, Json.write(Map.of("offsets", offsetEntries(committed))));
    }

    private Reply committed(Exchange exchange) {
        return Reply.json(200, Json.write(Map.of("offsets", offsetEntries(instances.committed(exchange.path("group"))))));
    }

    private static List<Object> offsetEntries(Map<TopicPartition, Long> offsets) {
        List<Object> entries = new ArrayList<>();
        offsets.forEach((partition, offset) -> entries.add(Json.fields("topic", partition.topic(),
                "partition", partition.partition(), "offset", offset)));
        return entries;
    }

    private Reply seek(Exchange exchange) throws IOException {
        Map<TopicPartition, Long> positions = offsetList(exchange.body());
        if (positions.isEmpty()) {
            throw new HttpError(400, "give \"offsets\": [{\"topic\": ..., \"partition\": ..., \"offset\": ...}]");
        }
        positions.forEach((partition, offset) -> instances.seek(exchange.path("group"), exchange.path("member"),
                partition, offset));
        return Reply.noContent();
    }
}
