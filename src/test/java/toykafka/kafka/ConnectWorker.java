package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import toykafka.apachekafka.FreePorts;

/**
 * A Kafka Connect 4.4 worker in distributed mode ({@code ConnectDistributed} with a properties file) in a JVM of its
 * own, on Kafka Connect's own jars, and its REST API. Its internal topics and group are named after it; it finds
 * the tests' connectors by their ServiceLoader manifests, not by scanning the class path, which is faster.
 */
final class ConnectWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI rest;
    private final ChildProcess.Running jvm;

    private ConnectWorker(URI rest, ChildProcess.Running jvm) {
        this.rest = rest;
        this.jvm = jvm;
    }

    /**
     * Starts a worker whose group is {@code name} and internal topics {@code name-configs}, {@code name-offsets} and
     * {@code name-status}, with {@code settings} (bootstrap, security) over the defaults here.
     */
    static ConnectWorker start(Path folder, String name, Map<String, String> settings) {
        int port = FreePorts.run(1);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("group.id", name);
        properties.put("config.storage.topic", name + "-configs");
        properties.put("offset.storage.topic", name + "-offsets");
        properties.put("status.storage.topic", name + "-status");
        properties.put("config.storage.replication.factor", "1");
        properties.put("offset.storage.replication.factor", "1");
        properties.put("status.storage.replication.factor", "1");
        // fewer than Connect's 25 and 5: each partition is one more to read to the end at start
        properties.put("offset.storage.partitions", "2");
        properties.put("status.storage.partitions", "1");
        properties.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        properties.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        properties.put("offset.flush.interval.ms", "500");
        properties.put("listeners", "http://127.0.0.1:" + port);
        properties.put("plugin.discovery", "service_load");
        properties.putAll(settings);
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve(name + ".properties");
            Files.writeString(file, properties.entrySet().stream().map(entry -> entry.getKey() + "="
                    + entry.getValue().replace("\\", "\\\\")).collect(Collectors.joining("\n", "", "\n")));
            return new ConnectWorker(URI.create("http://127.0.0.1:" + port), ChildJvm.start(
                    ChildJvm.kafkaConnectClassPath(), "org.apache.kafka.connect.cli.ConnectDistributed",
                    List.of(file.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the herder has joined its group and answers {@code GET /connectors}; fails if the JVM exits. */
    void awaitReady(Duration limit) throws InterruptedException {
        awaitRest("GET /connectors", () -> get("/connectors"), reply -> reply.statusCode() == 200, limit);
    }

    /** The answer to {@code GET path}, or null while nothing listens yet. */
    HttpResponse<String> get(String path) throws InterruptedException {
        return send(HttpRequest.newBuilder(rest.resolve(path)).GET());
    }

    /** {@code GET /connectors}: the connectors' names, sorted. */
    List<String> connectors() throws InterruptedException {
        HttpResponse<String> reply = get("/connectors");
        List<String> names = new ArrayList<>();
        json(reply.body()).forEach(name -> names.add(name.asText()));
        return names.stream().sorted().toList();
    }

    /** {@code POST /connectors} of a connector with {@code config}; returns the answer's JSON. */
    JsonNode create(String connector, Map<String, String> config) throws InterruptedException {
        try {
            String body = JSON.writeValueAsString(Map.of("name", connector, "config", config));
            HttpResponse<String> reply = send(HttpRequest.newBuilder(rest.resolve("/connectors"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            if (reply == null || reply.statusCode() != 201) {
                fail("POST /connectors answered " + (reply == null ? "nothing" : reply.statusCode() + " "
                        + reply.body()) + "\n" + log());
            }
            return JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code GET /connectors/connector/status} shows the connector and its tasks in {@code state},
     * and returns that status.
     */
    JsonNode awaitStatus(String connector, String state, Duration limit) throws InterruptedException {
        Predicate<HttpResponse<String>> inState = reply -> {
            if (reply.statusCode() != 200) {
                return false;
            }
            JsonNode status = json(reply.body());
            return status.path("connector").path("state").asText().equals(state) && !status.path("tasks").isEmpty()
                    && status.path("tasks").findValuesAsText("state").stream().allMatch(state::equals);
        };
        String path = "/connectors/" + connector + "/status";
        return json(awaitRest("GET " + path, () -> get(path), inState, limit).body());
    }

    /** What the worker logged so far (SLF4J's simple logger writes to standard error). */
    String log() {
        return jvm.errors();
    }

    /** Waits until the worker's log passes {@code condition}; fails if the JVM exits first. */
    String awaitLog(String what, Predicate<String> condition, Duration limit) throws InterruptedException {
        return jvm.awaitErrors(what, condition, limit);
    }

    boolean alive() {
        return jvm.alive();
    }

    @Override
    public void close() {
        jvm.close();
    }

    private interface Call {
        HttpResponse<String> make() throws InterruptedException;
    }

    private HttpResponse<String> awaitRest(String what, Call call, Predicate<HttpResponse<String>> done,
                                           Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline && jvm.alive()) {
            HttpResponse<String> reply = call.make();
            if (reply != null && done.test(reply)) {
                return reply;
            }
            last = reply == null ? last : reply;
            Thread.sleep(100);
        }
        fail(what + " never as awaited; last answer " + (last == null ? "none" : last.statusCode() + " "
                + last.body()) + "\n" + jvm.describe());
        return null;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws InterruptedException {
        try {
            return HTTP.send(request.header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            return null; // the worker's REST server is not up yet
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
