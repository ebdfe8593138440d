package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A REST Proxy v2 consumer written from the API reference alone, with nothing of the broker's: the JDK's
 * HTTP client and a JSON parser, the documented content types, and the documented sequence, create an
 * instance, subscribe, read records (keys and values in base64), commit, ask for the committed offsets,
 * delete the instance. It must read back, byte for byte, what was produced.
 */
class RestProxyV2ConsumerClientTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    /** The consumer, as a client of REST Proxy would write it. */
    static final class DocsConsumer implements AutoCloseable {
        private static final String V2 = "application/vnd.kafka.v2+json";
        private static final String BINARY = "application/vnd.kafka.binary.v2+json";
        private static final ObjectMapper JSON = new ObjectMapper();

        private final HttpClient http = HttpClient.newHttpClient();
        private final String baseUri;

        /** A consumer reading binary from the start, {@code group}'s instance {@code name}. */
        DocsConsumer(String proxy, String group, String name) throws Exception {
            JsonNode created = call("POST", proxy + "/consumers/" + group, V2, V2, "{\"name\":\"" + name
                    + "\",\"format\":\"binary\",\"auto.offset.reset\":\"earliest\",\"auto.commit.enable\":\"false\"}", 200);
            baseUri = created.get("base_uri").asText(); // every later request goes to the instance's own URI
        }

        void subscribe(String... topics) throws Exception {
            call("POST", baseUri + "/subscription", V2, V2, JSON.writeValueAsString(Map.of("topics", topics)), 204);
        }

        /** One read: each record's topic, partition, offset, and key and value decoded from base64. */
        List<Consumed> records() throws Exception {
            List<Consumed> consumed = new ArrayList<>();
            for (JsonNode record : call("GET", baseUri + "/records?timeout=1000&max_bytes=300000", BINARY, null, null, 200)) {
                consumed.add(new Consumed(record.get("topic").asText(), record.get("partition").asInt(),
                        record.get("offset").asLong(), decode(record.get("key")), decode(record.get("value"))));
            }
            return consumed;
        }

        private static String decode(JsonNode base64) {
            return base64.isNull() ? null : new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
        }

        /** Commits, for each partition, the last offset processed. */
        void commit(Map<Integer, Long> lastProcessed, String topic) throws Exception {
            List<Map<String, Object>> offsets = new ArrayList<>();
            lastProcessed.forEach((partition, offset) -> offsets.add(Map.of("topic", topic, "partition", partition,
                    "offset", offset)));
            call("POST", baseUri + "/offsets", V2, V2, JSON.writeValueAsString(Map.of("offsets", offsets)), 200);
        }

        JsonNode committed(String topic, int... partitions) throws Exception {
            List<Map<String, Object>> asked = new ArrayList<>();
            for (int partition : partitions) {
                asked.add(Map.of("topic", topic, "partition", partition));
            }
            return call("GET", baseUri + "/offsets", V2, V2, JSON.writeValueAsString(Map.of("partitions", asked)), 200)
                    .get("offsets");
        }

        @Override
        public void close() throws Exception {
            call("DELETE", baseUri, null, V2, null, 204);
        }

        private JsonNode call(String method, String uri, String accept, String contentType, String body, int expected)
                throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (accept != null) {
                request.header("Accept", accept);
            }
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + uri + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        }
    }

    record Consumed(String topic, int partition, long offset, String key, String value) {
    }

    @Test
    void a_consumer_written_to_the_docs_reads_back_what_was_produced_commits_and_leaves() throws Exception {
        var created = broker.post(RunningBroker.TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":2}");
        assertEquals(201, created.status(), created.text());
        Map<String, String> produced = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            String key = "till-" + (i % 3);
            String value = "order " + i + ": cod and chips, ünd ☕";
            produced.put(key + "/" + i, value);
            var reply = broker.post(RunningBroker.TOPICS + "/orders/records", "{\"partition_id\":" + (i % 2)
                    + ",\"key\":{\"type\":\"BINARY\",\"data\":\"" + base64(key) + "\"},\"value\":{\"type\":\"BINARY\","
                    + "\"data\":\"" + base64(value) + "\"}}");
            assertEquals(200, reply.status(), reply.text());
        }

        Map<String, String> read = new TreeMap<>();
        Map<Integer, Long> lastProcessed = new TreeMap<>();
        try (DocsConsumer consumer = new DocsConsumer(broker.address(), "kitchen", "docs_reader")) {
            consumer.subscribe("orders");
            for (int polls = 0; read.size() < produced.size() && polls < 20; polls++) {
                for (Consumed record : consumer.records()) {
                    assertEquals("orders", record.topic());
                    int i = Integer.parseInt(record.value().substring("order ".length(), record.value().indexOf(':')));
                    read.put(record.key() + "/" + i, record.value());
                    lastProcessed.merge(record.partition(), record.offset(), Math::max);
                }
            }
            assertEquals(produced, read, "every record, its key and value decoded from base64 as produced");
            assertEquals(Map.of(0, 4L, 1, 4L), lastProcessed);

            consumer.commit(lastProcessed, "orders");
            JsonNode committed = consumer.committed("orders", 0, 1);
            assertEquals(2, committed.size(), committed.toString());
            for (JsonNode entry : committed) {
                assertEquals(5, entry.get("offset").asLong(), "the group resumes after the last record processed");
            }
        }
        var gone = broker.get("/consumers/kitchen/instances/docs_reader/subscription");
        assertEquals(404, gone.status(), gone.text());
        assertTrue(broker.faults().isEmpty(), broker.faults());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
