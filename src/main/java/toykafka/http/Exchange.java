package toykafka.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import toykafka.common.Errors;

/**
 * One request as a route sees it: the variables of its path by the names the route's pattern gives them
 * ({@code /topics/{topic}} has {@code path("topic")}), its query, its body (read within the size limit).
 */
final class Exchange {

    private final HttpExchange exchange;
    private final String pattern;
    private final Map<String, String> pathVariables;
    private final Map<String, String> query;
    private final int maxBodyBytes;
    private byte[] body;

    Exchange(HttpExchange exchange, String pattern, Map<String, String> pathVariables, int maxBodyBytes) {
        this.exchange = exchange;
        this.pattern = pattern;
        this.pathVariables = pathVariables;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        this.maxBodyBytes = maxBodyBytes;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** The part of the path the route's pattern names {@code {name}}, decoded. */
    String path(String name) {
        String value = pathVariables.get(name);
        if (value == null) {
            // the route's own mistake, not the client's: a 500 that names it
            throw new NoSuchElementException("the route " + pattern + " has no path variable {" + name + "}");
        }
        return value;
    }

    /** A query parameter, or null. */
    String query(String name) {
        return query.get(name);
    }

    String query(String name, String fallback) {
        return query.getOrDefault(name, fallback);
    }

    /** A whole-number query parameter within a range, or the fallback when it is absent. */
    long queryNumber(String name, long fallback, long min, long max) {
        String text = query.get(name);
        if (text == null) {
            return fallback;
        }
        return wholeNumber(text).filter(value -> value >= min && value <= max)
                .orElseThrow(() -> new HttpError(400, "query parameter " + name + "=" + text
                        + " must be a whole number from " + min + " to " + max));
    }

    /** The text as a whole number, or empty when it is not one: the caller refuses it, naming its range. */
    static Optional<Long> wholeNumber(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException notNumber) {
            return Optional.empty();
        }
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The request body; refuses one larger than the limit without keeping it. */
    byte[] body() throws IOException {
        if (body == null) {
            String declared = header("Content-Length");
            long length = -1;
            if (declared != null) {
                try {
                    length = Long.parseLong(declared.trim());
                } catch (NumberFormatException e) {
                    throw new HttpError(400, "Content-Length '" + declared + "' is not a number");
                }
            }
            try (InputStream in = exchange.getRequestBody()) {
                if (length > maxBodyBytes) {
                    throw tooLarge(in);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    if (out.size() + n > maxBodyBytes) {
                        throw tooLarge(in);
                    }
                    out.write(chunk, 0, n);
                }
                body = out.toByteArray();
            }
        }
        return body;
    }

    /**
     * Refuses a body over the limit. The rest of it is read and dropped first, up to a bound, so that the
     * client, still sending, gets to read the refusal instead of a broken connection.
     */
    private HttpError tooLarge(InputStream in) throws IOException {
        byte[] drop = new byte[64 * 1024];
        long dropped = 0;
        int n;
        while (dropped < 16L * maxBodyBytes && (n = in.read(drop)) > 0) {
            dropped += n;
        }
        return new HttpError(413, Errors.MESSAGE_TOO_LARGE, "the request body is larger than socket.request.max.bytes="
                + maxBodyBytes + " bytes; send fewer or smaller records per request");
    }

    String baseUri() {
        String host = header("Host");
        return "http://" + (host != null ? host : exchange.getLocalAddress().getHostString() + ":"
                + exchange.getLocalAddress().getPort());
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(name, value);
        }
        return query;
    }
}
