package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.http.RunningBroker.TOPICS;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kaf's API on the broker, byte for byte as its design describes, and without its faults. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafRoutesTest {

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

    private void put(String log, String... messages) {
        for (String message : messages) {
            assertEquals(200, broker.post("/put/" + log, message).status());
        }
    }

    @Test
    void a_put_creates_the_log_and_answers_with_the_message_number_counting_from_1() {
        var first = broker.post("/put/orders", "cod and chips");
        assertEquals(200, first.status());
        assertEquals("1", first.text());
        assertEquals("2", broker.send("PUT", "/put/orders", "haddock").text(), "PUT works as POST");
        assertEquals(1, broker.broker().describeTopic("orders").partitions().size());
    }

    @Test
    void get_in_kaf_format_writes_the_header_and_each_message_with_its_number_and_size() {
        put("orders", "cod", "chips", "mushy peas");
        var reply = broker.get("/get/orders?from=2");
        assertEquals("KAF_MSGS|v1|2\nKAF_MSG|2|5\nchips\nKAF_MSG|3|10\nmushy peas", reply.text(), "no newline at the end");
        assertEquals("3", reply.header("X-Kaf-LastMsgSent"));
        assertEquals(reply.text(), broker.get("/get/orders?from=2&format=kaf").text(), "kaf is the default");
    }

    @Test
    void get_in_raw_and_json_formats() {
        put("orders", "{\"order\":1}", "[2]");
        assertEquals("{\"order\":1}\n[2]\n", broker.get("/get/orders?from=1&format=raw").text());
        assertEquals("[{\"order\":1},\n[2]]", broker.get("/get/orders?from=1&format=json").text());
        put("words", "not json");
        var refused = broker.get("/get/words?from=1&format=json");
        assertEquals(406, refused.status());
        assertTrue(refused.json().get("message").asText().contains("message 1 is not JSON"), refused.text());
    }

    @Test
    void a_reply_holds_at_most_5_messages_and_about_3200_bytes_but_always_one() {
        for (int i = 1; i <= 8; i++) {
            put("small", "m" + i);
        }
        var five = broker.get("/get/small?from=1");
        assertTrue(five.text().startsWith("KAF_MSGS|v1|5\n"), five.text());
        assertEquals("5", five.header("X-Kaf-LastMsgSent"));
        assertEquals("8", broker.get("/get/small?from=6").header("X-Kaf-LastMsgSent"), "the rest in the next reply");

        put("big", "a".repeat(2000), "b".repeat(2000), "c".repeat(5000));
        assertEquals("1", broker.get("/get/big?from=1").header("X-Kaf-LastMsgSent"), "a second 2000 bytes would pass 3200");
        assertEquals("3", broker.get("/get/big?from=3").header("X-Kaf-LastMsgSent"), "one message even past 3200 bytes");
    }

    @Test
    void an_unknown_log_or_a_number_past_the_end_is_an_empty_200_without_the_header() {
        var unknown = broker.get("/get/nothing?from=1");
        assertEquals(200, unknown.status());
        assertEquals("", unknown.text());
        assertNull(unknown.header("X-Kaf-LastMsgSent"));
        put("orders", "cod");
        var past = broker.get("/get/orders?from=2");
        assertEquals(200, past.status());
        assertEquals("", past.text());
    }

    @Test
    void archive_moves_the_first_messages_into_the_archive_and_get_starts_at_the_oldest_kept() throws Exception {
        put("orders", "cod", "chips", "peas", "pie");
        var archived = broker.post("/archive/orders?upto=2", "");
        assertEquals(200, archived.status(), archived.text());
        assertEquals("3", archived.text(), "the first message kept");
        assertEquals("KAF_MSGS|v1|2\nKAF_MSG|3|4\npeas\nKAF_MSG|4|3\npie", broker.get("/get/orders?from=1").text(),
                "a number archived away starts the reply at the oldest kept, as MiniKafka's poll did");
        List<String> rows = Files.readAllLines(broker.broker().archiveFile());
        assertEquals(3, rows.size(), "a header and two rows: " + rows);
        assertTrue(rows.get(1).contains("cod") && rows.get(1).contains("archive"), rows.get(1));
        assertEquals(2, broker.get(TOPICS + "/orders").json().get("partitions").get(0).get("log_start_offset").asLong(),
                "the same operation as Kafka's deleteRecords: the log start offset moved");
    }

    @Test
    void one_broker_two_apis_a_kaf_put_is_read_through_the_v3_api() {
        put("orders", "cod");
        var read = broker.get("/topics/orders/partitions/0/records?offset=earliest");
        assertEquals("cod", read.json().get(0).get("value").asText());
        assertEquals(0, read.json().get(0).get("offset").asLong(), "Kaf's message 1 is offset 0");
    }

    @Test
    void bad_requests_are_refused_with_the_rule_and_write_nothing() throws Exception {
        assertEquals(400, broker.post("/put/orders", "").status(), "an empty message");
        var chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(broker.address() + "/put/orders"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream("cod".getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, chunked.statusCode(), "no Content-Length: " + chunked.body());
        assertEquals(413, broker.post("/put/orders", "x".repeat(5 * 1024 * 1024 + 1)).status(), "over 5 MiB");
        assertEquals(400, broker.post("/put/..", "cod").status(), "a name that climbs out of the data directory");
        assertEquals(400, broker.post("/put/a%2Fb", "cod").status(), "a name with a slash");
        put("orders", "cod");
        assertEquals(400, broker.get("/get/orders").status(), "from is required");
        assertEquals(400, broker.get("/get/orders?from=0").status(), "numbers start at 1");
        assertEquals(400, broker.get("/get/orders?from=1&format=xml").status());
        assertEquals(404, broker.post("/archive/menus?upto=1", "").status(), "an unknown log");
        var tooFar = broker.post("/archive/orders?upto=9", "");
        assertEquals(416, tooFar.status());
        assertTrue(tooFar.json().get("message").asText().contains("upto may be from 0 to 1"), tooFar.text());
        assertEquals(1, broker.broker().describeTopic("orders").partitions().get(0).endOffset(), "only the one good put");
        assertEquals(List.of("__broker_stats", "__consumer_offsets", "orders"), broker.broker().listTopics());
    }
}
