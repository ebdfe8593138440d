package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import toykafka.common.Header;
import toykafka.common.Record;

/**
 * Records of random bytes and their JSON both ways: out as a produce request's {@code {"type": "BINARY"}}
 * keys and values, back from a {@code format=binary} read. What goes out and comes back are compared as
 * {@link Record}s, whose equality is byte for byte.
 */
final class BinaryRecords {

    private static final String[] HEADER_NAMES = {"trace", "till", "crc", "smörgås", ""};
    private static final Instant SOME_TIME = Instant.parse("2026-03-01T12:00:00Z");

    private BinaryRecords() {
    }

    /**
     * A record of random bytes: a key of 8 to 24 bytes or none, a value of any length from 0 or none, up to
     * three headers. Either its key or its value has 8 random bytes or more, so no two are alike.
     */
    static Record random(Random random) {
        byte[] key = random.nextInt(8) == 0 ? null : bytes(random, 8 + random.nextInt(17));
        byte[] value;
        if (key == null) {
            value = bytes(random, 8 + random.nextInt(600));
        } else {
            value = random.nextInt(10) == 0 ? null : bytes(random, random.nextInt(600));
        }
        List<Header> headers = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            String name = HEADER_NAMES[random.nextInt(HEADER_NAMES.length)];
            headers.add(new Header(name, random.nextInt(6) == 0 ? null : bytes(random, random.nextInt(20))));
        }
        Instant timestamp = SOME_TIME.plusMillis(random.nextInt(86_400_000));
        return new Record(key, value, timestamp, headers);
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The record as a produce request carries it, to the partition given or, with null, the partitioner's. */
    static Map<String, Object> toJson(Integer partition, Record record) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (partition != null) {
            json.put("partition_id", partition);
        }
        json.put("key", binary(record.key()));
        json.put("value", binary(record.value()));
        List<Map<String, Object>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("name", header.key());
            h.put("value", base64(header.value()));
            headers.add(h);
        }
        json.put("headers", headers);
        json.put("timestamp", record.timestamp().toEpochMilli());
        return json;
    }

    private static Object binary(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        typed.put("type", "BINARY");
        typed.put("data", base64(bytes));
        return typed;
    }

    /** A record as a {@code format=binary} read returns it. */
    static Record fromJson(JsonNode json) {
        List<Header> headers = new ArrayList<>();
        for (JsonNode header : json.get("headers")) {
            headers.add(new Header(header.get("name").asText(), unbase64(header.get("value"))));
        }
        return new Record(unbase64(json.get("key")), unbase64(json.get("value")),
                Instant.ofEpochMilli(json.get("timestamp").asLong()), headers);
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] unbase64(JsonNode node) {
        return node == null || node.isNull() ? null : Base64.getDecoder().decode(node.asText());
    }

    /** A short description of a record for failure messages: its key, and its sizes and time. */
    static String describe(Record record) {
        return "{key " + base64(record.key()) + ", value of " + (record.value() == null ? "null" : record.value().length
                + " bytes") + ", " + record.headers().size() + " headers, " + record.timestamp() + "}";
    }
}
