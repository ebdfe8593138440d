package toykafka.http;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import toykafka.common.Errors;
import toykafka.common.Header;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson05.ConsumerRecord;

/**
 * Records in and out of JSON, following the REST Proxy's v3 shapes: a key or value is a string (text),
 * null, or {@code {"type": "STRING"|"JSON"|"BINARY", "data": ...}}; header values are base64.
 */
public final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SerializedString TOPIC = new SerializedString("topic");
    private static final SerializedString PARTITION = new SerializedString("partition");
    private static final SerializedString OFFSET = new SerializedString("offset");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString HEADERS = new SerializedString("headers");

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps, lists, strings and numbers always write as JSON", e);
        }
    }

    /** A JSON object whose fields keep the order given, so replies read the same every run. */
    public static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** The body as one JSON value; an empty body is refused with what was expected. */
    public static JsonNode read(byte[] body, String expected) throws IOException {
        if (body.length == 0) {
            throw new HttpError(400, "the request has no body; it takes " + expected);
        }
        return parse(body);
    }

    /** The bytes as one JSON value (null when there are none), every string in it whole UTF-16. */
    static JsonNode parse(byte[] body) throws IOException {
        return wholeText(MAPPER.readTree(body), "");
    }

    /**
     * The value, refused if any string or field name in it holds half a surrogate pair (JSON's
     * {@code "\ud800"} alone): such text has no UTF-8 form, and would be stored as '?'. The refusal names
     * where, as a JSON Pointer.
     */
    static JsonNode wholeText(JsonNode node, String at) {
        if (node == null || isWhole(node)) {
            return node; // the common case, walked without naming where each value is
        }
        if (node.isTextual()) {
            requireWhole(node.textValue(), at.isEmpty() ? "the string" : "the string at " + at);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                wholeText(node.get(i), at + "/" + i);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                requireWhole(field.getKey(), "a field name in " + (at.isEmpty() ? "the body" : at));
                wholeText(field.getValue(), at + "/" + field.getKey().replace("~", "~0").replace("/", "~1"));
            }
        }
        return node;
    }

    private static boolean isWhole(JsonNode node) {
        if (node.isTextual()) {
            return isWhole(node.textValue());
        }
        if (node.isContainerNode()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                if (!isWhole(fields.next().getKey())) {
                    return false;
                }
            }
            for (JsonNode element : node) {
                if (!isWhole(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isWhole(String text) {
        return loneSurrogate(text) < 0;
    }

    private static void requireWhole(String text, String where) {
        int at = loneSurrogate(text);
        if (at >= 0) {
            throw new HttpError(400, where + " holds a lone surrogate, \\u" + Integer.toHexString(text.charAt(at))
                    + ", at character " + at + ": JSON strings must be valid UTF-16 (a surrogate comes in a high-low"
                    + " pair), since the broker stores text as UTF-8");
        }
    }

    /** Where the text holds half a surrogate pair, or -1. */
    private static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a whole pair: one character outside the BMP
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The bytes as exactly one JSON value, or null if they are not: empty, broken, or two values in a row. */
    static JsonNode oneValue(byte[] bytes) {
        try (JsonParser parser = MAPPER.getFactory().createParser(bytes)) {
            if (parser.nextToken() == null) {
                return null;
            }
            JsonNode value = MAPPER.readTree(parser);
            return parser.nextToken() == null ? value : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** A JSON object field as text, or a refusal naming the field. */
    public static String text(JsonNode object, String field, boolean required) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new HttpError(400, "the field \"" + field + "\" is missing");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new HttpError(400, "the field \"" + field + "\" must be a string, was " + node.getNodeType());
        }
        return node.asText();
    }

    /** A JSON object field as a whole number within a range, null when absent and not required. */
    static Long number(JsonNode object, String field, long min, long max, boolean required) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new HttpError(400, "the field \"" + field + "\" is missing; it takes a whole number from " + min
                        + " to " + max);
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
            throw new HttpError(400, "the field \"" + field + "\" must be a whole number from " + min + " to " + max
                    + ", was " + node);
        }
        return node.asLong();
    }

    public static JsonNode object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new HttpError(400, what + " must be a JSON object, was " + (node == null ? "missing" : node.getNodeType()));
        }
        return node;
    }

    // tag::record-in[]
    /** A record as a producer sends it: key, value, headers and timestamp, each optional. */
    static Record record(JsonNode node, Instant now) {
        object(node, "a record");
        Instant timestamp = now;
        JsonNode time = node.get("timestamp");
        if (time != null && !time.isNull()) {
            timestamp = timestamp(time);
        }
        List<Header> headers = new ArrayList<>();
        JsonNode given = node.get("headers");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                throw new HttpError(400, "\"headers\" must be a list of {\"name\": ..., \"value\": base64}");
            }
            for (JsonNode header : given) {
                object(header, "a header");
                String name = text(header, "name", true);
                String value = text(header, "value", false);
                headers.add(new Header(name, value == null ? null : base64(value, "header " + name)));
            }
        }
        return new Record(data(node.get("key"), "key"), data(node.get("value"), "value"), timestamp, headers);
    }

    /** The latest time a record can carry: Kafka's timestamp is an int64 of milliseconds since 1970. */
    static final Instant LATEST_TIMESTAMP = Instant.ofEpochMilli(Long.MAX_VALUE);
    /** What a record's timestamp may be, for every refusal of one. */
    static final String TIMESTAMP_RANGE = "milliseconds since 1970 from 0 to " + Long.MAX_VALUE + " (Kafka's int64;"
            + " its -1, no timestamp, is said by leaving the field out) or an ISO-8601 instant from "
            + Instant.EPOCH + " to " + LATEST_TIMESTAMP + ", such as 2026-11-23T10:15:30Z";

    private static Instant timestamp(JsonNode time) {
        if (time.isIntegralNumber() && time.canConvertToLong() && time.asLong() >= 0) {
            return Instant.ofEpochMilli(time.asLong());
        }
        Optional<Instant> iso = time.isTextual() ? isoInstant(time.asText()) : Optional.empty();
        return iso.orElseThrow(() -> new HttpError(400, Errors.INVALID_TIMESTAMP, "\"timestamp\" must be "
                + TIMESTAMP_RANGE + "; was " + time));
    }

    /** A key or value: a string is its UTF-8 bytes; a typed object says how to read its data. */
    private static byte[] data(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (node.isObject() && node.has("type")) {
            String type = node.get("type").asText();
            JsonNode data = node.get("data");
            if (data == null || data.isNull()) {
                return null;
            }
            switch (type) {
                case "STRING":
                    if (!data.isTextual()) {
                        throw new HttpError(400, "the " + field + "'s data must be a string for type STRING");
                    }
                    return data.asText().getBytes(StandardCharsets.UTF_8);
                case "JSON":
                    return write(data);
                case "BINARY":
                    if (!data.isTextual()) {
                        throw new HttpError(400, "the " + field + "'s data must be base64 text for type BINARY");
                    }
                    return base64(data.asText(), field);
                default:
                    break;
            }
        }
        throw new HttpError(400, "the " + field + " must be a string, null, or {\"type\": \"STRING\"|\"JSON\"|\"BINARY\","
                + " \"data\": ...}; was " + node);
    }
    // end::record-in[]

    /**
     * The text as an ISO-8601 instant a record can carry (from 1970 to the last millisecond an int64 holds), or
     * empty when it is not one: the caller refuses it, naming the forms.
     */
    static Optional<Instant> isoInstant(String text) {
        try {
            Instant instant = Instant.parse(text);
            boolean inRange = !instant.isBefore(Instant.EPOCH) && !instant.isAfter(LATEST_TIMESTAMP);
            return inRange ? Optional.of(instant) : Optional.empty();
        } catch (DateTimeParseException notIso) {
            return Optional.empty();
        }
    }

    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "the " + what + " is not valid base64: " + e.getMessage());
        }
    }

    /**
     * A record as a consumer reads it. With {@code binary} the key, value and header values are base64;
     * otherwise text, which only keeps the bytes of records that hold UTF-8.
     */
    static Map<String, Object> record(ConsumerRecord consumed, boolean binary) {
        return record(consumed.partition(), new OffsetRecord(consumed.offset(), consumed.record()), binary);
    }

    /** A record read from a partition's batches, as {@link #record(ConsumerRecord, boolean)} writes it. */
    static Map<String, Object> record(TopicPartition partition, OffsetRecord read, boolean binary) {
        Record record = read.record();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", partition.topic());
        json.put("partition", partition.partition());
        json.put("offset", read.offset());
        json.put("timestamp", record.timestamp().toEpochMilli());
        json.put("key", bytes(record.key(), binary));
        json.put("value", bytes(record.value(), binary));
        json.put("headers", headers(record.headers()));
        return json;
    }

    /** Each header as a consumer reads it: its name, and its value in base64 (null stays null). */
    static List<Map<String, Object>> headers(List<Header> headers) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Header header : headers) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("name", header.key());
            h.put("value", header.value() == null ? null : Base64.getEncoder().encodeToString(header.value()));
            json.add(h);
        }
        return json;
    }

    /**
     * Records read from a partition as one JSON list, each as {@link #record(TopicPartition, OffsetRecord, boolean)}
     * writes it, written field by field: a map per record was most of a read's work. Text that is ASCII goes out
     * from its bytes as it is; other text is decoded first, which refuses bytes that are not UTF-8. With
     * {@link RecordRoutes.Embedding#JSON} each key and value goes out as the JSON value it holds, refusing one
     * that holds none.
     */
    static byte[] records(TopicPartition partition, List<OffsetRecord> records, RecordRoutes.Embedding embedding) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + records.size() * 128);
        SerializedString topic = new SerializedString(partition.topic()); // escaped once, not once a record
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.writeStartArray();
            for (OffsetRecord read : records) {
                Record record = read.record();
                json.writeStartObject();
                json.writeFieldName(TOPIC);
                json.writeString(topic);
                json.writeFieldName(PARTITION);
                json.writeNumber(partition.partition());
                json.writeFieldName(OFFSET);
                json.writeNumber(read.offset());
                json.writeFieldName(TIMESTAMP);
                json.writeNumber(record.timestamp().toEpochMilli());
                json.writeFieldName(KEY);
                writeBytes(json, record.key(), embedding, partition, read.offset(), "key");
                json.writeFieldName(VALUE);
                writeBytes(json, record.value(), embedding, partition, read.offset(), "value");
                json.writeFieldName(HEADERS);
                json.writeStartArray();
                for (Header header : record.headers()) {
                    json.writeStartObject();
                    json.writeStringField("name", header.key());
                    json.writeStringField("value", header.value() == null ? null
                            : Base64.getEncoder().encodeToString(header.value()));
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("records write to memory, which cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeBytes(JsonGenerator json, byte[] bytes, RecordRoutes.Embedding embedding,
                                   TopicPartition partition, long offset, String field) throws IOException {
        if (bytes != null && embedding == RecordRoutes.Embedding.JSON) {
            JsonNode value = oneValue(bytes);
            if (value == null) {
                throw new HttpError(406, "the " + field + " of the record at offset " + offset + " of " + partition
                        + " is not one JSON value, which Accept: " + MediaTypes.EmbeddedFormat.JSON.v2Type() + " asks"
                        + " for; read with Accept: " + MediaTypes.EmbeddedFormat.BINARY.v2Type() + " to get base64");
            }
            json.writeTree(value);
        } else if (bytes != null && embedding == RecordRoutes.Embedding.TEXT && isAscii(bytes)) {
            json.writeUTF8String(bytes, 0, bytes.length);
        } else if (bytes != null && embedding == RecordRoutes.Embedding.BINARY) {
            // base64 straight into the reply, as Base64.getEncoder() writes it: through a String, the escaping check
            // of every character was a third of a read's time
            json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
        } else {
            json.writeString(bytes(bytes, embedding == RecordRoutes.Embedding.BINARY));
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String bytes(byte[] bytes, boolean binary) {
        if (bytes == null) {
            return null;
        }
        if (binary) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpError(406, "a record here is not UTF-8 text; read with format=binary to get base64");
        }
    }
}
