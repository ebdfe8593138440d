package toykafka.http;

import static toykafka.http.JsonBytes.ascii;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.http.MediaTypes.EmbeddedFormat;

/**
 * Produce as Confluent's REST Proxy v2 takes it, each request one {@link Partitions#appendRecords} (Kafka's
 * Produce request):
 *
 * <ul>
 * <li>{@code POST /topics/<t>} {@code {"records": [{"key": .., "value": .., "partition": ..}]}}: each record to the
 *     partition it names, or the one Kafka's partitioner picks (murmur2 of the key, round robin without one).
 *     An unknown topic is created if auto.create.topics.enable says so, else a 404 with code 40401.</li>
 * <li>{@code POST /topics/<t>/partitions/<p>} {@code {"records": [{"key": .., "value": ..}]}}: every record to
 *     partition p; a topic without it is a 404 with code 40402.</li>
 * </ul>
 *
 * <p>The Content-Type says how keys and values are embedded: {@code application/vnd.kafka.binary.v2+json} as
 * base64 (also assumed for {@code application/vnd.kafka.v2+json} and {@code application/json}), and
 * {@code application/vnd.kafka.json.v2+json} as JSON itself, stored as its JSON text. The reply is
 * {@code {"key_schema_id": null, "value_schema_id": null, "offsets": [..]}}, one entry per record in request
 * order: its {@code partition} and {@code offset}, or, for a record its partition refused, nulls and an
 * {@code error_code} (1, or 2 when trying again may help) and {@code error}, inside a 200 as REST Proxy answers.
 * A request without records is a 422. Avro, Protobuf and JSON Schema need a Schema Registry, which this
 * broker does not have: they are refused by name, after REST Proxy's own checks for a missing schema (42201
 * for keys, 42202 for values).
 */
final class V2ProduceRoutes {

    /** REST Proxy's codes for a schema format's keys or values sent without a schema or schema id. */
    static final int KEY_SCHEMA_MISSING = 42201;
    static final int VALUE_SCHEMA_MISSING = 42202;
    /** What a refused record's {@code error_code} says, as REST Proxy v2's reference numbers them. */
    static final int NON_RETRIABLE = 1;
    static final int RETRIABLE = 2;
    private static final List<String> SCHEMA_FIELDS = List.of("key_schema", "key_schema_id", "value_schema",
            "value_schema_id");
    /** The reply's fixed parts, as Jackson writes them from {@code Json.fields}. */
    private static final byte[] REPLY_HEAD = ascii("{\"key_schema_id\":null,\"value_schema_id\":null,\"offsets\":[");
    private static final byte[] PARTITION = ascii("{\"partition\":");
    private static final byte[] NEXT_PARTITION = ascii(",{\"partition\":");
    private static final byte[] OFFSET = ascii(",\"offset\":");
    private static final byte[] NO_ERROR = ascii(",\"error_code\":null,\"error\":null}");
    private static final byte[] NO_OFFSET = ascii("null,\"offset\":null,\"error_code\":");
    private static final byte[] ERROR = ascii(",\"error\":");
    private static final String SHAPE = "{\"records\": [{\"key\": ..., \"value\": ...}]}";

    private final Broker broker;

    V2ProduceRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("POST", "/topics/{topic}", V2Replies.refusingAsV2(exchange -> produce(exchange, false)));
        front.route("POST", "/topics/{topic}/partitions/{partition}", V2Replies.refusingAsV2(exchange -> produce(exchange, true)));
    }

    // tag::v2-produce[]
    private Reply produce(Exchange exchange, boolean toPartition) throws IOException {
        String type = V2Replies.type(exchange); // a 406 before anything is written
        String topic = exchange.path("topic");
        String contentType = exchange.header("Content-Type");
        String schemaFormat = schemaFormat(contentType);
        EmbeddedFormat format = schemaFormat == null ? MediaTypes.requestFormat(contentType, EmbeddedFormat.BINARY) : null;
        List<ProduceRecord> produce = format == EmbeddedFormat.BINARY ? plainRecords(exchange, topic, toPartition) : null;
        if (produce == null) {
            produce = treeRecords(exchange, topic, toPartition, schemaFormat, format);
        }
        List<RecordAnswer> answers;
        try {
            answers = broker.partitions().appendRecords(topic, produce);
        } catch (ApiException refused) {
            if (refused.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) { // auto.create.topics.enable=false
                throw new HttpError(404, HttpError.TOPIC_NOT_FOUND, refused.error(), refused.getMessage());
            }
            throw refused;
        }
        return Reply.json(200, offsets(answers)).withType(type);
    }
    // end::v2-produce[]

    /**
     * The records of a plain binary body read in one pass ({@link PlainV2ProduceRequests}), or null for the
     * tree to read: the body is not plain, or a record names another partition than the path, which the tree
     * refuses in its words.
     */
    private List<ProduceRecord> plainRecords(Exchange exchange, String topic, boolean toPartition) {
        List<PlainV2ProduceRequests.Sent> sent = PlainV2ProduceRequests.records(exchange.body()).orElse(null);
        if (sent == null) {
            return null;
        }
        Integer pathPartition = toPartition ? existingPartition(topic, exchange.path("partition")) : null;
        List<ProduceRecord> produce = new ArrayList<>(sent.size());
        Instant now = Instant.now();
        for (PlainV2ProduceRequests.Sent one : sent) {
            if (pathPartition != null && one.partition() != null && !one.partition().equals(pathPartition)) {
                return null;
            }
            produce.add(new ProduceRecord(one.partition() != null ? one.partition() : pathPartition,
                    new Record(one.key(), one.value(), now, List.of())));
        }
        return produce;
    }

    /** The records of any body, read as a tree: every refusal is worded here. */
    private List<ProduceRecord> treeRecords(Exchange exchange, String topic, boolean toPartition, String schemaFormat,
                                            EmbeddedFormat format) throws IOException {
        return treeRecords(exchange.body(), schemaFormat, format,
                () -> toPartition ? existingPartition(topic, exchange.path("partition")) : null);
    }

    /** The records of a body read as a tree, the path's partition asked for once the body is found sound. */
    static List<ProduceRecord> treeRecords(byte[] bytes, String schemaFormat, EmbeddedFormat format,
                                           Supplier<Integer> pathPartitionOnceSound) throws IOException {
        JsonNode body = bytes.length == 0 ? null : Json.parse(bytes);
        if (body == null || !body.isObject()) {
            throw unprocessable("the body must be a JSON object, " + SHAPE + "; was "
                    + (body == null ? "empty" : body.getNodeType()));
        }
        JsonNode records = body.get("records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw unprocessable("records may not be empty: the body must be " + SHAPE + " with 1 or more records");
        }
        if (schemaFormat != null) {
            requireSchemas(body, records);
            throw MediaTypes.schemaFormat(schemaFormat, "the Content-Type's embedded format");
        }
        for (String field : SCHEMA_FIELDS) {
            if (body.hasNonNull(field)) {
                throw unprocessable("\"" + field + "\" names a schema, which needs a Schema Registry, which this broker"
                        + " does not have; with " + format.v2Type() + " leave the schema fields out");
            }
        }
        Integer pathPartition = pathPartitionOnceSound.get();
        List<ProduceRecord> produce = new ArrayList<>(records.size());
        Instant now = Instant.now();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (!record.isObject()) {
                throw unprocessable("record " + i + " must be a JSON object {\"key\": ..., \"value\": ...}; was "
                        + record.getNodeType());
            }
            Integer partition = partition(record, i, pathPartition);
            byte[] key = embedded(format, record.get("key"), i, "key");
            byte[] value = embedded(format, record.get("value"), i, "value");
            produce.add(new ProduceRecord(partition, new Record(key, value, now, List.of())));
        }
        return produce;
    }

    /**
     * The reply, its bytes written by hand: an entry a record, so at 100-byte values the reply outweighs the
     * request, and a map built for each entry cost the broker a fifth of its time, and Jackson's generator still a
     * tenth. A refused record's message is written by Jackson, which escapes it.
     */
    static byte[] offsets(List<RecordAnswer> answers) {
        JsonBytes out = new JsonBytes(REPLY_HEAD.length + 64 * answers.size() + 2);
        out.write(REPLY_HEAD);
        for (int i = 0; i < answers.size(); i++) {
            RecordAnswer answer = answers.get(i);
            out.write(i == 0 ? PARTITION : NEXT_PARTITION);
            if (answer.written()) {
                out.writeNumber(answer.partition().partition());
                out.write(OFFSET);
                out.writeNumber(answer.offset());
                out.write(NO_ERROR);
            } else {
                out.write(NO_OFFSET);
                out.writeNumber(errorCode(answer.error()));
                out.write(ERROR);
                out.write(Json.write(answer.message()));
                out.write('}');
            }
        }
        out.write(']');
        out.write('}');
        return out.toByteArray();
    }

    /**
     * A record's {@code partition}: none on the partition route but the path's (the same number is let
     * through, another is refused); on the topic route a whole number 0 or more, or none for the partitioner.
     */
    private static Integer partition(JsonNode record, int index, Integer pathPartition) {
        JsonNode given = record.get("partition");
        if (given == null || given.isNull()) {
            return pathPartition;
        }
        if (!given.isIntegralNumber() || !given.canConvertToInt() || given.asInt() < 0) {
            throw unprocessable("record " + index + "'s \"partition\" must be a whole number 0 or more; was " + given);
        }
        if (pathPartition != null && given.asInt() != pathPartition) {
            throw unprocessable("record " + index + " names partition " + given + " but the path names partition "
                    + pathPartition + "; on this route leave \"partition\" out");
        }
        return given.asInt();
    }

    /**
     * The path's partition: of a topic that exists, one it has (else 404, 40402); of one that does not, any
     * number, since the produce may create the topic, and its partition then answers for itself.
     */
    private Integer existingPartition(String topic, String text) {
        int count;
        try {
            count = broker.partitionCount(topic); // each request: the count alone, not a description of the topic
        } catch (ApiException unknownOrNoName) {
            count = -1;
        }
        if (count >= 0) {
            return V2TopicRoutes.partitionOf(topic, count, text);
        }
        return Exchange.wholeNumber(text).filter(n -> n >= 0 && n <= Integer.MAX_VALUE).map(Long::intValue)
                .orElseThrow(() -> new HttpError(404, HttpError.PARTITION_NOT_FOUND, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        "there is no partition " + text + ": a partition is a whole number 0 or more"));
    }

    /** A key or value as the embedded format carries it: base64 text, or any JSON stored as its JSON text. */
    private static byte[] embedded(EmbeddedFormat format, JsonNode node, int index, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (format == EmbeddedFormat.JSON) {
            return Json.write(node);
        }
        if (!node.isTextual()) {
            throw unprocessable("record " + index + "'s " + field + " must be base64 text, as "
                    + EmbeddedFormat.BINARY.v2Type() + " embeds bytes; was " + node.getNodeType());
        }
        try {
            return Base64.getDecoder().decode(node.textValue());
        } catch (IllegalArgumentException notBase64) {
            throw unprocessable("record " + index + "'s " + field + " is not valid base64 (" + notBase64.getMessage()
                    + "); " + EmbeddedFormat.BINARY.v2Type() + " embeds bytes as base64, and "
                    + EmbeddedFormat.JSON.v2Type() + " takes JSON as it is");
        }
    }

    /** REST Proxy's check for a schema format: a key or value sent without its schema is a 422 of its own. */
    private static void requireSchemas(JsonNode body, JsonNode records) {
        boolean keySchema = body.hasNonNull("key_schema") || body.hasNonNull("key_schema_id");
        boolean valueSchema = body.hasNonNull("value_schema") || body.hasNonNull("value_schema_id");
        for (JsonNode record : records) {
            if (!keySchema && record.hasNonNull("key")) {
                throw new HttpError(422, KEY_SCHEMA_MISSING, Errors.INVALID_REQUEST, "the request includes keys but"
                        + " no key_schema or key_schema_id; and a schema would need a Schema Registry, which this"
                        + " broker does not have: produce binary (base64) or json instead");
            }
            if (!valueSchema && record.hasNonNull("value")) {
                throw new HttpError(422, VALUE_SCHEMA_MISSING, Errors.INVALID_REQUEST, "the request includes values but"
                        + " no value_schema or value_schema_id; and a schema would need a Schema Registry, which this"
                        + " broker does not have: produce binary (base64) or json instead");
            }
        }
    }

    /** avro, protobuf or jsonschema if the Content-Type names one of Schema Registry's formats, else null. */
    private static String schemaFormat(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (String format : List.of("avro", "protobuf", "jsonschema")) {
            if (type.equals("application/vnd.kafka." + format + ".v2+json")) {
                return format;
            }
        }
        return null;
    }

    /**
     * A refused record's code: 2 if trying again may help. A partition the topic lacks is 1, as Kafka's producer
     * refuses it before sending, and no retry finds it.
     */
    private static int errorCode(Errors error) {
        return error.retriable() && error != Errors.UNKNOWN_TOPIC_OR_PARTITION ? RETRIABLE : NON_RETRIABLE;
    }

    private static HttpError unprocessable(String message) {
        return new HttpError(422, Errors.INVALID_REQUEST, message);
    }
}
