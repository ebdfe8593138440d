package toykafka.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.common.Header;
import toykafka.common.Record;

/**
 * ProduceRequest objects read token by token, straight into records, with no tree in between: most of a batched
 * produce's time went into trees, their strings, and the strings' bytes again. Only what is plainly right is read
 * here (known fields once each, STRING, BINARY and JSON data, whole numbers, headers); for anything else, from an
 * unknown field to broken JSON, the answer is empty and the caller reads the same bytes as a tree
 * ({@link ProduceRoutes#produce}), which accepts and refuses exactly as before and words every refusal.
 */
final class PlainProduceRequests {

    private static final Optional<List<ProduceRoutes.Sent>> NOT_PLAIN = Optional.empty();
    private static final int MAX_STRING = Json.MAPPER.getFactory().streamReadConstraints().getMaxStringLength();
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long EACH_BYTE = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private PlainProduceRequests() {
    }

    /** A body that is one JSON list of ProduceRequest objects, this broker's list form: its records, if plain. */
    static Optional<List<ProduceRoutes.Sent>> list(byte[] body, int length, Instant now) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body, 0, length)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return NOT_PLAIN;
            }
            List<ProduceRoutes.Sent> sent = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                ProduceRoutes.Sent one = record(parser, body, now);
                if (one == null) {
                    return NOT_PLAIN;
                }
                sent.add(one);
            }
            if (token != JsonToken.END_ARRAY || sent.isEmpty() || parser.nextToken() != null) {
                return NOT_PLAIN;
            }
            return Optional.of(sent);
        } catch (IOException | RuntimeException notPlain) {
            return NOT_PLAIN;
        }
    }

    /** One ProduceRequest object, as the streaming produce cuts them from its body: its record, if plain. */
    static Optional<ProduceRoutes.Sent> one(byte[] object, Instant now) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(object)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            ProduceRoutes.Sent sent = record(parser, object, now);
            return sent == null || parser.nextToken() != null ? Optional.empty() : Optional.of(sent);
        } catch (IOException | RuntimeException notPlain) {
            return Optional.empty();
        }
    }

    /** The record whose START_OBJECT the parser stands on, or null when it is not plain. */
    private static ProduceRoutes.Sent record(JsonParser parser, byte[] input, Instant now) throws IOException {
        Data key = Data.NONE;
        Data value = Data.NONE;
        Long partition = null;
        Instant timestamp = now;
        List<Header> headers = List.of();
        int seen = 0;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            int bit = switch (field) {
                case "value" -> 1;
                case "key" -> 2;
                case "partition_id" -> 4;
                case "timestamp" -> 8;
                case "headers" -> 16;
                default -> 0;
            };
            if (bit == 0 || (seen & bit) != 0) {
                return null; // an unknown or repeated field: the tree decides what it means
            }
            seen |= bit;
            JsonToken token = parser.nextToken();
            switch (bit) {
                case 1 -> value = data(parser, token, input);
                case 2 -> key = data(parser, token, input);
                case 4 -> partition = partition(parser, token);
                case 8 -> timestamp = timestamp(parser, token, now);
                default -> headers = headers(parser, token, input);
            }
            if (value == null || key == null || timestamp == null || headers == null
                    || (partition != null && partition < 0)) {
                return null;
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            return null;
        }
        Record record = new Record(key.bytes, value.bytes, timestamp, headers);
        return new ProduceRoutes.Sent(new ProduceRecord(partition == null ? null : partition.intValue(), record),
                key.type, value.type);
    }

    /** A key or value and the type it is reported with; {@link #NONE} for null or absent. */
    private record Data(String type, byte[] bytes) {
        static final Data NONE = new Data(null, null);
    }

    private static Data data(JsonParser parser, JsonToken token, byte[] input) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return Data.NONE;
        }
        if (token == JsonToken.VALUE_STRING) {
            byte[] text = utf8(parser, input);
            return text == null ? null : new Data("STRING", text);
        }
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        String type = null;
        JsonToken dataToken = null;
        byte[] text = null;
        JsonNode tree = null;
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken next = parser.nextToken();
            if (field.equals("type") && type == null && next == JsonToken.VALUE_STRING) {
                type = parser.getText();
            } else if (field.equals("data") && dataToken == null) {
                dataToken = next;
                if (next == JsonToken.VALUE_STRING) {
                    text = utf8(parser, input);
                    if (text == null) {
                        return null;
                    }
                } else if (next != JsonToken.VALUE_NULL) {
                    tree = Json.wholeText(Json.MAPPER.readTree(parser), "");
                }
            } else {
                return null; // a schema's fields, a type that is not text, or a field twice
            }
        }
        if (type == null || !(type.equals("STRING") || type.equals("BINARY") || type.equals("JSON"))) {
            return null;
        }
        if (dataToken == null || dataToken == JsonToken.VALUE_NULL) {
            return new Data(type, null);
        }
        return switch (type) {
            case "STRING" -> text == null ? null : new Data(type, text);
            case "BINARY" -> text == null ? null : new Data(type, Base64.getDecoder().decode(text));
            default -> new Data(type, Json.write(tree != null ? tree
                    : new TextNode(new String(text, StandardCharsets.UTF_8))));
        };
    }

    /**
     * The UTF-8 bytes of the string the parser stands on. Printable ASCII with no escape is already its own
     * UTF-8, so it is copied from the input as it is; anything else is decoded, and null if it holds half a
     * surrogate pair (the tree refuses that by name).
     */
    private static byte[] utf8(JsonParser parser, byte[] input) throws IOException {
        int start = (int) parser.currentTokenLocation().getByteOffset() + 1; // after the opening quote
        if (start > 0 && start <= input.length && input[start - 1] == '"') {
            // past Jackson's longest string the parser's own refusal must be the answer
            int end = plainEnd(input, start, (int) Math.min(input.length, start + (long) MAX_STRING));
            if (end >= 0) {
                return Arrays.copyOfRange(input, start, end);
            }
        }
        String text = parser.getText();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return null;
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Where the string that starts at {@code from} ends (its closing quote) if it is printable ASCII with no
     * escape, else -1. Eight bytes are looked at a time: a value of a kilobyte was most of the reading.
     */
    private static int plainEnd(byte[] input, int from, int to) {
        int i = from;
        while (i + Long.BYTES <= to && !mayEnd((long) EIGHT_BYTES.get(input, i))) {
            i += Long.BYTES;
        }
        for (; i < to; i++) {
            byte b = input[i];
            if (b == '"') {
                return i;
            }
            if (b < 0x20 || b == '\\' || b > 0x7e) {
                return -1;
            }
        }
        return -1;
    }

    /** Whether any of eight bytes is a quote, a backslash, a control character, DEL or not ASCII. */
    private static boolean mayEnd(long bytes) {
        long belowSpace = (bytes - EACH_BYTE * 0x20) & ~bytes;
        return ((bytes | belowSpace | zeroByte(bytes ^ (EACH_BYTE * '"')) | zeroByte(bytes ^ (EACH_BYTE * '\\'))
                | zeroByte(bytes ^ (EACH_BYTE * 0x7f))) & HIGH_BITS) != 0;
    }

    /** Has the high bit of a byte set if the byte is zero (and, after a zero byte, maybe of others). */
    private static long zeroByte(long bytes) {
        return (bytes - EACH_BYTE) & ~bytes;
    }

    /** A partition id from 0 to Integer.MAX_VALUE; -1 when it is not one. */
    private static Long partition(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return -1L;
        }
        long id = parser.getLongValue();
        return id <= Integer.MAX_VALUE ? id : -1L;
    }

    private static Instant timestamp(JsonParser parser, JsonToken token, Instant now) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return now;
        }
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long millis = parser.getLongValue();
            return millis >= 0 ? Instant.ofEpochMilli(millis) : null;
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            return Json.isoInstant(text).orElse(null);
        }
        return null;
    }

    private static List<Header> headers(JsonParser parser, JsonToken token, byte[] input) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>();
        if (token != JsonToken.START_ARRAY) {
            return null;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            byte[] value = null;
            boolean sawValue = false;
            String field;
            while ((field = parser.nextFieldName()) != null) {
                JsonToken next = parser.nextToken();
                if (field.equals("name") && name == null && next == JsonToken.VALUE_STRING) {
                    byte[] bytes = utf8(parser, input);
                    if (bytes == null) {
                        return null;
                    }
                    name = new String(bytes, StandardCharsets.UTF_8);
                } else if (field.equals("value") && !sawValue && (next == JsonToken.VALUE_STRING
                        || next == JsonToken.VALUE_NULL)) {
                    sawValue = true;
                    if (next == JsonToken.VALUE_STRING) {
                        byte[] base64 = utf8(parser, input);
                        if (base64 == null) {
                            return null;
                        }
                        value = Base64.getDecoder().decode(base64);
                    }
                } else {
                    return null;
                }
            }
            if (name == null) {
                return null;
            }
            headers.add(new Header(name, value));
        }
        return parser.currentToken() == JsonToken.END_ARRAY ? headers : null;
    }
}
