package toykafka.http;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.ListenerEndpoints;
import toykafka.restproxy.ConsumerInstances;

/**
 * The broker's HTTP front end, on Jetty's core server: it matches each request to a route and turns every
 * refusal into a 4xx with a JSON body that names the problem and Kafka's name for it ({@link Replies}).
 *
 * <p>Jetty reads headers and bodies without a thread per connection, so a client that trickles its request
 * or goes away halfway costs a connection slot, never a thread; idle connections close after
 * {@code idle.timeout.ms} (REST Proxy's name), and at most {@code max.connections} are open at once. A long
 * poll holds no thread either: its route answers with a future that the core's delayed reads complete.
 */
public final class HttpFrontEnd implements AutoCloseable {

    /** A route's work: the request in, the reply out, on one of the server's threads. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Exchange exchange) throws IOException;
    }

    /** A route that may wait (a long poll): its reply comes later, and no thread waits for it. */
    @FunctionalInterface
    public interface AsyncHandler {
        CompletableFuture<Reply> handle(Exchange exchange) throws IOException;
    }

    /**
     * A route that reads its body as it arrives and writes its reply in parts (REST Proxy v3's streaming
     * produce): it owns the request once called, and completes the stream's callback itself. Should it throw,
     * it has written nothing, and the refusal is answered as any route's.
     */
    @FunctionalInterface
    interface StreamingHandler {
        void handle(Exchange exchange, Stream stream) throws IOException;
    }

    /**
     * What a streaming route reads and writes: the request's body as it comes, the response, the callback that
     * ends the exchange, the headers every reply carries (CORS), the budget its held bytes count against, and the
     * log for the broker's own faults.
     */
    record Stream(Request request, Response response, Callback done, Map<String, String> headers,
                  BodyReader.Budget budget, PrintStream log) {
    }

    /**
     * Routes of a package above this one, served beside REST Proxy's: the console's. Whoever starts the front
     * end hands them over, so this package never names the packages that build on it.
     */
    @FunctionalInterface
    public interface Routes {
        void register(HttpFrontEnd front);
    }

    /**
     * A route: {@code handler} answers it, or, for a streaming route, {@code streaming} (and handler is null), once
     * the authorizer has allowed what {@code access} asks.
     */
    record Route(String method, String pattern, String[] parts, CrossSiteGuard.Body body, RouteAccess access,
                 AsyncHandler handler, StreamingHandler streaming) {
    }

    /** The route a request names and the variables of its path. */
    record Match(Route route, Map<String, String> variables) {
    }

    /**
     * Requests are parsed without threads; these run the routes. All start with the server, not one per early
     * request, so the broker's threads stay put while it serves.
     */
    private static final int THREADS = 64;
    /** How long a stopping front end waits for a connection to go quiet before closing it. */
    private static final long SHUTDOWN_IDLE_MILLIS = 100;
    /** Request line and headers together, as Jetty's default: a 1 MB URL or 10,000 headers is refused, 431. */
    private static final int MAX_HEADER_BYTES = 8 * 1024;

    private final Broker broker;
    private final ConsumerInstances instances;
    private final Server server;
    private final ServerConnector connector;
    private final ConnectionLimit connectionLimit;
    private final Consumer<BrokerConfig> limitChanged = this::changeLimit;
    private final List<Route> routes = new ArrayList<>();
    /** Set once the server starts: the routes are read by its threads without a lock, so none is added after. */
    private volatile boolean started;
    /** While this package's own routes register: each takes its rule from {@link RouteAccessTable}. */
    private boolean ownRoutes = true;
    /** The port bound at start, still known after close (a client told of it then meets a refused connection). */
    private int port;

    private HttpFrontEnd(Broker broker, ConsumerInstances instances, PrintStream log) {
        this.broker = broker;
        this.instances = instances;
        BrokerConfig config = broker.config();
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, THREADS);
        threads.setName("toykafka-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        // A line must end in CRLF: a bare LF is read differently by different servers, which is how requests are
        // smuggled past a proxy, so it is refused rather than guessed at.
        http.setHttpCompliance(HttpCompliance.RFC9110.without("toykafka-crlf", HttpCompliance.Violation.LF_HEADER_TERMINATION,
                HttpCompliance.Violation.LF_CHUNK_TERMINATION));
        // Routes decode each path segment themselves, so "a%2Fb" is one segment, a topic name the broker then
        // refuses by Kafka's naming rule, rather than a path Jetty refuses as ambiguous.
        http.setUriCompliance(UriCompliance.DEFAULT.with("toykafka-routes", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        // The first bytes of each connection decide: Kafka's protocol gets a log line, HTTP/2's preface a JSON
        // refusal, anything else is HTTP/1.
        this.connector = new ServerConnector(server, 1, 1,
                new DetectorConnectionFactory(new KafkaOnHttpPort(log, ListenerEndpoints.of(config).get(0).port()),
                        new Http2Preface()),
                new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.httpPort());
        connector.setIdleTimeout(config.httpIdleTimeoutMs());
        // On close, a keep-alive connection with no request on it is closed within a tenth of a second; Jetty's
        // default of a second is paid by every stop while a client holds its connection open.
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
        server.addConnector(connector);
        this.connectionLimit = new ConnectionLimit(config.maxConnections(), connector);
        server.addBean(connectionLimit);
        broker.dynamicConfigs().whenChanged(limitChanged);
        server.setErrorHandler(new JettyErrors());
        server.setHandler(new Dispatcher(this, broker, log));
        server.setStopTimeout(5_000);
    }

    /**
     * Serves the broker on its configured host and port (port 0 picks a free one), with REST Proxy's consumer
     * instances of its own over the broker's public API, and any {@code more} routes beside its own.
     */
    public static HttpFrontEnd start(Broker broker, PrintStream log, Routes... more) throws IOException {
        ConsumerInstances instances = ConsumerInstances.start(broker, log::println);
        try {
            return start(broker, instances, log, more);
        } catch (IOException | RuntimeException e) {
            instances.close();
            throw e;
        }
    }

    private static HttpFrontEnd start(Broker broker, ConsumerInstances instances, PrintStream log, Routes... more)
            throws IOException {
        HttpFrontEnd front = new HttpFrontEnd(broker, instances, log);
        front.route("GET", "/", exchange -> front.index(exchange));
        new ClusterRoutes(broker).register(front);
        new TopicRoutes(broker).register(front);
        new PartitionRoutes(broker).register(front);
        new TopicConfigRoutes(broker).register(front);
        new BrokerConfigRoutes(broker).register(front);
        new ProduceRoutes(broker).register(front);
        new RecordRoutes(broker).register(front);
        new V2TopicRoutes(broker).register(front);
        new V2ProduceRoutes(broker).register(front);
        new ConsumerRoutes(instances).register(front);
        new ConsumerGroupRoutes(broker, instances).register(front);
        new KatarRoutes(broker).register(front);
        new KafRoutes(broker).register(front);
        front.ownRoutes = false;
        for (Routes routes : more) {
            routes.register(front);
        }
        front.started = true;
        try {
            front.server.start();
            front.port = front.connector.getLocalPort();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the HTTP front end could not start on " + broker.config().host() + ":"
                    + broker.config().httpPort() + ": " + e.getMessage(), e);
        }
        return front;
    }

    /**
     * Serves {@code method pattern}, whose body, if any, is JSON; each {@code {name}} in the pattern is a path
     * variable, by that name. One of this package's routes asks the authorizer what {@link RouteAccessTable} says;
     * a route handed over from above asks nothing before it runs (give it a rule with the overload that takes one).
     */
    public void route(String method, String pattern, Handler handler) {
        route(method, pattern, CrossSiteGuard.Body.JSON, handler);
    }

    /** As {@link #route(String, String, Handler)}, asking the authorizer what {@code access} says before it runs. */
    public void route(String method, String pattern, RouteAccess access, Handler handler) {
        add(method, pattern, CrossSiteGuard.Body.JSON, access, exchange -> CompletableFuture.completedFuture(
                handler.handle(exchange)), null);
    }

    /** As {@link #routeAsync(String, String, AsyncHandler)}, asking the authorizer what {@code access} says first. */
    public void routeAsync(String method, String pattern, RouteAccess access, AsyncHandler handler) {
        add(method, pattern, CrossSiteGuard.Body.JSON, access, handler, null);
    }

    /** As {@link #route(String, String, Handler)}, for a route whose body may be what {@code body} says. */
    void route(String method, String pattern, CrossSiteGuard.Body body, Handler handler) {
        routeAsync(method, pattern, body, exchange -> CompletableFuture.completedFuture(handler.handle(exchange)));
    }

    /** As {@link #route}, for a route whose reply may come later. */
    public void routeAsync(String method, String pattern, AsyncHandler handler) {
        routeAsync(method, pattern, CrossSiteGuard.Body.JSON, handler);
    }

    /** As {@link #route}, for a route that reads its JSON body as it arrives and answers as it goes. */
    void routeStreaming(String method, String pattern, StreamingHandler handler) {
        add(method, pattern, CrossSiteGuard.Body.JSON, ruleOf(method, pattern), null, handler);
    }

    private void routeAsync(String method, String pattern, CrossSiteGuard.Body body, AsyncHandler handler) {
        add(method, pattern, body, ruleOf(method, pattern), handler, null);
    }

    private RouteAccess ruleOf(String method, String pattern) {
        return ownRoutes ? RouteAccessTable.of(method, pattern) : RouteAccess.authenticated();
    }

    private void add(String method, String pattern, CrossSiteGuard.Body body, RouteAccess access, AsyncHandler handler,
                     StreamingHandler streaming) {
        if (started) {
            throw new IllegalStateException("the route " + method + " " + pattern + " comes after the front end started");
        }
        String[] parts = pattern.substring(1).split("/");
        Set<String> names = new HashSet<>();
        for (String part : parts) {
            if (part.startsWith("{") && !names.add(variableName(part))) {
                throw new IllegalArgumentException("the route " + pattern + " names " + part + " twice");
            }
        }
        routes.add(new Route(method, pattern, parts, body, access, handler, streaming));
    }

    private static String variableName(String part) {
        return part.substring(1, part.length() - 1);
    }

    /** max.connections changes while the broker runs: Jetty's limit follows it, for connections to come. */
    private void changeLimit(BrokerConfig config) {
        connectionLimit.setMaxConnections(config.maxConnections());
    }

    /** The index page: what this broker is, and every route it serves. */
    private Reply index(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("broker", "toykafka");
        body.put("cluster_id", broker.clusterId());
        // the folder's name only: where the broker's files lie on this machine is not a client's business
        Path name = Path.of(broker.dataDir()).getFileName();
        body.put("data_dir", name == null ? "." : name.toString());
        body.put("base_uri", exchange.baseUri());
        body.put("routes", routes());
        return Reply.json(200, Json.write(body));
    }

    /** Every route, as "METHOD /path", for the index page and for learners. */
    public List<String> routes() {
        return routes.stream().map(route -> route.method() + " " + route.pattern()).toList();
    }

    /**
     * The route for a method and a raw path, with its path's variables decoded. A path some route serves
     * with other methods is a 405 naming them; a path no route serves is a 404.
     */
    Match match(String method, String rawPath) {
        // REST Proxy's own examples end some paths in a slash (POST /consumers/testgroup/): the same route
        String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        String[] segments = path.equals("/") ? new String[] {""} : path.substring(1).split("/", -1);
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> variables = variables(route, segments);
            if (variables.isEmpty()) {
                continue;
            }
            if (route.method().equals(method) || (method.equals("HEAD") && route.method().equals("GET"))) {
                return new Match(route, variables.get());
            }
            allowed.add(route.method());
        }
        if (!allowed.isEmpty()) {
            throw new HttpError(405, method + " is not allowed on " + rawPath + "; it takes " + String.join(", ", allowed));
        }
        throw new HttpError(404, "no route for " + method + " " + rawPath + "; GET / lists every route");
    }

    /** The path's variables by name if the path is this route's, else empty. */
    private static Optional<Map<String, String>> variables(Route route, String[] segments) {
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

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** The address a client uses, e.g. http://127.0.0.1:8082: links the broker hands out start with it. */
    public String address() {
        String host = broker.config().host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public String toString() {
        return "HttpFrontEnd[listening on " + broker.config().host() + "]"; // no port: a notebook shows this, the same each run
    }

    /** REST Proxy's consumer instances this front end serves: the calls its v2 consumer routes make. */
    public ConsumerInstances consumerInstances() {
        return instances;
    }

    /**
     * Answers the long polls at once, then stops, letting the requests being handled finish (up to 5 s); a
     * connection that stays quiet for a tenth of a second meanwhile is closed. The consumer instances stop
     * with it.
     */
    @Override
    public void close() {
        broker.dynamicConfigs().stopTelling(limitChanged);
        instances.close();
        broker.stopWaiting();
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort: the broker's data is safe whatever the server's threads do now
        }
    }
}
