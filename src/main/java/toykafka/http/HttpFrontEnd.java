package toykafka.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import toykafka.broker.Broker;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetOutOfRangeException;

/**
 * The broker's HTTP front end, on the JDK's own HTTP server: it matches each request to a route, runs
 * it on a pool of threads (a long poll holds one while it waits), and turns every refusal into a 4xx
 * with a JSON body that names the problem and Kafka's name for it. Only the broker's own faults are
 * a 500, and those name themselves too.
 */
public final class HttpFrontEnd implements AutoCloseable {

    /** A route's work: the request in, the reply out. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Exchange exchange) throws IOException;
    }

    private record Route(String method, String pattern, String[] parts, Handler handler) {
    }

    static {
        // Replies go out at once rather than waiting on Nagle's algorithm, which with the client's delayed
        // acknowledgements cost each small request 40 ms. The JDK's server reads this once, when first used.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Long polls each hold a thread, so there are enough for many waiting readers and the writers too. */
    private static final int THREADS = 64;

    private final Broker broker;
    private final HttpServer server;
    private final ExecutorService workers;
    private final PrintStream faults;
    private final List<Route> routes = new ArrayList<>();

    private HttpFrontEnd(Broker broker, HttpServer server, PrintStream faults) {
        this.broker = broker;
        this.server = server;
        this.faults = faults;
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "toykafka-http-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.prestartAllCoreThreads(); // all at once, not one per early request: the broker's threads stay put
        this.workers = pool;
    }

    /** Serves the broker on its configured host and port (port 0 picks a free one). */
    public static HttpFrontEnd start(Broker broker, PrintStream faults) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(broker.config().host(), broker.config().httpPort()), 128);
        HttpFrontEnd front = new HttpFrontEnd(broker, server, faults);
        front.route("GET", "/", exchange -> front.index());
        new TopicRoutes(broker).register(front);
        new RecordRoutes(broker).register(front);
        new ConsumerRoutes(broker).register(front);
        new KatarRoutes(broker).register(front);
        new KafRoutes(broker).register(front);
        server.createContext("/", front::serve);
        server.setExecutor(front.workers);
        server.start();
        return front;
    }

    /** Serves {@code method pattern}; each {@code {name}} in the pattern is a path variable, by that name. */
    void route(String method, String pattern, Handler handler) {
        String[] parts = pattern.substring(1).split("/");
        Set<String> names = new HashSet<>();
        for (String part : parts) {
            if (part.startsWith("{") && !names.add(variableName(part))) {
                throw new IllegalArgumentException("the route " + pattern + " names " + part + " twice");
            }
        }
        routes.add(new Route(method, pattern, parts, handler));
    }

    private static String variableName(String part) {
        return part.substring(1, part.length() - 1);
    }

    /** The index page: what this broker is, and every route it serves. */
    private Reply index() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("broker", "toykafka");
        body.put("cluster_id", TopicRoutes.CLUSTER);
        body.put("data_dir", broker.dataDir());
        body.put("routes", routes());
        return Reply.json(200, Json.write(body));
    }

    /** Every route, as "METHOD /path", for the index page and for learners. */
    public List<String> routes() {
        return routes.stream().map(route -> route.method() + " " + route.pattern()).toList();
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address a client uses, e.g. http://127.0.0.1:8082. */
    public String address() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private void serve(HttpExchange exchange) {
        Reply reply;
        try {
            reply = dispatch(exchange);
        } catch (HttpError e) {
            reply = error(e.status(), e.error(), e.getMessage());
        } catch (OffsetOutOfRangeException e) {
            // the valid range as numbers too, so a client can move to it without reading the message
            reply = error(416, e.error(), e.getMessage(), Json.fields("requested", e.requested(),
                    "log_start_offset", e.logStartOffset(), "log_end_offset", e.logEndOffset()));
        } catch (ApiException e) {
            reply = error(HttpError.statusOf(e.error()), e.error(), e.getMessage());
        } catch (JsonProcessingException e) {
            reply = error(400, Errors.INVALID_REQUEST, "the body is not the JSON this route takes: "
                    + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            reply = error(400, Errors.INVALID_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            reply = error(409, Errors.INVALID_REQUEST, e.getMessage());
        } catch (IOException | RuntimeException | Error e) {
            // An Error too (a class missing from the classpath, a stack overflow): the JDK's server would leave
            // the request unanswered, and its client waiting for a reply that never comes.
            faults.println("toykafka broker: fault while serving " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI() + ":");
            e.printStackTrace(faults);
            reply = error(500, Errors.UNKNOWN_SERVER_ERROR, "the broker failed while serving this request ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); nothing acknowledged was lost,"
                    + " and the broker's log has the details");
        }
        send(exchange, reply);
    }

    private Reply dispatch(HttpExchange exchange) throws IOException {
        String rawPath = exchange.getRequestURI().getRawPath();
        String[] segments = rawPath.equals("/") ? new String[] {""} : rawPath.substring(1).split("/", -1);
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> variables = match(route, segments);
            if (variables.isEmpty()) {
                continue;
            }
            if (!route.method().equals(exchange.getRequestMethod())) {
                allowed.add(route.method());
                continue;
            }
            return route.handler().handle(new Exchange(exchange, route.pattern(), variables.get(),
                    broker.config().requestMaxBytes()));
        }
        if (!allowed.isEmpty()) {
            throw new HttpError(405, exchange.getRequestMethod() + " is not allowed on " + rawPath + "; it takes "
                    + String.join(", ", allowed));
        }
        throw new HttpError(404, "no route for " + exchange.getRequestMethod() + " " + rawPath
                + "; GET / lists every route");
    }

    /** The path's variables by name if the path is this route's, else empty. */
    private static Optional<Map<String, String>> match(Route route, String[] segments) {
        if (route.parts().length != segments.length) {
            return Optional.empty();
        }
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < segments.length; i++) {
            String part = route.parts()[i];
            String segment = URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            if (part.startsWith("{")) {
                variables.put(variableName(part), segment);
            } else if (!part.equals(segment)) {
                return Optional.empty();
            }
        }
        return Optional.of(variables);
    }

    private static Reply error(int status, Errors error, String message) {
        return error(status, error, message, Map.of());
    }

    private static Reply error(int status, Errors error, String message, Map<String, Object> more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", status);
        body.put("error", error.name());
        body.put("kafka_error_code", error.code());
        body.put("retriable", error.retriable());
        body.put("message", message);
        body.putAll(more);
        return Reply.json(status, Json.write(body));
    }

    private void send(HttpExchange exchange, Reply reply) {
        try (exchange) {
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            boolean empty = reply.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), empty ? -1 : reply.body().length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (IOException e) {
            // the client went away before the reply: what it asked for is done or refused all the same
        }
    }

    @Override
    public String toString() {
        return "HttpFrontEnd[listening on " + server.getAddress().getHostString() + "]";
    }

    /** Stops taking requests, answers the long polls at once, and lets the requests in flight finish. */
    @Override
    public void close() {
        server.stop(0);
        broker.stopWaiting();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
