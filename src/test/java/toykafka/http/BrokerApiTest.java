package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import toykafka.archive.ArchiveReader;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.KeyHashPartitioner;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** The broker's JSON API over real HTTP: topics, produce, reads, groups, and what survives a restart. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerApiTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    private void createTopic(String name, int partitions) {
        var created = broker.post(TOPICS, "{\"topic_name\":\"" + name + "\",\"partitions_count\":" + partitions + "}");
        assertEquals(201, created.status(), created.text());
    }

    /** The value in force of one of the topic's configs. */
    private String config(String topic, String name) {
        var config = broker.get(TOPICS + "/" + topic + "/configs/" + name);
        assertEquals(200, config.status(), config.text());
        return config.json().get("value").asText();
    }

    /** Every record of the partition, read a reply at a time (a reply stops at a segment's end). */
    private List<JsonNode> readAll(String topic, int partition) {
        return readAll(topic, partition, "");
    }

    /** As {@link #readAll(String, int)}, with more of the query: {@code &format=binary} for records that are not text. */
    private List<JsonNode> readAll(String topic, int partition, String more) {
        List<JsonNode> all = new ArrayList<>();
        List<JsonNode> next = read(topic, partition, "offset=earliest&max_records=1000" + more);
        while (!next.isEmpty()) {
            all.addAll(next);
            next = read(topic, partition, "offset=" + (next.get(next.size() - 1).get("offset").asLong() + 1)
                    + "&max_records=1000&timeout=0" + more);
        }
        return all;
    }

    private List<JsonNode> read(String topic, int partition, String query) {
        var read = broker.get("/topics/" + topic + "/partitions/" + partition + "/records?" + query);
        assertEquals(200, read.status(), read.text());
        List<JsonNode> records = new ArrayList<>();
        read.json().forEach(records::add);
        return records;
    }

    @Test
    void topics_are_created_listed_described_configured_and_deleted() {
        createTopic("orders", 3);
        var list = broker.get(TOPICS);
        List<String> names = new ArrayList<>();
        list.json().get("data").forEach(topic -> names.add(topic.get("topic_name").asText()));
        assertEquals(List.of("__broker_stats", "__consumer_offsets", "orders"), names);

        var described = broker.get(TOPICS + "/orders").json();
        assertEquals(3, described.get("partitions_count").asInt());
        assertEquals(3, broker.get(TOPICS + "/orders/partitions").json().get("data").size());
        assertEquals("604800000", config("orders", "retention.ms"));

        assertEquals(204, broker.send("PATCH", TOPICS + "/orders/configs",
                "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"60000\"},{\"name\":\"segment.bytes\",\"value\":1048576}]}").status());
        assertEquals("60000", config("orders", "retention.ms"));
        // PUT replaces the whole config: what it does not name goes back to the default
        assertEquals(204, broker.send("PUT", TOPICS + "/orders/configs",
                "{\"data\":[{\"name\":\"segment.bytes\",\"value\":\"2097152\"}]}").status());
        assertEquals("604800000", config("orders", "retention.ms"));
        assertEquals("2097152", config("orders", "segment.bytes"));

        assertEquals(204, broker.send("DELETE", TOPICS + "/orders", null).status());
        assertEquals("UNKNOWN_TOPIC_OR_PARTITION", broker.get(TOPICS + "/orders").error());
    }

    @Test
    void a_duplicate_name_is_refused_as_Kafka_does_or_renamed_as_Katar_did() {
        createTopic("orders", 1);
        var again = broker.post(TOPICS, "{\"topic_name\":\"orders\"}");
        assertEquals(400, again.status(), "REST Proxy answers a taken name as a bad request");
        assertEquals(40002, again.json().get("error_code").asInt(), "REST Proxy's code for Kafka's bad requests");
        assertEquals("TOPIC_ALREADY_EXISTS", again.error());
        var renamed = broker.post(TOPICS, "{\"topic_name\":\"orders\",\"on_duplicate\":\"rename\"}");
        assertEquals("orders__0", renamed.json().get("topic_name").asText());
        var renamedAgain = broker.post(TOPICS, "{\"topic_name\":\"orders\",\"on_duplicate\":\"rename\"}");
        assertEquals("orders__1", renamedAgain.json().get("topic_name").asText());
    }

    @Test
    void a_compacted_topic_keeps_each_keys_latest_price_once_the_cleaner_has_run() throws Exception {
        var created = broker.post(TOPICS, "{\"topic_name\":\"prices\",\"configs\":[{\"name\":\"cleanup.policy\","
                + "\"value\":\"compact\"},{\"name\":\"segment.bytes\",\"value\":\"300\"}]}");
        assertEquals(201, created.status(), created.text());
        for (int i = 0; i < 30; i++) {
            broker.post(TOPICS + "/prices/records", "{\"key\":\"" + (i % 2 == 0 ? "cod" : "chips") + "\",\"value\":\""
                    + (400 + i) + "\"}");
        }
        assertFalse(broker.broker().jobs().cleanLogs().isEmpty(), "every record is dirty, so the cleaner runs");
        List<JsonNode> kept = readAll("prices", 0);
        assertTrue(kept.size() < 30, "older prices went: " + kept.size() + " kept");
        Map<String, String> table = new TreeMap<>();
        kept.forEach(record -> table.put(record.get("key").asText(), record.get("value").asText()));
        assertEquals(Map.of("chips", "429", "cod", "428"), table, "the latest price of each");
        Table archived = ArchiveReader.of(broker.broker().archiveDirectory()).read();
        assertEquals(30 - kept.size(), archived.rowCount(), "every price removed is in the archive");
        assertEquals(List.of("compaction"), archived.stringColumn("reason").unique().asList());
    }

    @Test
    void a_tombstone_deletes_its_key_and_stays_until_delete_retention_ms_has_passed() throws Exception {
        var created = broker.post(TOPICS, "{\"topic_name\":\"prices\",\"configs\":[{\"name\":\"cleanup.policy\","
                + "\"value\":\"compact\"},{\"name\":\"segment.bytes\",\"value\":\"300\"},"
                + "{\"name\":\"delete.retention.ms\",\"value\":\"3600000\"}]}");
        assertEquals(201, created.status(), created.text());
        broker.post(TOPICS + "/prices/records", "{\"key\":\"cod\",\"value\":\"4.50\"}");
        broker.post(TOPICS + "/prices/records", "{\"key\":\"cod\",\"value\":null}");
        for (int i = 0; i < 12; i++) {
            broker.post(TOPICS + "/prices/records", "{\"key\":\"chips\",\"value\":\"1." + (10 + i) + "\"}");
        }
        assertFalse(broker.broker().jobs().cleanLogs().isEmpty());
        List<JsonNode> kept = readAll("prices", 0);
        assertEquals(List.of("null"), kept.stream().filter(record -> record.get("key").asText().equals("cod"))
                .map(record -> String.valueOf(record.get("value"))).toList(),
                "cod's price went, and its tombstone stays an hour so a slow reader still sees the delete");

        broker.send("PATCH", TOPICS + "/prices/configs", "{\"data\":[{\"name\":\"delete.retention.ms\",\"value\":\"0\"}]}");
        for (int i = 0; i < 12; i++) {
            broker.post(TOPICS + "/prices/records", "{\"key\":\"peas\",\"value\":\"0." + (80 + i) + "\"}");
        }
        assertFalse(broker.broker().jobs().cleanLogs().isEmpty());
        assertTrue(readAll("prices", 0).stream().noneMatch(record -> record.get("key").asText().equals("cod")),
                "with delete.retention.ms=0 past, the tombstone goes too");
    }

    @Test
    void retention_deletes_from_a_compact_and_delete_topic_but_never_from_a_compact_only_one() throws Exception {
        for (String policy : List.of("compact", "compact,delete")) {
            String topic = policy.equals("compact") ? "prices" : "specials";
            var created = broker.post(TOPICS, "{\"topic_name\":\"" + topic + "\",\"configs\":[{\"name\":"
                    + "\"cleanup.policy\",\"value\":\"" + policy + "\"},{\"name\":\"segment.bytes\",\"value\":\"200\"},"
                    + "{\"name\":\"retention.ms\",\"value\":\"1000\"}]}");
            assertEquals(201, created.status(), created.text());
            for (int i = 0; i < 5; i++) {
                broker.post(TOPICS + "/" + topic + "/records", "{\"key\":\"item-" + i + "\",\"value\":\"1.00\","
                        + "\"timestamp\":1000}");
            }
            broker.post(TOPICS + "/" + topic + "/records", "{\"key\":\"item-5\",\"value\":\"1.00\"}");
        }
        broker.broker().jobs().applyRetention();
        assertEquals(0, broker.get(TOPICS + "/prices/partitions").json().get("data").get(0).get("log_start_offset").asLong(),
                "a compact-only topic keeps every key's latest record however old it is");
        assertTrue(broker.get(TOPICS + "/specials/partitions").json().get("data").get(0).get("log_start_offset").asLong() > 0,
                "compact,delete also deletes old segments by retention.ms");
    }

    @Test
    void committed_offsets_are_compacted_and_replay_to_the_same_offsets_after_a_restart() throws Exception {
        broker.restartWith(Map.of("offsets.topic.segment.bytes", "1000"));
        createTopic("orders", 1);
        broker.post(TOPICS + "/orders/records", "{\"value\":\"cod\"}");
        String member = "/consumers/kitchen/instances/fryer";
        assertEquals(200, broker.post("/consumers/kitchen", "{\"name\":\"fryer\"}").status());
        assertEquals(204, broker.post(member + "/subscription", "{\"topics\":[\"orders\"]}").status());
        broker.get(member + "/records");
        for (int i = 0; i < 200; i++) {
            broker.consumerInstances().commit("kitchen", "fryer", Map.of(new TopicPartition("orders", 0), 1L));
        }
        long before = broker.broker().describeTopic("__consumer_offsets").partitions().get(0).endOffset();
        assertTrue(before >= 200, "each commit is a record: " + before);
        assertFalse(broker.broker().jobs().cleanLogs().isEmpty(), "the offsets topic is compacted like any other");
        List<JsonNode> kept = readAll("__consumer_offsets", 0, "&format=binary"); // Kafka's binary layout
        assertTrue(kept.size() < 50, "one commit per key, and the active segment: " + kept.size());
        broker.restart();
        assertEquals(Map.of(new TopicPartition("orders", 0), 1L), broker.consumerInstances().committed("kitchen"));
    }

    @Test
    void a_produced_record_is_read_back_with_its_offset_key_value_headers_and_timestamp() {
        createTopic("orders", 1);
        String header = Base64.getEncoder().encodeToString("till-3".getBytes(StandardCharsets.UTF_8));
        var produced = broker.post(TOPICS + "/orders/records", "{\"key\":\"271\",\"value\":{\"type\":\"JSON\","
                + "\"data\":{\"order\":271,\"parts\":[[\"cod\",\"chips\"]]}},\"headers\":[{\"name\":\"till\",\"value\":\""
                + header + "\"}],\"timestamp\":1700000000000}");
        assertEquals(200, produced.status(), produced.text());
        assertEquals(0, produced.json().get("offset").asLong());

        JsonNode record = read("orders", 0, "offset=earliest").get(0);
        assertEquals(0, record.get("offset").asLong());
        assertEquals("271", record.get("key").asText());
        assertEquals("{\"order\":271,\"parts\":[[\"cod\",\"chips\"]]}", record.get("value").asText());
        assertEquals(1700000000000L, record.get("timestamp").asLong());
        assertEquals("till", record.get("headers").get(0).get("name").asText());
        assertEquals(header, record.get("headers").get(0).get("value").asText());
    }

    @Test
    void a_request_over_partitions_where_one_refuses_writes_the_rest_and_says_which_was_refused() {
        createTopic("orders", 2);
        var produced = broker.post(TOPICS + "/orders/records", "[{\"partition_id\":0,\"value\":\"cod\"},"
                + "{\"partition_id\":5,\"value\":\"lost\"},{\"partition_id\":1,\"value\":\"chips\"}]");

        assertEquals(207, produced.status(), "some partitions took their records and one refused: " + produced.text());
        assertEquals(200, produced.json().get(0).get("error_code").asInt());
        assertEquals(0, produced.json().get(0).get("offset").asLong());
        JsonNode refused = produced.json().get(1);
        assertEquals(40403, refused.get("error_code").asInt(), "REST Proxy's code for an unknown topic or partition");
        assertEquals("UNKNOWN_TOPIC_OR_PARTITION", refused.get("error").asText());
        assertTrue(refused.get("message").asText().contains("0..1"), refused.toString());
        assertFalse(refused.has("offset"), "a refused record has no offset");
        assertEquals(200, produced.json().get(2).get("error_code").asInt());
        assertEquals(List.of("cod"), readAll("orders", 0).stream().map(record -> record.get("value").asText()).toList());
        assertEquals(List.of("chips"), readAll("orders", 1).stream().map(record -> record.get("value").asText()).toList());
    }

    @Test
    void keyed_records_land_where_the_murmur2_partitioner_sends_them_and_keep_their_order() {
        createTopic("orders", 3);
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"key\":\"till-").append(i % 5).append("\",\"value\":\"order ").append(i).append("\"}");
        }
        var produced = broker.post(TOPICS + "/orders/records", batch.append("]").toString());
        assertEquals(30, produced.json().size());
        KeyHashPartitioner partitioner = new KeyHashPartitioner();
        for (int i = 0; i < 30; i++) {
            JsonNode reply = produced.json().get(i);
            int expected = partitioner.partition("orders", Record.of("till-" + i % 5, "x", java.time.Instant.EPOCH), 3);
            assertEquals(expected, reply.get("partition_id").asInt(), "record " + i);
        }
        for (int p = 0; p < 3; p++) {
            List<JsonNode> records = read("orders", p, "offset=earliest&max_records=100");
            for (int i = 1; i < records.size(); i++) {
                int before = Integer.parseInt(records.get(i - 1).get("value").asText().substring(6));
                int after = Integer.parseInt(records.get(i).get("value").asText().substring(6));
                assertTrue(before < after, "order within partition " + p);
            }
        }
    }

    @Test
    void records_sent_one_after_another_get_one_reply_line_each() {
        createTopic("orders", 1);
        var produced = broker.post(TOPICS + "/orders/records", "{\"value\":\"a\"}\n{\"value\":\"b\"}\n{\"value\":\"c\"}");
        String[] lines = produced.text().strip().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[2].contains("\"offset\":2"), lines[2]);
    }

    @Test
    void binary_values_survive_byte_for_byte() {
        createTopic("blobs", 1);
        byte[] value = new byte[300];
        new Random(7).nextBytes(value);
        String encoded = Base64.getEncoder().encodeToString(value);
        broker.post(TOPICS + "/blobs/records", "{\"value\":{\"type\":\"BINARY\",\"data\":\"" + encoded + "\"}}");
        JsonNode record = read("blobs", 0, "offset=0&format=binary").get(0);
        assertArrayEquals(value, Base64.getDecoder().decode(record.get("value").asText()));
        var asText = broker.get("/topics/blobs/partitions/0/records?offset=0");
        assertEquals(406, asText.status(), "bytes that are not UTF-8 are never shown mangled as text");
    }

    @Test
    void reads_start_at_earliest_latest_an_offset_or_a_time_and_say_where_to_go_next() {
        createTopic("orders", 1);
        for (int i = 0; i < 5; i++) {
            broker.post(TOPICS + "/orders/records", "{\"value\":\"v" + i + "\",\"timestamp\":" + (1000 * (i + 1)) + "}");
        }
        assertEquals(5, read("orders", 0, "offset=earliest").size());
        assertEquals(List.of(), read("orders", 0, "offset=latest&timeout=0"));
        assertEquals("v3", read("orders", 0, "offset=3").get(0).get("value").asText());
        assertEquals("v2", read("orders", 0, "timestamp=2500").get(0).get("value").asText());
        var limited = broker.get("/topics/orders/partitions/0/records?offset=1&max_records=2");
        assertEquals(2, limited.json().size());
        assertEquals("3", limited.header("X-Next-Offset"));
        assertEquals("5", limited.header("X-End-Offset"));
    }

    @Test
    void a_long_poll_at_the_end_of_the_log_returns_the_record_that_arrives() throws Exception {
        createTopic("orders", 1);
        CompletableFuture<List<JsonNode>> waiting = CompletableFuture.supplyAsync(() -> read("orders", 0, "offset=0&timeout=30000"));
        Thread.sleep(200);
        assertFalse(waiting.isDone(), "an empty partition makes the read wait");
        broker.post(TOPICS + "/orders/records", "{\"value\":\"fish\"}");
        List<JsonNode> records = waiting.get();
        assertEquals("fish", records.get(0).get("value").asText());
    }

    @Test
    void a_consumer_group_shares_the_partitions_and_its_commits_survive_a_restart() {
        createTopic("orders", 2);
        for (int i = 0; i < 10; i++) {
            broker.post(TOPICS + "/orders/records", "{\"partition_id\":" + (i % 2) + ",\"value\":\"order " + i + "\"}");
        }
        String cook = join("kitchen", "cook", "earliest");
        String fryer = join("kitchen", "fryer", "earliest");
        List<String> owned = new ArrayList<>();
        for (String member : List.of(cook, fryer)) {
            JsonNode partitions = broker.get(cook.substring(0, 0) + member + "/assignments").json().get("partitions");
            assertEquals(1, partitions.size(), member + " owns one partition of two");
            owned.add(partitions.get(0).toString());
        }
        assertFalse(owned.get(0).equals(owned.get(1)));

        var polled = broker.get(cook + "/records?timeout=0");
        assertEquals(5, polled.json().size());
        assertEquals(200, broker.post(cook + "/offsets", "").status());
        long committed = broker.get(cook + "/offsets").json().get("offsets").get(0).get("offset").asLong();
        assertEquals(5, committed);

        broker.restart();
        // instances live in the broker's memory, so none is left; a new one sees what the group committed
        String newcomer = join("kitchen", "newcomer", "earliest");
        var afterRestart = broker.get(newcomer + "/offsets").json().get("offsets");
        assertEquals(1, afterRestart.size());
        assertEquals(5, afterRestart.get(0).get("offset").asLong());
        // a new member starts where the group committed, not at its own auto.offset.reset
        JsonNode read = broker.get(newcomer + "/records?timeout=0&max_records=100").json();
        assertEquals(5, read.size(), "the committed partition's 5 records are not read again; the other's 5 are");
    }

    @Test
    void deleting_a_topic_deletes_the_offsets_groups_committed_for_it_also_after_a_restart() {
        createTopic("orders", 1);
        broker.post(TOPICS + "/orders/records", "{\"value\":\"cod\"}");
        String cook = join("kitchen", "cook", "earliest");
        broker.get(cook + "/records?timeout=0");
        broker.post(cook + "/offsets", "");
        assertEquals(1, broker.get(cook + "/offsets").json().get("offsets").size());

        assertEquals(204, broker.send("DELETE", TOPICS + "/orders", null).status());
        createTopic("orders", 1); // a new topic of the same name must not inherit the old offsets
        assertEquals(0, broker.get(cook + "/offsets").json().get("offsets").size());
        broker.restart();
        assertEquals(200, broker.post("/consumers/kitchen", "{\"name\":\"x\"}").status());
        assertEquals(0, broker.get("/consumers/kitchen/instances/x/offsets").json().get("offsets").size(),
                "the tombstones in __consumer_offsets keep them deleted after a replay");
    }

    @Test
    void producing_to_an_unknown_topic_creates_it_when_auto_create_is_on() {
        var produced = broker.post(TOPICS + "/specials/records", "{\"value\":\"mushy peas\"}");
        assertEquals(200, produced.status(), produced.text());
        assertEquals(1, broker.get(TOPICS + "/specials").json().get("partitions_count").asInt(),
                "num.partitions (1 by default) partitions");
    }

    @Test
    void a_member_that_leaves_hands_its_partitions_to_the_rest() {
        createTopic("orders", 2);
        String cook = join("kitchen", "cook", "earliest");
        String fryer = join("kitchen", "fryer", "earliest");
        assertEquals(204, broker.send("DELETE", fryer, null).status());
        assertEquals(2, broker.get(cook + "/assignments").json().get("partitions").size());
        assertEquals("UNKNOWN_MEMBER_ID", broker.get(fryer + "/records?timeout=0").error());
    }

    @Test
    void a_silent_member_is_dropped_after_consumer_instance_timeout_ms() throws Exception {
        broker.restartWith(Map.of("consumer.instance.timeout.ms", "1000"));
        createTopic("orders", 2);
        String cook = join("kitchen", "cook", "earliest");
        String fryer = join("kitchen", "fryer", "earliest");
        long deadline = System.currentTimeMillis() + 120_000; // a cap for a busy machine: the loop ends at the drop
        while (broker.get(cook + "/assignments").json().get("partitions").size() < 2) {
            assertTrue(System.currentTimeMillis() < deadline, "the silent fryer is dropped and the cook owns both");
            Thread.sleep(50);
        }
        assertEquals(404, broker.get(fryer + "/assignments").status());
    }

    @Test
    void a_group_is_described_as_rest_proxy_v3_shows_it_with_its_generation_beside() {
        createTopic("orders", 3);
        broker.post(TOPICS + "/orders/records", "{\"partition_id\":0,\"value\":\"cod\"}");
        String group = "/v3/clusters/toykafka/consumer-groups/kitchen";
        assertEquals(404, broker.get(group).status(), "a group nobody joined does not exist; looking makes none");

        String cook = join("kitchen", "cook", "earliest");
        join("kitchen", "fryer", "earliest");
        // REST Proxy's commit names the last record processed: 0, so the group resumes at 1
        broker.post(cook + "/offsets", "{\"offsets\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":0}]}");
        JsonNode kitchen = broker.get(group).json();
        assertEquals("range", kitchen.get("partition_assignor").asText());
        assertEquals("STABLE", kitchen.get("state").asText());
        assertEquals(2, kitchen.get("generation").asInt(), "two joins, two rebalances");
        JsonNode consumers = broker.get(group + "/consumers").json().get("data");
        assertEquals("cook", consumers.get(0).get("client_id").asText());
        String cookId = consumers.get(0).get("consumer_id").asText();
        String fryerId = consumers.get(1).get("consumer_id").asText();
        assertEquals(2, broker.get(group + "/consumers/" + cookId + "/assignments").json().get("data").size(),
                "the range split: cook 0 and 1");
        JsonNode fryers = broker.get(group + "/consumers/" + fryerId + "/assignments").json().get("data");
        assertEquals(2, fryers.get(0).get("partition_id").asInt(), "fryer 2");
        JsonNode lag = broker.get(group + "/lags/orders/partitions/0").json();
        assertEquals(1, lag.get("current_offset").asLong(), "the committed offset");
        assertEquals(0, lag.get("lag").asLong());
    }

    @Test
    void a_negative_commit_is_refused_naming_the_partitions_range_and_changes_nothing() {
        createTopic("orders", 1);
        String cook = join("kitchen", "cook", "earliest");
        // -2 is the last record processed before offset -1: REST Proxy would commit -1
        var refused = broker.post(cook + "/offsets", "{\"offsets\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":-2}]}");
        assertEquals(416, refused.status(), refused.text());
        assertEquals("OFFSET_OUT_OF_RANGE", refused.error());
        assertTrue(refused.text().contains("from the log start offset 0 to the end offset 0"), refused.text());
        assertEquals(0, broker.get(cook + "/offsets").json().get("offsets").size());
    }

    /** Creates a member, subscribes it to orders, and returns its base path. */
    private String join(String group, String name, String reset) {
        var created = broker.post("/consumers/" + group, "{\"name\":\"" + name + "\",\"auto.offset.reset\":\"" + reset + "\"}");
        assertEquals(200, created.status(), created.text());
        String base = "/consumers/" + group + "/instances/" + created.json().get("instance_id").asText();
        assertEquals(204, broker.post(base + "/subscription", "{\"topics\":[\"orders\"]}").status());
        return base;
    }

    @Test
    void topics_records_and_configs_survive_a_restart() {
        createTopic("orders", 2);
        broker.send("PATCH", TOPICS + "/orders/configs", "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"123456\"}]}");
        broker.post(TOPICS + "/orders/records", "{\"partition_id\":1,\"value\":\"kept\"}");
        broker.restart();
        assertEquals("123456", config("orders", "retention.ms"));
        assertEquals("kept", read("orders", 1, "offset=earliest").get(0).get("value").asText());
    }

    @Test
    void delete_records_archives_and_moves_the_log_start_offset_as_kafkas_admin_does() throws Exception {
        createTopic("orders", 1);
        for (int i = 0; i < 4; i++) {
            broker.post(TOPICS + "/orders/records", "{\"value\":\"order " + i + "\"}");
        }
        var deleted = broker.post(TOPICS + "/orders/partitions/0/records:delete", "{\"before_offset\":3}");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(3, deleted.json().get("log_start_offset").asLong());
        assertEquals("order 3", read("orders", 0, "offset=earliest").get(0).get("value").asText());
        assertEquals(416, broker.get("/topics/orders/partitions/0/records?offset=2").status());
        assertEquals(3, ArchiveReader.of(broker.broker().archiveDirectory()).read().rowCount(), "the 3 records before offset 3");
    }

    @Test
    void the_broker_writes_its_statistics_to_a_topic_anyone_can_read() throws Exception {
        createTopic("orders", 1);
        broker.post(TOPICS + "/orders/records", "{\"value\":\"a\"}");
        read("orders", 0, "offset=earliest");
        broker.broker().jobs().writeStats();
        JsonNode stats = RunningBroker.JSON.readTree(read("__broker_stats", 0, "offset=earliest").get(0).get("value").asText());
        JsonNode orders = stats.get("topics").get("orders");
        assertEquals(1, orders.get("records_in").asLong());
        assertEquals(1, orders.get("records_out").asLong());
        assertEquals(1, orders.get("end_offsets").get(0).asLong());
        assertEquals(1, stats.get("stat_number").asLong());
    }

    @Test
    void retention_archives_records_before_it_deletes_their_segment() throws Exception {
        createTopic("orders", 1);
        broker.send("PATCH", TOPICS + "/orders/configs", "{\"data\":[{\"name\":\"segment.bytes\",\"value\":\"200\"},"
                + "{\"name\":\"retention.ms\",\"value\":\"1000\"}]}");
        for (int i = 0; i < 5; i++) {
            broker.post(TOPICS + "/orders/records", "{\"value\":\"order " + i + "\",\"timestamp\":1000}");
        }
        broker.post(TOPICS + "/orders/records", "{\"value\":\"order 5, just now\"}");
        assertFalse(broker.broker().jobs().applyRetention().isEmpty());
        long start = broker.get(TOPICS + "/orders/partitions").json().get("data").get(0).get("log_start_offset").asLong();
        assertTrue(start > 0, "old segments are gone");
        Table archived = ArchiveReader.of(broker.broker().archiveDirectory()).withValues().read();
        assertEquals(start, archived.rowCount(), "every deleted record is in the archive: " + archived);
        assertEquals("orders", read("orders", 0, "offset=earliest").get(0).get("topic").asText());
        assertEquals("order 0", archived.stringColumn("value").get(0));
        assertEquals("retention", archived.stringColumn("reason").get(0));
    }
}
