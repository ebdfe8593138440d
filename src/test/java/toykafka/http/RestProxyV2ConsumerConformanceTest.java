package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * REST Proxy v2's consumer API, one test per example of its API reference (the Consumers section of
 * docs.confluent.io/platform/current/kafka-rest/api): each sends the documented request unchanged apart
 * from host and port, and checks what the reference says of the reply, its status, its content type and
 * its fields. The Avro example is answered with the refusal the broker gives for every Schema Registry
 * format, naming what is missing. Records for the examples are produced through the v3 produce route.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RestProxyV2ConsumerConformanceTest {

    private static final String V2 = "application/vnd.kafka.v2+json";
    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    private static final String JSON = "application/vnd.kafka.json.v2+json";
    private static final String MY_CONSUMER = "/consumers/testgroup/instances/my_consumer";
    private static final String TWO_PARTITIONS = "{\"partitions\":[{\"topic\":\"test\",\"partition\":0},"
            + "{\"topic\":\"test\",\"partition\":1}]}";

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    private final HttpClient client = HttpClient.newHttpClient();

    // ---- the requests, as the reference writes them ----

    private RunningBroker.Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(broker.address() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : RunningBroker.JSON.readTree(response.body());
            return new RunningBroker.Response(response.statusCode(), json, response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private RunningBroker.Response postV2(String path, String body) {
        return send("POST", path, body, "Content-Type", V2);
    }

    private void createTopic(String name, int partitions) {
        var created = broker.post(TOPICS, "{\"topic_name\":\"" + name + "\",\"partitions_count\":" + partitions + "}");
        assertEquals(201, created.status(), created.text());
    }

    /** Produces through the v3 route: {@code key} and {@code value} are its typed data, e.g. {"type":"BINARY",...}. */
    private void produce(String topic, int partition, String key, String value) {
        var produced = broker.post(TOPICS + "/" + topic + "/records", "{\"partition_id\":" + partition
                + (key == null ? "" : ",\"key\":" + key) + ",\"value\":" + value + "}");
        assertEquals(200, produced.status(), produced.text());
    }

    private static String binary(String base64) {
        return "{\"type\":\"BINARY\",\"data\":\"" + base64 + "\"}";
    }

    private static String json(String data) {
        return "{\"type\":\"JSON\",\"data\":" + data + "}";
    }

    private void createMyConsumer(String format) {
        var created = postV2("/consumers/testgroup", "{\"name\":\"my_consumer\",\"format\":\"" + format
                + "\",\"auto.offset.reset\":\"earliest\",\"auto.commit.enable\":\"false\"}");
        assertEquals(200, created.status(), created.text());
    }

    private static void assertRefused(RunningBroker.Response reply, int status, int errorCode, String... mentioned) {
        assertEquals(status, reply.status(), reply.text());
        assertEquals(errorCode, reply.json().get("error_code").asInt(), reply.text());
        for (String word : mentioned) {
            assertTrue(reply.json().get("message").asText().contains(word), "names '" + word + "': " + reply.text());
        }
    }

    private static void assertType(String type, RunningBroker.Response reply) {
        assertEquals(type, reply.header("Content-Type").split(";")[0].trim(), reply.text());
    }

    // ---- POST /consumers/(string:group_name) ----

    @Test
    void create_example_with_the_trailing_slash_answers_the_instance_id_and_its_base_uri() {
        var created = postV2("/consumers/testgroup/", "{\"name\":\"my_consumer\",\"format\":\"binary\","
                + "\"auto.offset.reset\":\"earliest\",\"auto.commit.enable\":\"false\"}");

        assertEquals(200, created.status(), created.text());
        assertType(V2, created);
        assertEquals("my_consumer", created.json().get("instance_id").asText());
        assertEquals(broker.address() + MY_CONSUMER, created.json().get("base_uri").asText());
    }

    @Test
    void create_with_a_name_the_group_has_is_409_with_40902() {
        createMyConsumer("binary");
        assertRefused(postV2("/consumers/testgroup", "{\"name\":\"my_consumer\"}"), 409, 40902, "my_consumer");
    }

    @Test
    void create_with_an_invalid_setting_is_422_with_42204_naming_it() {
        assertRefused(postV2("/consumers/testgroup", "{\"auto.offset.reset\":\"smallest\"}"), 422, 42204,
                "auto.offset.reset", "earliest");
        assertRefused(postV2("/consumers/testgroup", "{\"format\":\"xml\"}"), 422, 42204, "xml", "binary", "json");
        assertRefused(postV2("/consumers/testgroup", "{\"auto.commit.enable\":\"maybe\"}"), 422, 42204,
                "auto.commit.enable");
        assertRefused(postV2("/consumers/testgroup", "{\"fetch.min.bytes\":\"-1\"}"), 422, 42204, "fetch.min.bytes");
        assertRefused(postV2("/consumers/testgroup", "{\"consumer.request.timeout.ms\":\"soon\"}"), 422, 42204,
                "consumer.request.timeout.ms");
    }

    @Test
    void create_with_a_schema_registry_format_is_refused_naming_the_schema_registry() {
        for (String format : List.of("avro", "protobuf", "jsonschema")) {
            assertRefused(postV2("/consumers/avrogroup", "{\"name\":\"my_avro_consumer\",\"format\":\"" + format + "\"}"),
                    422, 42204, format, "Schema Registry");
        }
    }

    // ---- DELETE /consumers/(string:group_name)/instances/(string:instance) ----

    @Test
    void delete_example_answers_204_and_then_the_instance_is_not_found_40403() {
        createMyConsumer("binary");
        var deleted = send("DELETE", MY_CONSUMER, null, "Content-Type", V2);
        assertEquals(204, deleted.status(), deleted.text());
        assertRefused(send("DELETE", MY_CONSUMER, null, "Content-Type", V2), 404, 40403, "my_consumer");
        assertRefused(send("GET", MY_CONSUMER + "/records", null, "Accept", BINARY), 404, 40403, "my_consumer");
    }

    // ---- POST and GET .../offsets ----

    @Test
    void commit_offsets_example_then_committed_offsets_example_answers_the_offsets_after_those_given() {
        createTopic("test", 2);
        for (int i = 0; i < 40; i++) {
            produce("test", i % 2, null, binary("bG9ncw=="));
            produce("test", (i + 1) % 2, null, binary("bG9ncw=="));
        }
        createMyConsumer("binary");
        assertEquals(204, postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}").status());

        var commit = postV2(MY_CONSUMER + "/offsets", "{\"offsets\":[{\"topic\":\"test\",\"partition\":0,\"offset\":20},"
                + "{\"topic\":\"test\",\"partition\":1,\"offset\":30}]}");
        assertEquals(200, commit.status(), commit.text());

        var committed = send("GET", MY_CONSUMER + "/offsets", TWO_PARTITIONS, "Content-Type", V2,
                "Accept", "application/vnd.kafka.v2+json, application/vnd.kafka+json, application/json");
        assertEquals(200, committed.status(), committed.text());
        assertType(V2, committed);
        JsonNode offsets = committed.json().get("offsets");
        assertEquals(2, offsets.size(), committed.text());
        assertEquals("{\"topic\":\"test\",\"partition\":0,\"offset\":21,\"metadata\":\"\"}", offsets.get(0).toString());
        assertEquals("{\"topic\":\"test\",\"partition\":1,\"offset\":31,\"metadata\":\"\"}", offsets.get(1).toString());
    }

    @Test
    void a_commit_of_a_partition_the_instance_does_not_own_is_committed_as_rest_proxys_consumer_commits_it() {
        // REST Proxy hands the offsets to KafkaConsumer.commitSync, which sends them whoever owns the partition
        createTopic("test", 1);
        createTopic("other", 1);
        for (int i = 0; i < 5; i++) {
            produce("other", 0, null, binary("bG9ncw=="));
        }
        createMyConsumer("binary");
        assertEquals(204, postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}").status());

        var commit = postV2(MY_CONSUMER + "/offsets", "{\"offsets\":[{\"topic\":\"other\",\"partition\":0,\"offset\":2}]}");
        assertEquals(200, commit.status(), commit.text());
        var committed = send("GET", MY_CONSUMER + "/offsets", "{\"partitions\":[{\"topic\":\"other\",\"partition\":0}]}",
                "Content-Type", V2);
        assertEquals("[{\"topic\":\"other\",\"partition\":0,\"offset\":3,\"metadata\":\"\"}]",
                committed.json().get("offsets").toString());
    }

    @Test
    void committed_offsets_answers_only_the_partitions_asked_for_and_404_40402_for_one_the_broker_lacks() {
        createTopic("test", 2);
        produce("test", 0, null, binary("bG9ncw=="));
        produce("test", 1, null, binary("bG9ncw=="));
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}");
        send("GET", MY_CONSUMER + "/records?timeout=0", null, "Accept", BINARY);
        assertEquals(200, send("POST", MY_CONSUMER + "/offsets", null).status(), "no body: the positions");

        var one = send("GET", MY_CONSUMER + "/offsets", "{\"partitions\":[{\"topic\":\"test\",\"partition\":1}]}",
                "Content-Type", V2);
        assertEquals("[{\"topic\":\"test\",\"partition\":1,\"offset\":1,\"metadata\":\"\"}]",
                one.json().get("offsets").toString());
        assertRefused(send("GET", MY_CONSUMER + "/offsets", "{\"partitions\":[{\"topic\":\"test\",\"partition\":7}]}",
                "Content-Type", V2), 404, 40402, "test", "7");
    }

    // ---- POST, GET and DELETE .../subscription ----

    @Test
    void subscribe_to_topics_example_then_subscription_example_answers_those_topics() {
        createTopic("test1", 1);
        createTopic("test2", 1);
        createMyConsumer("binary");

        var subscribed = postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test1\",\"test2\"]}");
        assertEquals(204, subscribed.status(), subscribed.text());

        var subscription = send("GET", MY_CONSUMER + "/subscription", null, "Accept", V2);
        assertEquals(200, subscription.status(), subscription.text());
        assertType(V2, subscription);
        assertEquals("{\"topics\":[\"test1\",\"test2\"]}", subscription.json().toString());
    }

    @Test
    void subscribe_to_a_pattern_example_takes_the_matching_topics_and_those_made_later() {
        createTopic("test1", 1);
        createTopic("orders", 1);
        createMyConsumer("binary");

        var subscribed = postV2(MY_CONSUMER + "/subscription", "{\"topic_pattern\":\"test.*\"}");
        assertEquals(204, subscribed.status(), subscribed.text());
        assertEquals("{\"topics\":[\"test1\"]}", send("GET", MY_CONSUMER + "/subscription", null).json().toString());

        createTopic("test2", 1);
        produce("test2", 0, null, binary("a2Fma2E="));
        assertEquals("{\"topics\":[\"test1\",\"test2\"]}", send("GET", MY_CONSUMER + "/subscription", null).json().toString(),
                "the pattern is matched again as topics come");
        JsonNode records = send("GET", MY_CONSUMER + "/records?timeout=0", null, "Accept", BINARY).json();
        assertEquals(1, records.size(), records.toString());
        assertEquals("test2", records.get(0).get("topic").asText());
    }

    @Test
    void unsubscribe_example_answers_204_and_leaves_no_topics() {
        createTopic("test1", 1);
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test1\"]}");

        var unsubscribed = send("DELETE", MY_CONSUMER + "/subscription", null,
                "Accept", "application/vnd.kafka.v2+json, application/vnd.kafka+json, application/json");
        assertEquals(204, unsubscribed.status(), unsubscribed.text());
        assertEquals("{\"topics\":[]}", send("GET", MY_CONSUMER + "/subscription", null).json().toString());
    }

    @Test
    void topics_a_pattern_and_assigned_partitions_exclude_each_other_409_with_40903() {
        createTopic("test", 2);
        createMyConsumer("binary");
        assertRefused(postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"],\"topic_pattern\":\"test.*\"}"),
                409, 40903, "topic_pattern");
        assertEquals(204, postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}").status());
        assertEquals(204, postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}").status(), "replaced: same kind");
        assertRefused(postV2(MY_CONSUMER + "/subscription", "{\"topic_pattern\":\"test.*\"}"), 409, 40903, "exclude");
        assertRefused(postV2(MY_CONSUMER + "/assignments", TWO_PARTITIONS), 409, 40903, "exclude");

        assertEquals(204, send("DELETE", MY_CONSUMER + "/subscription", null).status());
        assertEquals(204, postV2(MY_CONSUMER + "/assignments", TWO_PARTITIONS).status(), "after unsubscribing");
        assertRefused(postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}"), 409, 40903, "exclude");
    }

    // ---- POST and GET .../assignments ----

    @Test
    void assign_example_then_assignments_example_answers_those_partitions() {
        createTopic("test", 2);
        createMyConsumer("binary");

        var assigned = postV2(MY_CONSUMER + "/assignments", TWO_PARTITIONS);
        assertEquals(204, assigned.status(), assigned.text());

        var assignments = send("GET", MY_CONSUMER + "/assignments", null, "Accept", V2);
        assertEquals(200, assignments.status(), assignments.text());
        assertType(V2, assignments);
        assertEquals(TWO_PARTITIONS, assignments.json().toString());
    }

    @Test
    void an_assigned_instance_reads_and_commits_as_no_member_of_its_group() {
        createTopic("test", 2);
        produce("test", 1, null, binary("a2Fma2E="));
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/assignments", "{\"partitions\":[{\"topic\":\"test\",\"partition\":1}]}");

        JsonNode records = send("GET", MY_CONSUMER + "/records?timeout=0", null, "Accept", BINARY).json();
        assertEquals(1, records.size(), records.toString());
        assertEquals(200, send("POST", MY_CONSUMER + "/offsets", null).status());
        assertEquals(0, broker.get("/v3/clusters/toykafka/consumer-groups/testgroup/consumers").json().get("data").size(),
                "a manual assignment joins no group");
        assertEquals(1, send("GET", MY_CONSUMER + "/offsets", null).json().get("offsets").get(0).get("offset").asLong());
    }

    // ---- POST .../positions, .../positions/beginning, .../positions/end ----

    @Test
    void seek_example_moves_the_next_records_to_the_offsets_given() {
        createTopic("test", 2);
        for (int i = 0; i < 40; i++) {
            produce("test", 0, null, binary("bG9ncw=="));
            produce("test", 1, null, binary("bG9ncw=="));
        }
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/assignments", TWO_PARTITIONS);

        var sought = postV2(MY_CONSUMER + "/positions", "{\"offsets\":[{\"topic\":\"test\",\"partition\":0,\"offset\":20},"
                + "{\"topic\":\"test\",\"partition\":1,\"offset\":30}]}");
        assertEquals(204, sought.status(), sought.text());

        assertEquals(Map.of(0, 20L, 1, 30L), firstOffsets(send("GET", MY_CONSUMER + "/records?timeout=0", null,
                "Accept", BINARY).json()));
    }

    @Test
    void seek_to_beginning_example_and_seek_to_end_example_move_to_the_log_start_and_the_end() {
        createTopic("test", 2);
        for (int i = 0; i < 3; i++) {
            produce("test", 0, null, binary("bG9ncw=="));
            produce("test", 1, null, binary("bG9ncw=="));
        }
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/assignments", TWO_PARTITIONS);

        var end = postV2(MY_CONSUMER + "/positions/end", TWO_PARTITIONS);
        assertEquals(204, end.status(), end.text());
        assertEquals(0, send("GET", MY_CONSUMER + "/records?timeout=0", null, "Accept", BINARY).json().size());

        var beginning = postV2(MY_CONSUMER + "/positions/beginning", TWO_PARTITIONS);
        assertEquals(204, beginning.status(), beginning.text());
        assertEquals(Map.of(0, 0L, 1, 0L), firstOffsets(send("GET", MY_CONSUMER + "/records?timeout=0", null,
                "Accept", BINARY).json()));
    }

    @Test
    void a_seek_in_a_partition_the_instance_does_not_own_is_409_with_40903() {
        createTopic("test", 2);
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/assignments", "{\"partitions\":[{\"topic\":\"test\",\"partition\":0}]}");
        assertRefused(postV2(MY_CONSUMER + "/positions/beginning", TWO_PARTITIONS), 409, 40903, "test-1");
    }

    private static Map<Integer, Long> firstOffsets(JsonNode records) {
        Map<Integer, Long> first = new java.util.TreeMap<>();
        records.forEach(record -> first.putIfAbsent(record.get("partition").asInt(), record.get("offset").asLong()));
        return first;
    }

    // ---- GET .../records ----

    @Test
    void records_binary_example_answers_keys_and_values_in_base64() {
        createTopic("test", 3);
        produce("test", 1, binary("a2V5"), binary("Y29uZmx1ZW50"));
        produce("test", 2, binary("a2V5"), binary("a2Fma2E="));
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}");

        var records = send("GET", MY_CONSUMER + "/records?timeout=3000&max_bytes=300000", null, "Accept", BINARY);

        assertEquals(200, records.status(), records.text());
        assertType(BINARY, records);
        List<String> seen = new ArrayList<>();
        for (JsonNode record : records.json()) {
            assertEquals("test", record.get("topic").asText());
            assertEquals("a2V5", record.get("key").asText());
            assertEquals(0, record.get("offset").asLong());
            seen.add(record.get("partition").asInt() + ":" + record.get("value").asText());
        }
        assertEquals(List.of("1:Y29uZmx1ZW50", "2:a2Fma2E="), seen.stream().sorted().toList());
    }

    @Test
    void records_json_example_answers_keys_and_values_as_embedded_json() {
        createTopic("test", 3);
        produce("test", 1, json("\"somekey\""), json("{\"foo\":\"bar\"}"));
        produce("test", 2, json("\"somekey\""), json("[\"foo\",\"bar\"]"));
        assertEquals(200, postV2("/consumers/jsongroup", "{\"name\":\"my_json_consumer\",\"format\":\"json\","
                + "\"auto.offset.reset\":\"earliest\"}").status());
        String base = "/consumers/jsongroup/instances/my_json_consumer";
        postV2(base + "/subscription", "{\"topics\":[\"test\"]}");

        var records = send("GET", base + "/records?timeout=3000&max_bytes=300000", null, "Accept", JSON);

        assertEquals(200, records.status(), records.text());
        assertType(JSON, records);
        List<String> seen = new ArrayList<>();
        for (JsonNode record : records.json()) {
            assertEquals("somekey", record.get("key").textValue());
            seen.add(record.get("partition").asInt() + ":" + record.get("value"));
        }
        assertEquals(List.of("1:{\"foo\":\"bar\"}", "2:[\"foo\",\"bar\"]"), seen.stream().sorted().toList());
    }

    @Test
    void records_avro_example_is_refused_naming_the_schema_registry() {
        createTopic("test", 1);
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}");
        assertRefused(send("GET", MY_CONSUMER + "/records?timeout=3000&max_bytes=300000", null,
                "Accept", "application/vnd.kafka.avro.v2+json"), 406, 40601, "Schema Registry");
    }

    @Test
    void an_accept_header_of_another_format_than_the_instances_is_406_with_40601() {
        createTopic("test", 1);
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}");
        assertRefused(send("GET", MY_CONSUMER + "/records", null, "Accept", JSON), 406, 40601, "binary");
        assertRefused(send("GET", MY_CONSUMER + "/records?format=text", null), 406, 40601, "binary");
        var anyType = send("GET", MY_CONSUMER + "/records?timeout=0", null);
        assertEquals(200, anyType.status(), anyType.text());
        assertType(BINARY, anyType);
    }

    @Test
    void a_value_that_is_not_json_is_refused_to_a_json_instance_and_nothing_is_lost() {
        createTopic("test", 1);
        produce("test", 0, null, binary("bm90IGpzb24=")); // "not json"
        assertEquals(200, postV2("/consumers/jsongroup", "{\"name\":\"j\",\"format\":\"json\","
                + "\"auto.offset.reset\":\"earliest\"}").status());
        String base = "/consumers/jsongroup/instances/j";
        postV2(base + "/subscription", "{\"topics\":[\"test\"]}");

        assertRefused(send("GET", base + "/records?timeout=0", null, "Accept", JSON), 422, 422, "offset 0", "not one JSON value");
        assertRefused(send("GET", base + "/records?timeout=0", null, "Accept", JSON), 422, 422, "offset 0");
        assertEquals(200, send("POST", base + "/offsets", null).status());
        assertEquals(0, send("GET", base + "/offsets", null).json().get("offsets").get(0).get("offset").asLong(),
                "the position stayed before the record not handed out");
    }

    @Test
    void max_bytes_bounds_the_keys_and_values_of_a_poll_and_always_takes_one_record() {
        createTopic("test", 1);
        produce("test", 0, null, binary("Y29uZmx1ZW50")); // 9 bytes
        produce("test", 0, null, binary("Y29uZmx1ZW50"));
        createMyConsumer("binary");
        postV2(MY_CONSUMER + "/subscription", "{\"topics\":[\"test\"]}");
        assertEquals(1, send("GET", MY_CONSUMER + "/records?timeout=0&max_bytes=10", null).json().size());
        assertEquals(1, send("GET", MY_CONSUMER + "/records?timeout=0&max_bytes=1", null).json().size(),
                "a record larger than max_bytes still comes, alone");
    }

    // ---- consumer.instance.timeout.ms ----

    @Test
    void an_instance_lives_for_consumer_instance_timeout_ms_without_a_call_five_minutes_unless_set() throws Exception {
        assertEquals(300_000, BrokerConfig.of(Map.of()).consumerInstanceTimeoutMs(), "REST Proxy's default");
        broker.restartWith(Map.of(BrokerConfig.CONSUMER_INSTANCE_TIMEOUT_MS, "1"));
        createMyConsumer("binary");
        Thread.sleep(10); // longer than the instance's 1 ms without a call
        assertRefused(send("GET", MY_CONSUMER + "/subscription", null), 404, 40403, "my_consumer");
    }
}
