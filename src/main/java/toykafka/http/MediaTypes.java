package toykafka.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import toykafka.common.Errors;

/**
 * REST Proxy v2's content types, {@code application/vnd.kafka[.<embedded format>].v2+json}: the embedded format
 * says how a key or value travels inside the JSON (binary as base64, json as JSON itself), and the Accept header
 * says which of a route's types a client takes. Schema Registry's formats (avro, protobuf, jsonschema) are named
 * and refused: this broker has no schema registry.
 */
final class MediaTypes {

    /** v2 replies that carry no records. */
    static final String V2 = "application/vnd.kafka.v2+json";
    static final String JSON = "application/json";
    private static final List<String> SCHEMA_FORMATS = List.of("avro", "protobuf", "jsonschema");

    private MediaTypes() {
    }

    /** How keys and values are embedded in a v2 body. */
    enum EmbeddedFormat {
        /** Bytes as base64 strings. */
        BINARY,
        /** JSON values embedded as themselves, stored as their JSON text. */
        JSON;

        /** {@code application/vnd.kafka.binary.v2+json} and so on. */
        String v2Type() {
            return "application/vnd.kafka." + name().toLowerCase(Locale.ROOT) + ".v2+json";
        }

        String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A format by its name (binary or json), refusing Schema Registry's by name. */
        static EmbeddedFormat named(String name, String where) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (EmbeddedFormat format : values()) {
                if (format.configValue().equals(lower)) {
                    return format;
                }
            }
            if (SCHEMA_FORMATS.contains(lower)) {
                throw schemaFormat(lower, where);
            }
            throw new HttpError(422, HttpError.INVALID_CONSUMER_CONFIG, Errors.INVALID_REQUEST, where + " '" + name
                    + "' is not a format: binary (base64) or json; avro, protobuf and jsonschema need a Schema Registry");
        }
    }

    /**
     * The embedded format a v2 request's Content-Type names; {@code fallback} when it names none
     * ({@code application/json}, {@code application/vnd.kafka.v2+json}, or no Content-Type at all).
     */
    static EmbeddedFormat requestFormat(String contentType, EmbeddedFormat fallback) {
        if (contentType == null) {
            return fallback;
        }
        String type = bare(contentType);
        if (!type.startsWith("application/vnd.kafka.")) {
            return fallback;
        }
        String[] parts = type.substring("application/vnd.kafka.".length()).split("\\.");
        if (parts.length == 2 && parts[1].equals("v2+json")) {
            return EmbeddedFormat.named(parts[0], "the Content-Type's embedded format");
        }
        if (parts.length == 1 && parts[0].equals("v2+json")) {
            return fallback;
        }
        throw new HttpError(415, "Content-Type " + type + " is not one this broker takes: "
                + "application/vnd.kafka.binary.v2+json, application/vnd.kafka.json.v2+json or application/json");
    }

    /**
     * The first of {@code offered} that the Accept header takes ({@code *}{@code /*}, {@code application/*} and
     * a missing header take any), or a 406 with {@code errorCode} naming what the route can answer in.
     */
    static String negotiate(String accept, int errorCode, String... offered) {
        if (accept == null || accept.isBlank()) {
            return offered[0];
        }
        List<String> wanted = new ArrayList<>();
        for (String entry : accept.split(",")) {
            String[] params = entry.split(";");
            boolean refused = false;
            for (int i = 1; i < params.length; i++) {
                String param = params[i].trim().replace(" ", "");
                refused |= param.equals("q=0") || param.matches("q=0\\.0*");
            }
            if (!refused) {
                wanted.add(bare(entry));
            }
        }
        for (String want : wanted) {
            for (String type : offered) {
                if (want.equals(type) || want.equals("*/*") || want.equals("application/*")) {
                    return type;
                }
            }
        }
        for (String want : wanted) {
            for (String schema : SCHEMA_FORMATS) {
                if (want.equals("application/vnd.kafka." + schema + ".v2+json")) {
                    throw new HttpError(406, errorCode, Errors.INVALID_REQUEST, "Accept: " + want + " needs a Schema"
                            + " Registry, which this broker does not have; this route answers in " + String.join(" or ", offered));
                }
            }
        }
        throw new HttpError(406, errorCode, Errors.INVALID_REQUEST, "Accept: " + accept.trim()
                + " takes none of what this route answers in: " + String.join(", ", offered));
    }

    /**
     * The embedded format the Accept header names first ({@code application/vnd.kafka.binary.v2+json} or
     * {@code application/vnd.kafka.json.v2+json}), or null when it names none, as with no header, {@code *}{@code /*}
     * or {@code application/json}. A Schema Registry format is a 406 naming what is missing.
     */
    static EmbeddedFormat acceptedFormat(String accept) {
        if (accept == null) {
            return null;
        }
        for (String entry : accept.split(",")) {
            String type = bare(entry);
            for (EmbeddedFormat format : EmbeddedFormat.values()) {
                if (type.equals(format.v2Type()) && !entry.replace(" ", "").matches(".*;q=0(\\.0*)?(;.*)?")) {
                    return format;
                }
            }
            for (String schema : SCHEMA_FORMATS) {
                if (type.equals("application/vnd.kafka." + schema + ".v2+json")) {
                    throw new HttpError(406, Errors.INVALID_REQUEST, "Accept: " + type + " needs a Schema Registry,"
                            + " which this broker does not have; ask for " + EmbeddedFormat.BINARY.v2Type() + " or "
                            + EmbeddedFormat.JSON.v2Type());
                }
            }
        }
        return null;
    }

    /** The refusal of a Schema Registry format, naming what is missing. */
    static HttpError schemaFormat(String format, String where) {
        return new HttpError(415, Errors.INVALID_REQUEST, where + " '" + format + "' needs a Schema Registry, which"
                + " this broker does not have: produce and consume binary (base64) or json instead");
    }

    private static String bare(String type) {
        return type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }
}
