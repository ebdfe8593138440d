package toykafka.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: a status, a body and its type, and any extra headers. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static Reply json(int status, byte[] body) {
        return new Reply(status, "application/json", body, new LinkedHashMap<>());
    }

    static Reply text(int status, String body) {
        return new Reply(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    static Reply noContent() {
        return new Reply(204, null, new byte[0], new LinkedHashMap<>());
    }

    /** The same reply with another content type, e.g. REST Proxy v2's {@code application/vnd.kafka.v2+json}. */
    Reply withType(String type) {
        return new Reply(status, type, body, headers);
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, more);
    }
}
