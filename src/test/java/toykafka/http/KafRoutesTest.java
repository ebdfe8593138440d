package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.http.Refusals.assertRefusedByName;
import static toykafka.testing.RunningBroker.TOPICS;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.Table;
import toykafka.archive.ArchiveReader;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.stats.BrokerStats;
import toykafka.common.TopicConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** Kaf's API on the broker, byte for byte as its design describes, on the broker's own operations, without its faults. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafRoutesTest {

    private static final int FIVE_MIB = 5 * 1024 * 1024;

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    private void restartWith(Map<String, String> settings) {
        broker.restartWith(settings);
    }

    private void put(String log, String... messages) {
        for (String message : messages) {
            var reply = broker.post("/put/" + log, message);
            assertEquals(200, reply.status(), reply.text());
        }
    }

    private long endOffset(String topic) {
        return broker.broker().describeTopic(topic).partitions().get(0).endOffset();
    }

    // ---- put ----

    @Test
    void a_put_creates_a_log_of_one_partition_and_answers_with_the_message_number_counting_from_1() {
        restartWith(Map.of(BrokerConfig.NUM_PARTITIONS, "3"));
        var first = broker.post("/put/orders", "cod and chips");
        assertEquals(200, first.status());
        assertEquals("1", first.text());
        assertEquals("2", broker.send("PUT", "/put/orders", "haddock").text(), "PUT works as POST");
        assertEquals(1, broker.broker().describeTopic("orders").partitions().size(),
                "a Kaf log is one partition, whatever num.partitions says");
        assertEquals(2, endOffset("orders"));
    }

    @Test
    void without_auto_create_a_put_to_a_missing_log_is_refused_by_name_and_creates_nothing() {
        restartWith(Map.of(BrokerConfig.AUTO_CREATE_TOPICS, "false"));
        var refused = broker.post("/put/orders", "cod");
        assertEquals(404, refused.status());
        assertEquals("UNKNOWN_TOPIC_OR_PARTITION", refused.error());
        assertTrue(refused.json().get("message").asText().contains("auto.create.topics.enable=false"), refused.text());
        assertFalse(broker.broker().listTopics().contains("orders"));

        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":1}").status());
        assertEquals("1", broker.post("/put/orders", "cod").text(), "a log made on purpose takes puts");
    }

    @Test
    void a_message_of_5_MiB_is_kept_whole_and_a_byte_more_is_too_large() {
        restartWith(Map.of(BrokerConfig.REQUEST_MAX_BYTES, String.valueOf(2 * FIVE_MIB)));
        String largest = "k".repeat(FIVE_MIB);
        assertEquals("1", broker.post("/put/files", largest).text(), "the log Kaf's put made holds Kaf's largest message");
        assertEquals(largest.length(), broker.get("/get/files?from=1&format=raw").text().length() - 1, "less the newline");

        var tooLarge = broker.post("/put/files", largest + "k");
        assertEquals(413, tooLarge.status());
        assertEquals("MESSAGE_TOO_LARGE", tooLarge.error());
        assertTrue(tooLarge.json().get("message").asText().contains("5 MiB"), tooLarge.text());
        assertEquals(1, endOffset("files"));
    }

    @Test
    void the_broker_refuses_a_body_over_socket_request_max_bytes_before_reading_it() {
        restartWith(Map.of(BrokerConfig.REQUEST_MAX_BYTES, String.valueOf(FIVE_MIB)));
        var refused = broker.post("/put/files", "k".repeat(FIVE_MIB + 1));
        assertEquals(413, refused.status(), "Kaf said 400; a body too large is a 413, as on the broker's own API");
        assertEquals("MESSAGE_TOO_LARGE", refused.error());
        assertTrue(refused.json().get("message").asText().contains("socket.request.max.bytes=" + FIVE_MIB), refused.text());
        assertFalse(broker.broker().listTopics().contains("files"), "nothing was created");
    }

    @Test
    void a_log_made_another_way_keeps_its_own_max_message_bytes() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"menus\",\"partitions_count\":1}").status());
        var refused = broker.post("/put/menus", "m".repeat(2 * 1024 * 1024));
        assertEquals(413, refused.status());
        assertEquals("MESSAGE_TOO_LARGE", refused.error());
        assertTrue(refused.json().get("message").asText().contains("max.message.bytes"), refused.text());
        assertEquals(0, endOffset("menus"));
        put("orders", "cod");
        assertEquals(String.valueOf(KafRoutes.MAX_BATCH_BYTES),
                broker.broker().describeTopic("orders").config().get(TopicConfig.MAX_MESSAGE_BYTES));
    }

    @Test
    void a_put_without_a_content_length_is_refused_and_writes_nothing() throws Exception {
        put("orders", "cod");
        var chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(broker.address() + "/put/orders"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("chips".getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, chunked.statusCode());
        assertEquals("INVALID_REQUEST", RunningBroker.JSON.readTree(chunked.body()).get("error").asText());
        assertTrue(chunked.body().contains("Content-Length"), chunked.body());
        assertEquals(1, endOffset("orders"));
    }

    // ---- get ----

    @Test
    void get_in_kaf_format_writes_the_header_and_each_message_with_its_number_and_size() {
        put("orders", "cod", "chips", "mushy peas");
        var reply = broker.get("/get/orders?from=2");
        assertEquals("KAF_MSGS|v1|2\nKAF_MSG|2|5\nchips\nKAF_MSG|3|10\nmushy peas", reply.text(), "no newline at the end");
        assertEquals("3", reply.header("X-Kaf-LastMsgSent"));
        assertEquals("text/plain; charset=utf-8", reply.header("Content-Type"));
        assertEquals(reply.text(), broker.get("/get/orders?from=2&format=kaf").text(), "kaf is the default");
    }

    @Test
    void a_message_size_is_counted_in_bytes_not_characters() {
        put("orders", "crème brûlée"); // 12 characters, 15 bytes in UTF-8
        assertEquals("KAF_MSGS|v1|1\nKAF_MSG|1|15\ncrème brûlée", broker.get("/get/orders?from=1").text());
    }

    @Test
    void get_in_raw_format_ends_each_message_with_a_newline() {
        put("orders", "cod", "chips");
        var reply = broker.get("/get/orders?from=1&format=raw");
        assertEquals("cod\nchips\n", reply.text());
        assertEquals("2", reply.header("X-Kaf-LastMsgSent"));
    }

    @Test
    void get_in_json_format_lists_the_messages_joined_by_a_comma_and_a_newline() {
        put("orders", "{\"order\":1}", "[2]", "\"three\"\n");
        var reply = broker.get("/get/orders?from=1&format=json");
        assertEquals("[{\"order\":1},\n[2],\n\"three\"\n]", reply.text(), "each message as it was written");
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals(3, reply.json().size(), "and the whole is JSON");
    }

    @Test
    void get_in_json_format_refuses_a_message_that_is_not_one_json_value_rather_than_send_broken_json() {
        put("orders", "{\"order\":1}", "not json", "[2]");
        var refused = broker.get("/get/orders?from=1&format=json");
        assertEquals(406, refused.status());
        assertEquals("INVALID_REQUEST", refused.error());
        assertTrue(refused.json().get("message").asText().contains("message 2 is not JSON"), refused.text());
        assertEquals("[[2]]", broker.get("/get/orders?from=3&format=json").text(), "the messages after it are readable");

        put("pairs", "1 2");
        assertEquals(406, broker.get("/get/pairs?from=1&format=json").status(), "two values are not one");
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"tombstones\",\"partitions_count\":1}").status());
        assertEquals(200, broker.post(TOPICS + "/tombstones/records", "{\"key\":\"k\",\"value\":null}").status());
        assertEquals(406, broker.get("/get/tombstones?from=1&format=json").status(), "no value is no JSON either");
        assertEquals("KAF_MSGS|v1|1\nKAF_MSG|1|0\n", broker.get("/get/tombstones?from=1").text(), "kaf shows it as empty");
    }

    @Test
    void a_reply_holds_at_most_5_messages() {
        for (int i = 1; i <= 8; i++) {
            put("small", "m" + i);
        }
        var five = broker.get("/get/small?from=1");
        assertEquals("KAF_MSGS|v1|5\nKAF_MSG|1|2\nm1\nKAF_MSG|2|2\nm2\nKAF_MSG|3|2\nm3\nKAF_MSG|4|2\nm4\nKAF_MSG|5|2\nm5",
                five.text());
        assertEquals("5", five.header("X-Kaf-LastMsgSent"));
        var rest = broker.get("/get/small?from=6&format=raw");
        assertEquals("m6\nm7\nm8\n", rest.text(), "the rest in the next reply");
        assertEquals("8", rest.header("X-Kaf-LastMsgSent"));
    }

    @Test
    void a_reply_holds_at_most_3200_bytes_of_messages_but_always_one() {
        put("even", "a".repeat(1600), "b".repeat(1600), "c");
        assertEquals("2", broker.get("/get/even?from=1").header("X-Kaf-LastMsgSent"), "1600 + 1600 is 3200: both fit");
        put("odd", "a".repeat(1600), "b".repeat(1601));
        assertEquals("1", broker.get("/get/odd?from=1").header("X-Kaf-LastMsgSent"), "1600 + 1601 is over 3200");
        put("big", "c".repeat(5000), "d");
        var one = broker.get("/get/big?from=1&format=raw");
        assertEquals("c".repeat(5000) + "\n", one.text(), "one message even past 3200 bytes");
        assertEquals("1", one.header("X-Kaf-LastMsgSent"));
    }

    @Test
    void an_unknown_log_or_a_number_past_the_end_is_an_empty_200_without_the_header() {
        var unknown = broker.get("/get/nothing?from=1");
        assertEquals(200, unknown.status());
        assertEquals("", unknown.text());
        assertNull(unknown.header("X-Kaf-LastMsgSent"));
        assertFalse(broker.broker().listTopics().contains("nothing"), "a get creates nothing");
        put("orders", "cod");
        var past = broker.get("/get/orders?from=2&format=json");
        assertEquals(200, past.status());
        assertEquals("", past.text(), "empty in every format, not KAF_MSGS|v1|0 or []");
        assertNull(past.header("X-Kaf-LastMsgSent"));
        assertEquals("", broker.get("/get/orders?from=99").text());
    }

    @Test
    void a_get_refused_406_counts_as_an_error_and_delivers_nothing_in_the_statistics() {
        put("orders", "not json");
        assertEquals(406, broker.get("/get/orders?from=1&format=json").status());
        assertEquals(new BrokerStats.TopicCounts(1, inBytes("orders"), 0, 0, 1),
                broker.broker().stats().snapshot().get("orders"));
        assertEquals(200, broker.get("/get/orders?from=1&format=raw").status());
        assertEquals(1, broker.broker().stats().snapshot().get("orders").recordsOut(), "a read it answered counts");
    }

    private long inBytes(String topic) {
        return broker.broker().stats().snapshot().get(topic).bytesIn();
    }

    @Test
    void the_brokers_statistics_are_read_as_kaf_read_its_own_log() {
        put("orders", "cod");
        broker.broker().jobs().writeStats();
        var stats = broker.get("/get/__broker_stats?from=1&format=json");
        assertEquals(200, stats.status(), stats.text());
        assertEquals(1, stats.json().size());
        assertEquals(1, stats.json().get(0).get("topics").get("orders").get("records_in").asLong());
    }

    // ---- archive ----

    @Test
    void archive_moves_the_first_messages_into_the_archive_and_get_starts_at_the_oldest_kept() throws Exception {
        put("orders", "cod", "chips", "peas", "pie");
        var archived = broker.post("/archive/orders?upto=2", "");
        assertEquals(200, archived.status(), archived.text());
        assertEquals("3", archived.text(), "the number of the oldest message kept");
        var reply = broker.get("/get/orders?from=1");
        assertEquals("KAF_MSGS|v1|2\nKAF_MSG|3|4\npeas\nKAF_MSG|4|3\npie", reply.text(),
                "a number archived away starts the reply at the oldest kept");
        assertEquals("4", reply.header("X-Kaf-LastMsgSent"));
        assertEquals("5", broker.post("/put/orders", "mash").text(), "numbers go on from the end");

        Table rows = ArchiveReader.of(broker.broker().archiveDirectory()).withValues().read();
        assertEquals(2, rows.rowCount(), "two rows: " + rows);
        assertEquals(List.of("cod", "chips"), rows.stringColumn("value").asList());
        assertEquals(List.of("archive", "archive"), rows.stringColumn("reason").asList());
    }

    @Test
    void archive_is_a_post_and_asking_again_changes_nothing() throws Exception {
        put("orders", "cod", "chips", "peas");
        var asGet = broker.get("/archive/orders?upto=1");
        assertEquals(405, asGet.status(), "no GET changes the broker: " + asGet.text());
        assertTrue(asGet.json().get("message").asText().contains("POST"), "the refusal names the method: " + asGet.text());
        assertEquals("KAF_MSGS|v1|3", broker.get("/get/orders?from=1").text().lines().findFirst().orElse(""),
                "all three messages are still there");
        assertEquals("2", broker.post("/archive/orders?upto=1", "").text());
        assertEquals("2", broker.post("/archive/orders?upto=1", "").text(), "already archived: nothing moves");
        assertEquals("2", broker.post("/archive/orders?upto=0", "").text(), "upto=0 archives nothing");
        assertEquals(1, ArchiveReader.of(broker.broker().archiveDirectory()).read().rowCount(), "one row");
    }

    @Test
    void archiving_every_message_leaves_an_empty_log_that_counts_on() {
        put("orders", "cod", "chips");
        assertEquals("3", broker.post("/archive/orders?upto=2", "").text(), "the next number to be written");
        assertEquals("", broker.get("/get/orders?from=1").text());
        assertEquals("3", broker.post("/put/orders", "peas").text());
        assertEquals("KAF_MSGS|v1|1\nKAF_MSG|3|4\npeas", broker.get("/get/orders?from=1").text());
    }

    @Test
    void archived_messages_stay_archived_after_a_restart() {
        put("orders", "cod", "chips", "peas");
        broker.post("/archive/orders?upto=2", "");
        broker.restart();
        assertEquals("KAF_MSGS|v1|1\nKAF_MSG|3|4\npeas", broker.get("/get/orders?from=1").text());
    }

    // ---- the same operations underneath ----

    @Test
    void one_broker_two_apis_a_kaf_put_is_read_through_the_v3_api_and_the_other_way() {
        put("orders", "cod");
        var read = broker.get("/topics/orders/partitions/0/records?offset=earliest");
        assertEquals("cod", read.json().get(0).get("value").asText());
        assertEquals(0, read.json().get(0).get("offset").asLong(), "Kaf's message 1 is offset 0");

        assertEquals(200, broker.post(TOPICS + "/orders/records", "{\"value\":\"chips\"}").status());
        assertEquals("KAF_MSGS|v1|1\nKAF_MSG|2|5\nchips", broker.get("/get/orders?from=2").text(), "offset 1 is message 2");
    }

    @Test
    void a_kaf_archive_is_kafkas_delete_records_and_the_other_way() {
        put("orders", "cod", "chips", "peas", "pie");
        broker.post("/archive/orders?upto=1", "");
        assertEquals(1, broker.get(TOPICS + "/orders/partitions").json().get("data").get(0).get("log_start_offset").asLong(),
                "the log start offset moved, as Kafka's deleteRecords moves it");
        assertEquals(416, broker.get("/topics/orders/partitions/0/records?offset=0").status(), "offset 0 is gone for every API");

        var deleted = broker.post(TOPICS + "/orders/partitions/0/records:delete", "{\"before_offset\":3}");
        assertEquals(3, deleted.json().get("log_start_offset").asLong());
        assertEquals("KAF_MSGS|v1|1\nKAF_MSG|4|3\npie", broker.get("/get/orders?from=1").text());
    }

    // ---- bad input ----

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // what, method, path, body, status, Kafka's error name, a word the message must contain
                Arguments.of("an empty message", "POST", "/put/orders", "", 400, "INVALID_REQUEST", "empty"),
                Arguments.of("a log name of ..", "POST", "/put/..", "cod", 400, "INVALID_TOPIC_EXCEPTION", ".."),
                Arguments.of("a log name with a slash", "POST", "/put/a%2Fb", "cod", 400, "INVALID_TOPIC_EXCEPTION", "a/b"),
                Arguments.of("a log name that climbs out", "POST", "/put/..%2F..%2Fetc", "cod", 400,
                        "INVALID_TOPIC_EXCEPTION", "/"),
                Arguments.of("a put to the broker's own topic", "POST", "/put/__consumer_offsets", "cod", 400,
                        "INVALID_TOPIC_EXCEPTION", "broker's own"),
                Arguments.of("a put by another method", "DELETE", "/put/orders", null, 405, "INVALID_REQUEST", "POST, PUT"),
                Arguments.of("a get without from", "GET", "/get/orders", null, 400, "INVALID_REQUEST", "from is required"),
                Arguments.of("a get from 0", "GET", "/get/orders?from=0", null, 400, "INVALID_REQUEST", "from 1 to"),
                Arguments.of("a get from a word", "GET", "/get/orders?from=first", null, 400, "INVALID_REQUEST", "from 1 to"),
                Arguments.of("an unknown format", "GET", "/get/orders?from=1&format=xml", null, 400, "INVALID_REQUEST",
                        "kaf, raw or json"),
                Arguments.of("a get of a name with a slash", "GET", "/get/a%2Fb?from=1", null, 400,
                        "INVALID_TOPIC_EXCEPTION", "a/b"),
                Arguments.of("an archive without upto", "POST", "/archive/orders", "", 400, "INVALID_REQUEST",
                        "upto is required"),
                Arguments.of("an archive upto a negative number", "POST", "/archive/orders?upto=-1", "", 400,
                        "INVALID_REQUEST", "from 0 to"),
                Arguments.of("an archive of an unknown log", "POST", "/archive/menus?upto=1", "", 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "menus"),
                Arguments.of("an archive past the last message", "POST", "/archive/orders?upto=9", "", 416,
                        "OFFSET_OUT_OF_RANGE", "upto may be from 0 to 1"),
                Arguments.of("an archive of the broker's own topic", "POST", "/archive/__consumer_offsets?upto=0", "",
                        400, "INVALID_TOPIC_EXCEPTION", "broker's own"),
                Arguments.of("an archive of a name with ..", "POST", "/archive/..?upto=1", "", 400,
                        "INVALID_TOPIC_EXCEPTION", ".."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void a_bad_request_is_refused_by_name_and_changes_nothing(String what, String method, String path, String body,
                                                             int status, String error, String mentioned) {
        put("orders", "cod");
        Map<String, Long> filesBefore = broker.dataFiles();
        List<String> topicsBefore = broker.broker().listTopics();

        var reply = broker.send(method, path, body);

        assertEquals(status, reply.status(), what + ": " + reply.text());
        assertRefusedByName(reply, what, error, mentioned);
        assertEquals(filesBefore, broker.dataFiles(), what + " changed the data directory");
        assertEquals(topicsBefore, broker.broker().listTopics(), what + " changed the topics");
        assertEquals(1, endOffset("orders"));
        assertEquals("", broker.faults(), "a client's mistake is no fault of the broker's");
    }
}
