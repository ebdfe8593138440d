package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.http.Refusals.assertRefusedByName;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** Katar's API on the broker, behaving as its design describes, on the broker's own operations, without its faults. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KatarRoutesTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    private String create(String body) {
        var created = broker.post("/topic", body);
        assertEquals(201, created.status(), created.text());
        return created.json().get("topic").asText();
    }

    private long publish(String topic, String payload) {
        var published = broker.post("/publish", "{\"topic\":\"" + topic + "\",\"payload\":" + payload + "}");
        assertEquals(200, published.status(), published.text());
        return published.json().get("offset").asLong();
    }

    private JsonNode subscribe(String body) {
        var reply = broker.post("/subscribe", body);
        assertEquals(200, reply.status(), reply.text());
        return reply.json();
    }

    private JsonNode metadata(String topic) {
        return broker.get("/topic/" + topic).json().get("metadata");
    }

    // ---- topics ----

    @Test
    void topics_are_listed_created_and_a_taken_name_gets_the_next_free_suffix() {
        assertEquals("{\"topics\":[]}", broker.get("/topic").text(), "the broker's own __ topics are not listed");
        assertEquals("orders", create("{\"topic\":\"orders\"}"));
        assertEquals("orders__0", create("{\"topic\":\"orders\"}"));
        assertEquals("orders__1", create("{\"topic\":\"orders\"}"));
        assertEquals("{\"topics\":[\"orders\",\"orders__0\",\"orders__1\"]}", broker.get("/topic").text());
        assertEquals(1, broker.broker().describeTopic("orders__1").partitions().size(), "a Katar topic is one partition");
    }

    @Test
    void a_create_answers_with_the_topic_it_made_and_its_metadata() {
        create("{\"topic\":\"orders\"}");
        var created = broker.post("/topic", "{\"topic\":\"orders\",\"metadata\":{\"index_byte_gap\":2048}}");
        assertEquals(201, created.status());
        assertEquals("orders__0", created.json().get("topic").asText());
        assertEquals(2048, created.json().get("metadata").get("index_byte_gap").asLong());
        assertEquals(4096, metadata("orders").get("index_byte_gap").asLong(), "the taken one is untouched");
    }

    @Test
    void a_topic_made_by_the_broker_api_is_a_katar_topic_too() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"menus\",\"partitions_count\":1}").status());
        assertEquals("{\"topics\":[\"menus\"]}", broker.get("/topic").text());
        assertEquals("menus", broker.get("/topic/menus").json().get("topic").asText(), "and describing it works");
    }

    @Test
    void metadata_takes_katar_keys_and_kafka_names_put_replaces_it_and_patch_changes_some() {
        create("{\"topic\":\"orders\",\"metadata\":{\"max_segment_size\":1048576,\"index_byte_gap\":1024,"
                + "\"serializer\":\"json\",\"retention.ms\":60000}}");
        var metadata = metadata("orders");
        assertEquals(1048576, metadata.get("max_segment_size").asLong());
        assertEquals("1048576", metadata.get("segment.bytes").asText(), "the same setting under Kafka's name");
        assertEquals(1024, metadata.get("index_byte_gap").asLong());
        assertEquals("1024", metadata.get("index.interval.bytes").asText());
        assertEquals("json", metadata.get("serializer").asText());
        assertEquals("60000", metadata.get("retention.ms").asText());

        assertEquals(200, broker.send("PATCH", "/topic/orders", "{\"index_byte_gap\":2048}").status());
        metadata = metadata("orders");
        assertEquals(2048, metadata.get("index_byte_gap").asLong(), "PATCH changes the keys it sends");
        assertEquals(1048576, metadata.get("max_segment_size").asLong(), "and keeps the others");
        assertEquals("60000", metadata.get("retention.ms").asText());

        assertEquals(200, broker.send("PUT", "/topic/orders", "{\"index_byte_gap\":512}").status());
        metadata = metadata("orders");
        assertEquals(512, metadata.get("index_byte_gap").asLong());
        assertEquals(1073741824, metadata.get("max_segment_size").asLong(), "PUT sends missing keys back to defaults");
        assertEquals("604800000", metadata.get("retention.ms").asText());
    }

    @Test
    void what_get_answers_can_be_put_back_as_it_is() {
        create("{\"topic\":\"orders\",\"metadata\":{\"max_segment_size\":1048576}}");
        String described = broker.get("/topic/orders").text();
        var put = broker.send("PUT", "/topic/orders", described);
        assertEquals(200, put.status(), put.text());
        assertEquals(described, broker.get("/topic/orders").text());
        var patched = broker.send("PATCH", "/topic/orders", "{\"topic\":\"orders\",\"metadata\":{\"max_segment_size\":2097152}}");
        assertEquals(200, patched.status(), patched.text());
        assertEquals(2097152, metadata("orders").get("max_segment_size").asLong());
    }

    @Test
    void a_delete_removes_the_topic_and_its_data_and_a_new_one_of_that_name_starts_empty() {
        create("{\"topic\":\"orders\"}");
        publish("orders", "{\"order\":271}");
        Path partitionDir = broker.dataDir().resolve("orders-0");
        assertTrue(Files.isDirectory(partitionDir));

        var deleted = broker.send("DELETE", "/topic/orders", null);
        assertEquals(200, deleted.status());
        assertEquals("{\"topic\":\"orders\",\"deleted\":true}", deleted.text());
        assertEquals("{\"topics\":[]}", broker.get("/topic").text());
        assertEquals(404, broker.get("/topic/orders").status());
        assertFalse(Files.exists(partitionDir), "its data is gone from the disk");

        create("{\"topic\":\"orders\"}");
        assertEquals("{\"offset\":-1,\"log\":null}", broker.post("/subscribe", "{\"topic\":\"orders\"}").text());
    }

    // ---- publish and subscribe ----

    @Test
    void publish_answers_with_the_offset_from_0() {
        create("{\"topic\":\"orders\"}");
        var first = broker.post("/publish", "{\"topic\":\"orders\",\"payload\":{\"order\":271}}");
        assertEquals("{\"topic\":\"orders\",\"offset\":0}", first.text());
        assertEquals(1, publish("orders", "\"cod\""));
        assertEquals(2, publish("orders", "null"), "any JSON, null too");
    }

    @Test
    void subscribe_without_an_offset_reads_the_latest_record() {
        create("{\"topic\":\"orders\"}");
        publish("orders", "{\"order\":271}");
        publish("orders", "[\"cod\",\"chips\"]");
        var latest = subscribe("{\"topic\":\"orders\"}");
        assertEquals(1, latest.get("offset").asLong());
        assertEquals("[\"cod\",\"chips\"]", latest.get("log").get("payload").toString());
    }

    @Test
    void subscribe_at_an_offset_reads_that_record_in_the_shape_of_katars_own() {
        create("{\"topic\":\"orders\"}");
        publish("orders", "{\"order\":271}");
        var first = subscribe("{\"topic\":\"orders\",\"offset\":0}");
        assertEquals(0, first.get("offset").asLong());
        JsonNode log = first.get("log");
        assertEquals(List.of("base_offset", "offset", "timestamp", "payload"), fieldNames(log));
        assertEquals("{\"order\":271}", log.get("payload").toString());
        assertEquals(0, log.get("base_offset").asLong());
        assertEquals(0, log.get("offset").asLong());
        long stamped = log.get("timestamp").asLong();
        long now = System.currentTimeMillis() / 1000;
        assertTrue(stamped > now - 3600 && stamped <= now, "unix seconds, as Katar stamped them: " + stamped);
    }

    @Test
    void an_empty_topic_gives_offset_minus_1_and_past_the_end_gives_a_null_log() {
        create("{\"topic\":\"orders\"}");
        assertEquals("{\"offset\":-1,\"log\":null}", broker.post("/subscribe", "{\"topic\":\"orders\"}").text());
        assertEquals("{\"offset\":0,\"log\":null}", broker.post("/subscribe", "{\"topic\":\"orders\",\"offset\":0}").text(),
                "an empty topic has nothing at 0 either");
        publish("orders", "1");
        assertEquals("{\"offset\":1,\"log\":null}", broker.post("/subscribe", "{\"topic\":\"orders\",\"offset\":1}").text(),
                "the next offset to be written is past the end");
        assertEquals("{\"offset\":5,\"log\":null}", broker.post("/subscribe", "{\"topic\":\"orders\",\"offset\":5}").text());
    }

    @Test
    void a_record_names_its_segment_base_and_its_offset_within_it() {
        create("{\"topic\":\"orders\",\"metadata\":{\"max_segment_size\":200}}");
        for (int i = 0; i < 6; i++) {
            publish("orders", "\"order " + i + "\"");
        }
        var log = subscribe("{\"topic\":\"orders\",\"offset\":5}").get("log");
        long base = log.get("base_offset").asLong();
        assertTrue(base > 0, "small segments: offset 5 is in a later segment: " + log);
        assertEquals(5, base + log.get("offset").asLong());
        assertTrue(Files.exists(broker.dataDir().resolve("orders-0").resolve(String.format("%020d.log", base))),
                "the base offset names the segment file that holds it");
    }

    @Test
    void a_record_deleted_by_deleteRecords_is_refused_with_the_range_and_the_latest_is_still_read() {
        create("{\"topic\":\"orders\"}");
        for (int i = 0; i < 3; i++) {
            publish("orders", String.valueOf(i));
        }
        broker.post(TOPICS + "/orders/partitions/0/records:delete", "{\"before_offset\":2}");
        var gone = broker.post("/subscribe", "{\"topic\":\"orders\",\"offset\":0}");
        assertEquals(416, gone.status());
        assertEquals("OFFSET_OUT_OF_RANGE", gone.error());
        assertEquals(2, gone.json().get("log_start_offset").asLong());
        assertEquals(2, subscribe("{\"topic\":\"orders\"}").get("log").get("payload").asLong());
    }

    @Test
    void subscribe_at_an_offset_compaction_removed_reads_the_next_record_held_at_its_own_offset() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"prices\",\"configs\":[{\"name\":\"cleanup.policy\","
                + "\"value\":\"compact\"},{\"name\":\"segment.bytes\",\"value\":\"200\"}]}").status());
        for (int i = 0; i < 8; i++) { // Katar's publish has no key, which a compacted topic refuses: produce keyed
            var produced = broker.post(TOPICS + "/prices/records", "{\"key\":\"" + (i < 4 ? "cod" : "chips")
                    + "\",\"value\":\"" + i + "\"}");
            assertEquals(200, produced.status(), produced.text());
        }
        assertFalse(broker.broker().jobs().cleanLogs().isEmpty());
        JsonNode read = subscribe("{\"topic\":\"prices\",\"offset\":0}");
        assertEquals(3, read.get("offset").asLong(), "offsets 0 to 2 were older prices of cod: " + read);
        JsonNode log = read.get("log");
        assertEquals(3, log.get("base_offset").asLong() + log.get("offset").asLong(), "the record's own offset: " + log);
        assertEquals("3", log.get("payload").asText());
    }

    // ---- the same operations underneath ----

    @Test
    void one_broker_two_apis_what_one_writes_the_other_reads() {
        create("{\"topic\":\"orders\"}");
        publish("orders", "{\"order\":271}");
        var read = broker.get("/topics/orders/partitions/0/records?offset=0");
        assertEquals("{\"order\":271}", read.json().get(0).get("value").asText(), "the payload's JSON text is the value");
        assertEquals(0, read.json().get(0).get("offset").asLong());

        broker.post(TOPICS + "/orders/records", "{\"value\":{\"type\":\"JSON\",\"data\":{\"order\":9}}}");
        broker.post(TOPICS + "/orders/records", "{\"value\":\"not json\"}");
        assertEquals("{\"order\":9}", subscribe("{\"topic\":\"orders\",\"offset\":1}").get("log").get("payload").toString());
        assertEquals("\"not json\"", subscribe("{\"topic\":\"orders\"}").get("log").get("payload").toString(),
                "a value that is not JSON comes as a string");
    }

    // ---- bad input ----

    static Stream<Arguments> badRequests() {
        String big = "\"" + "x".repeat(500) + "\"";
        return Stream.of(
                // what, method, path, body, status, Kafka's error name, a word the message must contain
                Arguments.of("a subscribe to an unknown topic", "POST", "/subscribe", "{\"topic\":\"menus\"}", 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "menus"),
                Arguments.of("a publish to an unknown topic", "POST", "/publish", "{\"topic\":\"menus\",\"payload\":1}", 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "menus"),
                Arguments.of("describing an unknown topic", "GET", "/topic/menus", null, 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "menus"),
                Arguments.of("replacing an unknown topic's config", "PUT", "/topic/menus", "{}", 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "menus"),
                Arguments.of("patching an unknown topic's config", "PATCH", "/topic/menus", "{\"index_byte_gap\":1}", 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "menus"),
                Arguments.of("deleting an unknown topic", "DELETE", "/topic/menus", null, 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "menus"),
                Arguments.of("an unknown metadata key", "POST", "/topic",
                        "{\"topic\":\"menus\",\"metadata\":{\"max_segment_sise\":10}}", 400, "INVALID_REQUEST",
                        "index_byte_gap, max_segment_size and serializer"),
                Arguments.of("a metadata value out of range", "POST", "/topic",
                        "{\"topic\":\"menus\",\"metadata\":{\"max_segment_size\":3}}", 400, "INVALID_CONFIG", "segment.bytes"),
                Arguments.of("a serializer other than json", "POST", "/topic",
                        "{\"topic\":\"menus\",\"metadata\":{\"serializer\":\"pickle\"}}", 400, "INVALID_REQUEST", "json"),
                Arguments.of("metadata that is not an object", "POST", "/topic", "{\"topic\":\"menus\",\"metadata\":[1]}",
                        400, "INVALID_REQUEST", "object"),
                Arguments.of("a name that climbs out of the data directory", "POST", "/topic", "{\"topic\":\"../etc\"}",
                        400, "INVALID_TOPIC_EXCEPTION", "/"),
                Arguments.of("a create without a name", "POST", "/topic", "{\"metadata\":{}}", 400, "INVALID_REQUEST",
                        "\"topic\""),
                Arguments.of("a misspelt field", "POST", "/topic", "{\"topic\":\"menus\",\"metdata\":{}}", 400,
                        "INVALID_REQUEST", "metdata"),
                Arguments.of("a body that is not JSON", "POST", "/topic", "topic=menus", 400, "INVALID_REQUEST", "JSON"),
                Arguments.of("two names for one setting that disagree", "PATCH", "/topic/orders",
                        "{\"max_segment_size\":2097152,\"segment.bytes\":1048576}", 400, "INVALID_REQUEST", "segment.bytes"),
                Arguments.of("a put that names another topic", "PUT", "/topic/orders",
                        "{\"topic\":\"menus\",\"metadata\":{}}", 400, "INVALID_REQUEST", "renamed"),
                Arguments.of("changing the broker's own topic", "PATCH", "/topic/__consumer_offsets",
                        "{\"retention.ms\":1}", 400, "INVALID_TOPIC_EXCEPTION", "broker's own"),
                Arguments.of("deleting the broker's own topic", "DELETE", "/topic/__broker_stats", null, 400,
                        "INVALID_TOPIC_EXCEPTION", "broker's own"),
                Arguments.of("a publish without a payload", "POST", "/publish", "{\"topic\":\"orders\"}", 400,
                        "INVALID_REQUEST", "payload"),
                Arguments.of("a publish to the broker's own topic", "POST", "/publish",
                        "{\"topic\":\"__consumer_offsets\",\"payload\":1}", 400, "INVALID_TOPIC_EXCEPTION", "broker's own"),
                Arguments.of("a payload over the topic's max.message.bytes", "POST", "/publish",
                        "{\"topic\":\"tiny\",\"payload\":" + big + "}", 413, "MESSAGE_TOO_LARGE", "max.message.bytes"),
                Arguments.of("a negative offset", "POST", "/subscribe", "{\"topic\":\"orders\",\"offset\":-2}", 400,
                        "INVALID_REQUEST", "offset"),
                Arguments.of("an offset that is not a number", "POST", "/subscribe",
                        "{\"topic\":\"orders\",\"offset\":\"first\"}", 400, "INVALID_REQUEST", "offset"),
                Arguments.of("a subscribe without a topic", "POST", "/subscribe", "{\"offset\":0}", 400, "INVALID_REQUEST",
                        "\"topic\""),
                Arguments.of("a wrong method", "DELETE", "/topic", null, 405, "INVALID_REQUEST", "GET, POST"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void a_bad_request_is_refused_by_name_and_changes_nothing(String what, String method, String path, String body,
                                                             int status, String error, String mentioned) {
        create("{\"topic\":\"orders\"}");
        create("{\"topic\":\"tiny\",\"metadata\":{\"max.message.bytes\":200}}");
        publish("orders", "{\"order\":1}");
        Map<String, Long> filesBefore = broker.dataFiles();
        String topicsBefore = broker.get("/topic").text();
        String ordersBefore = broker.get("/topic/orders").text();

        var reply = broker.send(method, path, body);

        assertEquals(status, reply.status(), what + ": " + reply.text());
        assertRefusedByName(reply, what, error, mentioned);
        assertEquals(filesBefore, broker.dataFiles(), what + " changed the data directory");
        assertEquals(topicsBefore, broker.get("/topic").text(), what + " changed the topics");
        assertEquals(ordersBefore, broker.get("/topic/orders").text(), what + " changed a config");
        assertEquals(0, broker.broker().describeTopic("tiny").partitions().get(0).endOffset());
        assertEquals("", broker.faults(), "a client's mistake is no fault of the broker's");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
