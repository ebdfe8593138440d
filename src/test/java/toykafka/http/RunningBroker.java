package toykafka.http;

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
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import toykafka.broker.Broker;
import toykafka.broker.BrokerConfig;
import toykafka.restproxy.ConsumerInstances;

/** A broker and its HTTP front end on a free loopback port, for tests, with a small client to talk to it. */
final class RunningBroker implements AutoCloseable {

    /** A reply: status, body as JSON (null when empty or not JSON), and the raw text. */
    record Response(int status, JsonNode json, String text, HttpResponse<String> raw) {
        String error() {
            return json == null || !json.has("error") ? null : json.get("error").asText();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPICS = "/v3/clusters/toykafka/topics";

    private final BrokerConfig config;
    private final ByteArrayOutputStream faults = new ByteArrayOutputStream();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Broker broker;
    private HttpFrontEnd front;

    RunningBroker(Path dataDir, Map<String, String> settings) {
        BrokerConfig base = BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS, "0"))
                .with(BrokerConfig.DATA_DIR, dataDir);
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            base = base.with(setting.getKey(), setting.getValue());
        }
        this.config = base;
        start();
    }

    RunningBroker(Path dataDir) {
        this(dataDir, Map.of());
    }

    private void start() {
        broker = Broker.start(config);
        try {
            front = HttpFrontEnd.start(broker, new PrintStream(faults, true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            broker.close();
            throw new UncheckedIOException(e);
        }
    }

    /** Stops cleanly and starts again on the same data directory and a new port. */
    void restart() {
        close();
        start();
    }

    Broker broker() {
        return broker;
    }

    /** REST Proxy's consumer instances, which the front end keeps over the broker. */
    ConsumerInstances consumerInstances() {
        return front.consumerInstances();
    }

    String address() {
        return front.address();
    }

    /** What the front end printed about its own faults: empty unless a request hit a broker bug. */
    String faults() {
        return faults.toString(StandardCharsets.UTF_8);
    }

    /** Every file under the data directory and its size: what a refused request must leave as it was. */
    Map<String, Long> dataFiles() {
        Path dataDir = config.dataDir();
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

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body);
    }

    Response send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // some replies are several JSON objects, one per line, or plain text
            }
            return new Response(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (front != null) {
            front.close();
            front = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
