package toykafka.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.console.ConsoleRoutes;
import toykafka.http.HttpFrontEnd;
import toykafka.kafka.KafkaFrontEnd;
import toykafka.restproxy.ConsumerInstances;

/**
 * A broker with the front ends a test asks for, on free loopback ports, and a small HTTP client to talk to it.
 * Tests get one from {@link StartedBroker}, or start one themselves with {@link #overHttp} or {@link #overKafka}.
 */
public final class RunningBroker implements AutoCloseable {

    /** A reply: status, body as JSON (null when empty or not JSON), and the raw text. */
    public record Response(int status, JsonNode json, String text, HttpResponse<String> raw) {
        public String error() {
            return json == null || !json.has("error") ? null : json.get("error").asText();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** A reply as a test reads it: its body parsed where it is one JSON value, else the JSON left null. */
        public static Response of(HttpResponse<String> reply) {
            JsonNode json = null;
            try {
                json = reply.body().isEmpty() ? null : JSON.readTree(reply.body());
            } catch (IOException notJson) {
                // some replies are several JSON objects, one per line, or plain text: the test reads the text
            }
            return new Response(reply.statusCode(), json, reply.body(), reply);
        }
    }

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String TOPICS = "/v3/clusters/toykafka/topics";
    /** The cluster id a broker with a Kafka front end is given, as Metadata and Admin's describeCluster report it. */
    public static final String CLUSTER_ID = "dG95a2Fma2EtdGVzdHMtMQ";

    private final Set<FrontEnd> frontEnds;
    private final boolean trace;
    private final Map<String, String> settings;
    private final Clock clock;
    private final ByteArrayOutputStream faults = new ByteArrayOutputStream();
    private final PrintStream faultLog = new PrintStream(faults, true, StandardCharsets.UTF_8);
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private BrokerConfig config;
    private Broker broker;
    private HttpFrontEnd http;
    private ConsoleRoutes console;
    private KafkaFrontEnd kafka;

    RunningBroker(Path dataDir, Set<FrontEnd> frontEnds, Map<String, String> settings, boolean trace) {
        this(dataDir, frontEnds, settings, trace, Clock.systemUTC());
    }

    /** A broker that reads the time from {@code clock}, across restarts too. */
    RunningBroker(Path dataDir, Set<FrontEnd> frontEnds, Map<String, String> settings, boolean trace, Clock clock) {
        this.clock = clock;
        this.frontEnds = frontEnds.isEmpty() ? EnumSet.noneOf(FrontEnd.class) : EnumSet.copyOf(frontEnds);
        this.trace = trace;
        Map<String, String> all = new HashMap<>(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS, "0",
                BrokerConfig.DATA_DIR, dataDir.toString()));
        if (frontEnds.contains(FrontEnd.KAFKA)) {
            all.put(BrokerConfig.KAFKA_PORT, "0");
            all.put(BrokerConfig.CLUSTER_ID, CLUSTER_ID);
        }
        all.putAll(settings);
        this.settings = all;
        this.config = BrokerConfig.of(all); // as flags, so DescribeConfigs sees them set rather than defaulted
        start();
    }

    /** A broker with its HTTP front end, in {@code dataDir}, with these settings beyond the defaults. */
    public static RunningBroker overHttp(Path dataDir, Map<String, String> settings) {
        return new RunningBroker(dataDir, Set.of(FrontEnd.HTTP), settings, false);
    }

    public static RunningBroker overHttp(Path dataDir) {
        return overHttp(dataDir, Map.of());
    }

    /** A broker with its HTTP front end serving the console too, as {@code toykafka broker} does. */
    public static RunningBroker withConsole(Path dataDir, Map<String, String> settings) {
        return new RunningBroker(dataDir, Set.of(FrontEnd.CONSOLE), settings, false);
    }

    /** As {@link #withConsole(Path, Map)}, reading the time from {@code clock}, for a test that moves it. */
    public static RunningBroker withConsole(Path dataDir, Map<String, String> settings, Clock clock) {
        return new RunningBroker(dataDir, Set.of(FrontEnd.CONSOLE), settings, false, clock);
    }

    /** A broker with its Kafka front end, which logs each request when {@code trace} is set. */
    public static RunningBroker overKafka(Path dataDir, Map<String, String> settings, boolean trace) {
        return new RunningBroker(dataDir, Set.of(FrontEnd.KAFKA), settings, trace);
    }

    public static RunningBroker overKafka(Path dataDir) {
        return overKafka(dataDir, Map.of(), false);
    }

    private void start() {
        broker = Broker.start(config, clock, events::add);
        try {
            if (frontEnds.contains(FrontEnd.CONSOLE)) {
                console = new ConsoleRoutes(broker);
                http = HttpFrontEnd.start(broker, faultLog, console);
            } else if (frontEnds.contains(FrontEnd.HTTP)) {
                http = HttpFrontEnd.start(broker, faultLog);
            }
            if (frontEnds.contains(FrontEnd.KAFKA)) {
                kafka = KafkaFrontEnd.start(broker, trace, new PrintStream(logged, true, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops cleanly and starts again on the same data directory and new ports; a broker the test stopped
     * itself, to change its files as a crash would, just starts.
     */
    public void restart() {
        close();
        start();
    }

    /** Stops cleanly and starts again on the same data directory with these settings changed, as an operator would. */
    public void restartWith(Map<String, String> changed) {
        close();
        settings.putAll(changed);
        config = BrokerConfig.of(settings);
        start();
    }

    public Broker broker() {
        return broker;
    }

    /** The console's routes, for a test that counts what they ask the broker; null without the console. */
    public ConsoleRoutes console() {
        return console;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Whether the broker serves that front end: one serving the console serves HTTP too. */
    public boolean serves(FrontEnd frontEnd) {
        return frontEnds.contains(frontEnd) || frontEnd == FrontEnd.HTTP && frontEnds.contains(FrontEnd.CONSOLE);
    }

    /** REST Proxy's consumer instances, which the HTTP front end keeps over the broker. */
    public ConsumerInstances consumerInstances() {
        return http.consumerInstances();
    }

    /** The HTTP front end's address: http://host:port. */
    public String address() {
        return http.address();
    }

    /** What the HTTP front end printed about its own faults: empty unless a request hit a broker bug. */
    public String faults() {
        return faults.toString(StandardCharsets.UTF_8);
    }

    /** The log the HTTP front end writes its faults to: the extension's own test writes one as a broker bug would. */
    PrintStream faultLog() {
        return faultLog;
    }

    public KafkaFrontEnd front() {
        return kafka;
    }

    public String host() {
        return config.host();
    }

    /** The Kafka front end's port. */
    public int port() {
        return kafka.port();
    }

    /** What a Kafka client's {@code bootstrap.servers} takes. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** What the broker told of its starts and background jobs so far, across restarts. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** What the Kafka front end logged so far. */
    public String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    /** Every file under the data directory and its size: what a refused request must leave as it was. */
    public Map<String, Long> dataFiles() {
        Path dataDir = dataDir();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            Map<String, Long> sizes = new TreeMap<>();
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                sizes.put(dataDir.relativize(path).toString(), Files.size(path));
            }
            return sizes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, String body) {
        return send("POST", path, body);
    }

    public Response send(String method, String path, String body) {
        return send(method, path, body, new String[0]);
    }

    /** As {@link #send(String, String, String)}, with these headers, name then value, after its own. */
    public Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return Response.of(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the front ends, then the broker; a broker already stopped stays stopped. */
    @Override
    public void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
