package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import toykafka.common.Errors;
import toykafka.lesson05.ConsumerRecord;

/**
 * A consumed record as REST Proxy v2 hands it to a consumer instance, in the instance's embedded format:
 * {@code topic}, {@code key}, {@code value}, {@code partition}, {@code offset}, the key and value as base64
 * (binary) or as the JSON they hold (json). This broker adds {@code timestamp} and {@code headers} (names,
 * values in base64), which REST Proxy v2 leaves out, so a client can rebuild the whole record.
 */
final class EmbeddedRecords {

    private EmbeddedRecords() {
    }

    /** The record in {@code format}; a json record whose key or value is not JSON is refused, naming where it is. */
    static Map<String, Object> of(ConsumerRecord consumed, MediaTypes.EmbeddedFormat format) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", consumed.partition().topic());
        json.put("key", embed(consumed, consumed.record().key(), "key", format));
        json.put("value", embed(consumed, consumed.record().value(), "value", format));
        json.put("partition", consumed.partition().partition());
        json.put("offset", consumed.offset());
        json.put("timestamp", consumed.record().timestamp().toEpochMilli());
        json.put("headers", Json.headers(consumed.record().headers()));
        return json;
    }

    private static Object embed(ConsumerRecord consumed, byte[] bytes, String field, MediaTypes.EmbeddedFormat format) {
        if (bytes == null) {
            return null;
        }
        if (format == MediaTypes.EmbeddedFormat.BINARY) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        JsonNode value = Json.oneValue(bytes);
        if (value == null) {
            throw notJson(consumed, field);
        }
        return value;
    }

    private static HttpError notJson(ConsumerRecord consumed, String field) {
        return new HttpError(422, Errors.INVALID_RECORD, "the record at offset " + consumed.offset() + " of "
                + consumed.partition() + " has a " + field + " that is not one JSON value, and this consumer"
                + " instance's format is json: nothing was handed out and no position moved. Read it with an instance"
                + " of format binary (base64), or move past it with POST .../positions");
    }
}
