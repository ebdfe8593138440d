package toykafka.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * REST Proxy v2's produce body read token by token, as {@link PlainProduceRequests} reads v3's: only
 * {@code {"records": [{"key": .., "value": .., "partition": ..}]}} with keys and values in base64 or null, and
 * partitions whole numbers or null. At 100-byte values the tree, its strings and the walk that checks them took
 * a third of the broker's time. Anything else (a schema field, an unknown or repeated field, text that is not
 * base64, broken JSON) gives an empty answer, and the caller reads the same bytes as a tree
 * ({@link V2ProduceRoutes}), which accepts and refuses exactly as before and words every refusal.
 */
final class PlainV2ProduceRequests {

    /** A record as the body gives it: its partition if it names one, its key and value bytes. */
    record Sent(Integer partition, byte[] key, byte[] value) {
    }

    private static final Optional<List<Sent>> NOT_PLAIN = Optional.empty();

    private PlainV2ProduceRequests() {
    }

    /** The body's records if it is plainly a binary produce of one or more records. */
    static Optional<List<Sent>> records(byte[] body) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || !"records".equals(parser.nextFieldName())
                    || parser.nextToken() != JsonToken.START_ARRAY) {
                return NOT_PLAIN;
            }
            List<Sent> records = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                Sent one = record(parser, body);
                if (one == null) {
                    return NOT_PLAIN;
                }
                records.add(one);
            }
            if (token != JsonToken.END_ARRAY || records.isEmpty() || parser.nextToken() != JsonToken.END_OBJECT
                    || parser.nextToken() != null) {
                return NOT_PLAIN;
            }
            return Optional.of(records);
        } catch (IOException | RuntimeException notPlain) {
            return NOT_PLAIN;
        }
    }

    /** The record whose START_OBJECT the parser stands on, or null when it is not plain. */
    private static Sent record(JsonParser parser, byte[] input) throws IOException {
        byte[] key = null;
        byte[] value = null;
        Integer partition = null;
        int seen = 0;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            int bit = switch (field) {
                case "value" -> 1;
                case "key" -> 2;
                case "partition" -> 4;
                default -> 0;
            };
            if (bit == 0 || (seen & bit) != 0) {
                return null; // an unknown or repeated field: the tree decides what it means
            }
            seen |= bit;
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NULL) {
                continue;
            }
            if (bit == 4) {
                if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                        || parser.getIntValue() < 0) {
                    return null;
                }
                partition = parser.getIntValue();
                continue;
            }
            if (token != JsonToken.VALUE_STRING) {
                return null;
            }
            byte[] text = PlainProduceRequests.utf8(parser, input);
            if (text == null) {
                return null;
            }
            byte[] bytes = Base64.getDecoder().decode(text); // not base64: thrown, and so not plain
            if (bit == 1) {
                value = bytes;
            } else {
                key = bytes;
            }
        }
        return parser.currentToken() == JsonToken.END_OBJECT ? new Sent(partition, key, value) : null;
    }
}
