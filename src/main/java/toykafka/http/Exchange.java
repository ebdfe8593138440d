package toykafka.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.server.Request;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AuthorizableRequestContext;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;

/**
 * One request as a route sees it: the variables of its path by the names the route's pattern gives them
 * ({@code /topics/{topic}} has {@code path("topic")}), its query, its body (read whole, within the size
 * limit, before the route runs), and who sent it: the principal authentication gave (or {@code User:ANONYMOUS})
 * with the address it came from, which the authorizer is asked about.
 */
public final class Exchange {

    private final Request request;
    private final String pattern;
    private final Map<String, String> pathVariables;
    private final Map<String, String> query;
    private final byte[] body;
    private final String baseUri;
    private final Executor executor;
    private final String clusterId;
    private final AuthorizableRequestContext context;
    private final HttpAuthorizer authorizer;

    Exchange(Request request, String pattern, Map<String, String> pathVariables, byte[] body, String baseUri,
             Executor executor, String clusterId, AuthorizableRequestContext context, HttpAuthorizer authorizer) {
        this.request = request;
        this.pattern = pattern;
        this.pathVariables = pathVariables;
        this.query = parseQuery(request.getHttpURI().getQuery());
        this.body = body;
        this.baseUri = baseUri;
        this.executor = executor;
        this.clusterId = clusterId;
        this.context = context;
        this.authorizer = authorizer;
    }

    /** Who sent the request: the Basic user, or {@code User:ANONYMOUS} when the HTTP port authenticates no one. */
    public KafkaPrincipal principal() {
        return context.principal();
    }

    /** The principal and the address it came from, as the authorizer is asked about them. */
    AuthorizableRequestContext context() {
        return context;
    }

    /**
     * Refuses the request, 403 with Kafka's authorization error naming the resource, unless its principal may do
     * {@code operation} to it; with no authorizer configured, never.
     */
    public void require(AclOperation operation, ResourceType type, String name) {
        authorizer.require(context, operation, type, name);
    }

    /**
     * Refuses the creation of {@code topic}, 403, unless the principal may CREATE on the cluster or on that topic, as
     * Kafka's CreateTopics asks.
     */
    public void requireCreate(String topic) {
        if (!authorizer.allowed(context, AclOperation.CREATE, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)) {
            authorizer.require(context, AclOperation.CREATE, ResourceType.TOPIC, topic);
        }
    }

    /** Those of {@code names} the principal may do {@code operation} to: what a list shows, as Metadata hides. */
    public List<String> authorizedOf(AclOperation operation, ResourceType type, Collection<String> names) {
        return authorizer.authorizedOf(context, operation, type, names);
    }

    String method() {
        return request.getMethod();
    }

    /** The part of the path the route's pattern names {@code {name}}, decoded. */
    public String path(String name) {
        String value = pathVariables.get(name);
        if (value == null) {
            // the route's own mistake, not the client's: a 500 that names it
            throw new NoSuchElementException("the route " + pattern + " has no path variable {" + name + "}");
        }
        return value;
    }

    /** A query parameter, or null. */
    public String query(String name) {
        return query.get(name);
    }

    public String query(String name, String fallback) {
        return query.getOrDefault(name, fallback);
    }

    /** A whole-number query parameter within a range, or the fallback when it is absent. */
    public long queryNumber(String name, long fallback, long min, long max) {
        String text = query.get(name);
        if (text == null) {
            return fallback;
        }
        return wholeNumber(text).filter(value -> value >= min && value <= max)
                .orElseThrow(() -> new HttpError(400, "query parameter " + name + "=" + text
                        + " must be a whole number from " + min + " to " + max));
    }

    /**
     * A time query parameter, in milliseconds since 1970 or as an ISO-8601 instant, or null when it is absent;
     * anything else is refused, naming both forms and their range.
     */
    public Instant queryTime(String name) {
        String text = query.get(name);
        return text == null ? null : time(name, text);
    }

    /** A time a client wrote, as {@link #queryTime} reads it; {@code name} is what the refusal calls it. */
    public static Instant time(String name, String text) {
        return wholeNumber(text).filter(millis -> millis >= 0).map(Instant::ofEpochMilli)
                .or(() -> Json.isoInstant(text))
                .orElseThrow(() -> new HttpError(400, name + " '" + text + "' must be " + Json.TIMESTAMP_RANGE));
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
        return request.getHeaders().get(name);
    }

    /** The request body, empty when there is none. */
    public byte[] body() {
        return body;
    }

    /** Where this broker's links start: its configured listener, never what a client's Host header says. */
    public String baseUri() {
        return baseUri;
    }

    /** The broker's cluster id, as Kafka's Metadata response and REST Proxy v3's paths and replies give it. */
    String clusterId() {
        return clusterId;
    }

    /** Where a route's waiting ends: the server's threads, so a reply is never built on an appender's thread. */
    Executor executor() {
        return executor;
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
