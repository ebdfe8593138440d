package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.http.RunningBroker.TOPICS;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Katar's API on the broker, behaving as its design describes, and without its faults. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KatarRoutesTest {

    @TempDir
    Path dataDir;
    RunningBroker broker;

    @BeforeEach
    void start() {
        broker = new RunningBroker(dataDir);
    }

    @AfterEach
    void stop() {
        broker.close();
        assertEquals("", broker.faults());
    }

    @Test
    void topics_are_listed_created_and_a_taken_name_gets_the_next_free_suffix() {
        assertEquals("{\"topics\":[]}", broker.get("/topic").text(), "the broker's own topics are not Katar's");
        assertEquals("orders", broker.post("/topic", "{\"topic\":\"orders\"}").json().get("topic").asText());
        assertEquals("orders__0", broker.post("/topic", "{\"topic\":\"orders\"}").json().get("topic").asText());
        assertEquals("orders__1", broker.post("/topic", "{\"topic\":\"orders\"}").json().get("topic").asText());
        assertEquals("{\"topics\":[\"orders\",\"orders__0\",\"orders__1\"]}", broker.get("/topic").text());
    }

    @Test
    void metadata_takes_katar_keys_and_kafka_names_put_replaces_it_and_patch_changes_some() {
        var created = broker.post("/topic", "{\"topic\":\"orders\",\"metadata\":{\"max_segment_size\":1048576,"
                + "\"index_byte_gap\":1024,\"retention.ms\":60000}}");
        assertEquals(201, created.status(), created.text());
        var metadata = broker.get("/topic/orders").json().get("metadata");
        assertEquals(1048576, metadata.get("max_segment_size").asLong());
        assertEquals("1048576", metadata.get("segment.bytes").asText(), "the same setting under Kafka's name");
        assertEquals(1024, metadata.get("index_byte_gap").asLong());
        assertEquals("60000", metadata.get("retention.ms").asText());

        broker.send("PATCH", "/topic/orders", "{\"index_byte_gap\":2048}");
        metadata = broker.get("/topic/orders").json().get("metadata");
        assertEquals(2048, metadata.get("index_byte_gap").asLong(), "PATCH changes the keys it sends");
        assertEquals(1048576, metadata.get("max_segment_size").asLong(), "and keeps the others");

        broker.send("PUT", "/topic/orders", "{\"index_byte_gap\":512}");
        metadata = broker.get("/topic/orders").json().get("metadata");
        assertEquals(512, metadata.get("index_byte_gap").asLong());
        assertEquals(1073741824, metadata.get("max_segment_size").asLong(), "PUT sends missing keys back to defaults");
        assertEquals("604800000", metadata.get("retention.ms").asText());
    }

    @Test
    void publish_and_subscribe_read_the_latest_record_an_offset_an_empty_topic_and_past_the_end() {
        broker.post("/topic", "{\"topic\":\"orders\"}");
        assertEquals("{\"offset\":-1,\"log\":null}", broker.post("/subscribe", "{\"topic\":\"orders\"}").text(),
                "an empty topic has no latest record");
        assertEquals(0, broker.post("/publish", "{\"topic\":\"orders\",\"payload\":{\"order\":271}}").json().get("offset").asLong());
        assertEquals(1, broker.post("/publish", "{\"topic\":\"orders\",\"payload\":[\"cod\",\"chips\"]}").json().get("offset").asLong());

        var latest = broker.post("/subscribe", "{\"topic\":\"orders\"}").json();
        assertEquals(1, latest.get("offset").asLong(), "no offset: the latest record");
        assertEquals("[\"cod\",\"chips\"]", latest.get("log").get("payload").toString());
        var first = broker.post("/subscribe", "{\"topic\":\"orders\",\"offset\":0}").json();
        assertEquals("{\"order\":271}", first.get("log").get("payload").toString());
        assertEquals(0, first.get("log").get("base_offset").asLong());
        assertEquals(0, first.get("log").get("offset").asLong());
        assertTrue(first.get("log").get("timestamp").asLong() > 1_700_000_000L, "unix seconds, as Katar stamped them");
        assertEquals("{\"offset\":5,\"log\":null}", broker.post("/subscribe", "{\"topic\":\"orders\",\"offset\":5}").text());
    }

    @Test
    void a_record_names_its_segment_base_and_its_offset_within_it() {
        broker.post("/topic", "{\"topic\":\"orders\",\"metadata\":{\"max_segment_size\":200}}");
        for (int i = 0; i < 6; i++) {
            broker.post("/publish", "{\"topic\":\"orders\",\"payload\":\"order " + i + "\"}");
        }
        var log = broker.post("/subscribe", "{\"topic\":\"orders\",\"offset\":5}").json().get("log");
        assertTrue(log.get("base_offset").asLong() > 0, "small segments: offset 5 is in a later segment: " + log);
        assertEquals(5, log.get("base_offset").asLong() + log.get("offset").asLong());
    }

    @Test
    void a_delete_removes_the_topic_and_the_same_api_reads_what_the_broker_api_wrote() {
        broker.post("/topic", "{\"topic\":\"orders\"}");
        broker.post(TOPICS + "/orders/records", "{\"value\":{\"type\":\"JSON\",\"data\":{\"order\":9}}}");
        assertEquals("{\"order\":9}", broker.post("/subscribe", "{\"topic\":\"orders\"}").json().get("log").get("payload").toString(),
                "one broker, two APIs: a record produced through v3 is read through Katar's subscribe");
        assertEquals(200, broker.send("DELETE", "/topic/orders", null).status());
        assertEquals(404, broker.get("/topic/orders").status());
    }

    @Test
    void bad_requests_are_refused_by_name_where_katar_said_not_okay_with_a_200() {
        var unknown = broker.post("/subscribe", "{\"topic\":\"menus\"}");
        assertEquals(404, unknown.status());
        assertEquals("UNKNOWN_TOPIC_OR_PARTITION", unknown.error());
        assertEquals(404, broker.get("/topic/menus").status(), "describing an unknown topic");
        broker.post("/topic", "{\"topic\":\"orders\"}");
        var badKey = broker.post("/topic", "{\"topic\":\"x\",\"metadata\":{\"max_segment_sise\":10}}");
        assertEquals(400, badKey.status());
        assertTrue(badKey.json().get("message").asText().contains("max_segment_size"), badKey.text());
        assertEquals("INVALID_REQUEST", broker.post("/publish", "{\"topic\":\"orders\"}").error(), "no payload");
        assertEquals("INVALID_REQUEST", broker.post("/subscribe", "{\"topic\":\"orders\",\"offset\":-2}").error());
        assertEquals("INVALID_TOPIC_EXCEPTION", broker.post("/topic", "{\"topic\":\"../etc\"}").error());
        assertEquals(0, broker.broker().describeTopic("orders").partitions().get(0).endOffset(), "nothing was written");
    }
}
