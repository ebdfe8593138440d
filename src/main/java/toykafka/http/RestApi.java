package toykafka.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import toykafka.broker.Broker;
import toykafka.common.OffsetReset;
import toykafka.common.RecordMetadata;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;

/**
 * The broker's own JSON API. Topics and produce follow Confluent's REST Proxy v3
 * ({@code /v3/clusters/toykafka/topics/...}); reading a partition follows Redpanda's
 * {@code GET /topics/<t>/partitions/<p>/records}; consumer groups follow the REST Proxy v2's consumer
 * instances ({@code /consumers/<group>/instances/<member>/...}).
 *
 * <p>Kafka's {@code Admin.deleteRecords}, which the REST Proxy lacks, is
 * {@code POST /v3/clusters/toykafka/topics/<t>/partitions/<p>/records:delete} with {@code {"before_offset": N}}:
 * the records below N go to the broker's archive and the log start offset moves up to N (an N at or below
 * it changes nothing, one past the end offset is a 416); the reply is {@code {"partition_id": p,
 * "log_start_offset": ...}}. The seed systems' APIs, {@link KafRoutes} and {@link KatarRoutes}, are served
 * beside this one, on the same broker operations.
 */
final class RestApi {

    static final String CLUSTER = "toykafka";
    private static final String TOPICS = "/v3/clusters/{cluster}/topics";
    private static final String MEMBER = "/consumers/{group}/instances/{member}";
    /** How long a read waits for records when it does not say; Kafka's fetch.max.wait.ms is 500. */
    private static final long DEFAULT_WAIT_MS = 500;
    private static final long MAX_WAIT_MS = 60_000;

    private final Broker broker;

    RestApi(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", "/", exchange -> index(front));
        front.route("GET", TOPICS, exchange -> listTopics(cluster(exchange)));
        front.route("POST", TOPICS, this::createTopic);
        front.route("GET", TOPICS + "/{topic}", exchange -> topic(cluster(exchange), exchange.path(1)));
        front.route("DELETE", TOPICS + "/{topic}", this::deleteTopic);
        front.route("GET", TOPICS + "/{topic}/partitions", this::partitions);
        front.route("POST", TOPICS + "/{topic}/partitions", this::addPartitions);
        front.route("GET", TOPICS + "/{topic}/configs", exchange -> configs(cluster(exchange), exchange.path(1)));
        front.route("PUT", TOPICS + "/{topic}/configs", exchange -> alterConfigs(exchange, true));
        front.route("PATCH", TOPICS + "/{topic}/configs", exchange -> alterConfigs(exchange, false));
        front.route("POST", TOPICS + "/{topic}/configs:alter", exchange -> alterConfigs(exchange, false));
        front.route("POST", TOPICS + "/{topic}/records", this::produce);
        front.route("GET", TOPICS + "/{topic}/partitions/{partition}/records",
                exchange -> {
                    cluster(exchange);
                    return read(exchange, exchange.path(1), exchange.path(2));
                });
        front.route("POST", TOPICS + "/{topic}/partitions/{partition}/records:delete", this::deleteRecords);
        front.route("GET", "/topics/{topic}/partitions/{partition}/records",
                exchange -> read(exchange, exchange.path(0), exchange.path(1)));
        front.route("GET", "/v3/clusters/{cluster}/consumer-groups/{group}", this::describeGroup);
        front.route("POST", "/consumers/{group}", this::createMember);
        front.route("POST", MEMBER + "/subscription", this::subscribe);
        front.route("GET", MEMBER + "/assignments", this::assignments);
        front.route("GET", MEMBER + "/records", this::poll);
        front.route("POST", MEMBER + "/heartbeat", exchange -> {
            broker.heartbeat(exchange.path(0), exchange.path(1));
            return Reply.noContent();
        });
        front.route("POST", MEMBER + "/offsets", this::commit);
        front.route("GET", MEMBER + "/offsets", exchange -> committed(exchange.path(0)));
        front.route("POST", MEMBER + "/positions", this::seek);
        front.route("DELETE", MEMBER, exchange -> {
            broker.leave(exchange.path(0), exchange.path(1));
            return Reply.noContent();
        });
    }

    private Reply index(HttpFrontEnd front) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("broker", "toykafka");
        body.put("cluster_id", CLUSTER);
        body.put("data_dir", broker.dataDir());
        body.put("routes", front.routes());
        return Reply.json(200, Json.write(body));
    }

    private static String cluster(Exchange exchange) {
        if (!exchange.path(0).equals(CLUSTER)) {
            throw new HttpError(404, "there is no cluster '" + exchange.path(0) + "'; this broker is cluster '"
                    + CLUSTER + "'");
        }
        return CLUSTER;
    }

    // ---- topics ----

    private Reply listTopics(String cluster) {
        List<Object> data = new ArrayList<>();
        for (String name : broker.listTopics()) {
            data.add(topicSummary(broker.describeTopic(name)));
        }
        return Reply.json(200, Json.write(Json.fields("kind", "KafkaTopicList", "data", data)));
    }

    private static Map<String, Object> topicSummary(Broker.TopicInfo topic) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "KafkaTopic");
        json.put("cluster_id", CLUSTER);
        json.put("topic_name", topic.name());
        json.put("is_internal", topic.internal());
        json.put("partitions_count", topic.partitions().size());
        return json;
    }

    private Reply topic(String cluster, String name) {
        Broker.TopicInfo topic = broker.describeTopic(name);
        Map<String, Object> json = topicSummary(topic);
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
        cluster(exchange);
        String name = exchange.path(1);
        if (exchange.query("auto_create", "false").equals("true")) {
            broker.partitionsForWrite(name);
        }
        return Reply.json(200, Json.write(Json.fields("kind", "KafkaPartitionList",
                "data", partitionList(broker.describeTopic(name)))));
    }

    private Reply configs(String cluster, String name) {
        Broker.TopicInfo topic = broker.describeTopic(name);
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
        cluster(exchange);
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"topic_name\": ..., \"partitions_count\": ...,"
                + " \"configs\": [{\"name\": ..., \"value\": ...}]}"), "the body");
        String name = Json.text(body, "topic_name", true);
        // any whole number: the broker's own rule refuses a count outside 1..1000 as INVALID_PARTITIONS
        Long partitions = Json.number(body, "partitions_count", Integer.MIN_VALUE, Integer.MAX_VALUE, false);
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
        return Reply.json(201, Json.write(topicSummary(broker.describeTopic(created))));
    }
    // end::create-topic[]

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
        cluster(exchange);
        String topic = exchange.path(1);
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
        cluster(exchange);
        broker.deleteTopic(exchange.path(1));
        return Reply.noContent();
    }

    private Reply addPartitions(Exchange exchange) throws IOException {
        cluster(exchange);
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"partitions_count\": N}"), "the body");
        broker.increasePartitions(exchange.path(1),
                Json.number(body, "partitions_count", Integer.MIN_VALUE, Integer.MAX_VALUE, true).intValue());
        return Reply.json(200, Json.write(topicSummary(broker.describeTopic(exchange.path(1)))));
    }

    // ---- produce ----

    // tag::produce[]
    /**
     * One record as a JSON object, or many as an array or as objects one after another (the v3 streaming
     * form). The reply has the same shape: an object, an array, or one object per line.
     */
    private Reply produce(Exchange exchange) throws IOException {
        cluster(exchange);
        String topic = exchange.path(1);
        byte[] body = exchange.body();
        Instant now = Instant.now();
        List<JsonNode> nodes = new ArrayList<>();
        boolean array = startsWithArray(body);
        if (array) {
            JsonNode list = Json.MAPPER.readTree(body);
            list.forEach(nodes::add);
        } else {
            try (MappingIterator<JsonNode> values = Json.MAPPER.readerFor(JsonNode.class).readValues(body)) {
                while (values.hasNextValue()) {
                    nodes.add(values.nextValue());
                }
            }
        }
        if (nodes.isEmpty()) {
            throw new HttpError(400, "the request has no records; send {\"value\": ...} or a list of them");
        }
        List<Broker.Outgoing> records = new ArrayList<>(nodes.size());
        for (JsonNode node : nodes) {
            Long partition = Json.number(Json.object(node, "a record"), "partition_id", 0, Integer.MAX_VALUE, false);
            records.add(new Broker.Outgoing(partition == null ? null : partition.intValue(), Json.record(node, now)));
        }
        List<RecordMetadata> written = broker.produce(topic, records);
        return Reply.json(200, produced(written, records, array ? Shape.LIST : nodes.size() == 1 ? Shape.ONE : Shape.LINES));
    }
    // end::produce[]

    private static boolean startsWithArray(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '[';
            }
        }
        return false;
    }

    /** How a produce reply is laid out: as the request was. */
    private enum Shape { ONE, LIST, LINES }

    /**
     * Each record's partition and offset, written straight out: a batch of 500 gets 500 of these, so no
     * map is built for each.
     */
    private static byte[] produced(List<RecordMetadata> written, List<Broker.Outgoing> sent, Shape shape)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(written.size() * 200);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            if (shape == Shape.LIST) {
                json.writeStartArray();
            }
            Instant lastTime = null;
            String lastTimeText = null;
            for (int i = 0; i < written.size(); i++) {
                RecordMetadata metadata = written.get(i);
                if (!metadata.timestamp().equals(lastTime)) { // a batch often shares one time: format it once
                    lastTime = metadata.timestamp();
                    lastTimeText = lastTime.toString();
                }
                json.writeStartObject();
                json.writeNumberField("error_code", 200);
                json.writeStringField("cluster_id", CLUSTER);
                json.writeStringField("topic_name", metadata.partition().topic());
                json.writeNumberField("partition_id", metadata.partition().partition());
                json.writeNumberField("offset", metadata.offset());
                json.writeStringField("timestamp", lastTimeText);
                writeSize(json, "key", sent.get(i).record().key());
                writeSize(json, "value", sent.get(i).record().value());
                json.writeEndObject();
                if (shape == Shape.LINES) {
                    json.writeRaw('\n');
                }
            }
            if (shape == Shape.LIST) {
                json.writeEndArray();
            }
        }
        return out.toByteArray();
    }

    private static void writeSize(JsonGenerator json, String field, byte[] bytes)
            throws IOException {
        if (bytes == null) {
            json.writeNullField(field);
        } else {
            json.writeObjectFieldStart(field);
            json.writeNumberField("size", bytes.length);
            json.writeEndObject();
        }
    }

    /** Kafka's Admin.deleteRecords: {@code {"before_offset": N}} archives and removes every record below N. */
    private Reply deleteRecords(Exchange exchange) throws IOException {
        cluster(exchange);
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"before_offset\": N}"), "the body");
        long before = Json.number(body, "before_offset", 0, Long.MAX_VALUE, true);
        int partition = partitionNumber(exchange.path(2));
        long start = broker.deleteRecords(exchange.path(1), partition, before);
        return Reply.json(200, Json.write(Json.fields("partition_id", partition, "log_start_offset", start)));
    }

    // ---- read a partition ----

    // tag::read[]
    /**
     * Records of one partition from {@code offset} (earliest, latest or a number; latest by default) or
     * from the first record at or after {@code timestamp}, up to {@code max_records}, waiting up to
     * {@code timeout} ms at the end of the log. The reply is a list of records; the X-Next-Offset header
     * says where to read next.
     */
    private Reply read(Exchange exchange, String topic, String partitionText) {
        int partition = partitionNumber(partitionText);
        String timestamp = exchange.query("timestamp");
        long offset;
        if (timestamp != null) {
            if (exchange.query("offset") != null) {
                throw new HttpError(400, "give offset or timestamp, not both");
            }
            offset = broker.offsetForTime(topic, partition, parseTime(timestamp));
        } else {
            offset = broker.offsetOf(topic, partition, exchange.query("offset", "latest"));
        }
        int maxRecords = (int) exchange.queryNumber("max_records", 500, 1, Broker.MAX_RECORDS_PER_READ);
        long wait = exchange.queryNumber("timeout", DEFAULT_WAIT_MS, 0, MAX_WAIT_MS);
        boolean binary = binary(exchange);
        Broker.Fetched fetched = broker.fetch(topic, partition, offset, maxRecords, Duration.ofMillis(wait));
        List<Object> records = new ArrayList<>();
        fetched.records().forEach(record -> records.add(Json.record(record, binary)));
        return Reply.json(200, Json.write(records))
                .withHeader("X-Next-Offset", String.valueOf(fetched.nextOffset()))
                .withHeader("X-Log-Start-Offset", String.valueOf(fetched.logStartOffset()))
                .withHeader("X-End-Offset", String.valueOf(fetched.endOffset()));
    }
    // end::read[]

    private static boolean binary(Exchange exchange) {
        String format = exchange.query("format", "text");
        if (!format.equals("text") && !format.equals("binary")) {
            throw new HttpError(400, "format must be text (keys and values as UTF-8 strings) or binary (base64),"
                    + " was " + format);
        }
        return format.equals("binary");
    }

    private static int partitionNumber(String text) {
        try {
            int partition = Integer.parseInt(text);
            if (partition >= 0) {
                return partition;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new HttpError(400, "partition '" + text + "' must be a whole number, 0 or more");
    }

    private static Instant parseTime(String text) {
        try {
            long millis = Long.parseLong(text);
            if (millis >= 0) {
                return Instant.ofEpochMilli(millis);
            }
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(text);
            } catch (java.time.format.DateTimeParseException notIso) {
                // refused below
            }
        }
        throw new HttpError(400, "timestamp '" + text + "' must be milliseconds since 1970 or an ISO-8601 instant");
    }

    // ---- consumer groups ----

    /**
     * A group as REST Proxy v3 shows one, with what Kafka's admin tools show beside it: the generation, each
     * consumer's partitions, and the committed offsets. Nothing is created by looking.
     */
    private Reply describeGroup(Exchange exchange) {
        String cluster = cluster(exchange);
        Broker.GroupInfo group = broker.describeGroup(exchange.path(1));
        List<Object> consumers = new ArrayList<>();
        group.assignment().forEach((member, partitions) -> {
            List<Object> assignments = new ArrayList<>();
            partitions.forEach(partition -> assignments.add(Json.fields("topic_name", partition.topic(),
                    "partition_id", partition.partition())));
            consumers.add(Json.fields("consumer_id", member, "assignments", assignments));
        });
        List<Object> offsets = new ArrayList<>();
        group.committed().forEach((partition, offset) -> offsets.add(Json.fields("topic_name", partition.topic(),
                "partition_id", partition.partition(), "committed_offset", offset)));
        return Reply.json(200, Json.write(Json.fields("kind", "KafkaConsumerGroup", "cluster_id", cluster,
                "consumer_group_id", group.groupId(), "partition_assignor", group.assignor(), "generation", group.generation(),
                "consumers", consumers, "offsets", offsets)));
    }

    private Reply createMember(Exchange exchange) throws IOException {
        byte[] raw = exchange.body();
        JsonNode body = raw.length == 0 ? Json.MAPPER.createObjectNode() : Json.object(Json.MAPPER.readTree(raw), "the body");
        String reset = Json.text(body, "auto.offset.reset", false);
        OffsetReset offsetReset = reset == null ? OffsetReset.LATEST : offsetReset(reset);
        String group = exchange.path(0);
        String member = broker.createMember(group, Json.text(body, "name", false), offsetReset);
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
        broker.subscribe(exchange.path(0), exchange.path(1), names);
        return Reply.noContent();
    }

    private Reply assignments(Exchange exchange) {
        List<Object> partitions = new ArrayList<>();
        for (TopicPartition partition : broker.assignment(exchange.path(0), exchange.path(1))) {
            partitions.add(Json.fields("topic", partition.topic(), "partition", partition.partition()));
        }
        return Reply.json(200, Json.write(Map.of("partitions", partitions)));
    }

    private Reply poll(Exchange exchange) {
        int maxRecords = (int) exchange.queryNumber("max_records", 500, 1, Broker.MAX_RECORDS_PER_READ);
        long wait = exchange.queryNumber("timeout", DEFAULT_WAIT_MS, 0, MAX_WAIT_MS);
        boolean binary = binary(exchange);
        List<ConsumerRecord> polled = broker.poll(exchange.path(0), exchange.path(1), maxRecords, Duration.ofMillis(wait));
        List<Object> records = new ArrayList<>();
        polled.forEach(record -> records.add(Json.record(record, binary)));
        return Reply.json(200, Json.write(records));
    }

    /** [{"topic": t, "partition": p, "offset": o}, ...] under "offsets"; absent or empty means none. */
    private static Map<TopicPartition, Long> offsetList(byte[] raw) throws IOException {
        Map<TopicPartition, Long> offsets = new TreeMap<>();
        if (raw.length == 0) {
            return offsets;
        }
        JsonNode list = Json.object(Json.MAPPER.readTree(raw), "the body").get("offsets");
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
        Map<TopicPartition, Long> committed = broker.commit(exchange.path(0), exchange.path(1), offsetList(exchange.body()));
        return Reply.json(200, Json.write(Map.of("offsets", offsetEntries(committed))));
    }

    private Reply committed(String group) {
        return Reply.json(200, Json.write(Map.of("offsets", offsetEntries(broker.committed(group)))));
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
        positions.forEach((partition, offset) -> broker.seek(exchange.path(0), exchange.path(1), partition, offset));
        return Reply.noContent();
    }
}
