package toykafka.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.txn.TransactionCoordinator;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.common.Errors;
import toykafka.common.Header;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The console's own routes over HTTP, without a browser: what they answer, how they refuse bad input (naming
 * the problem and what is valid), and that every write passes the HTTP front end's cross-site checks.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleRoutesTest {

    @StartedBroker(FrontEnd.CONSOLE)
    RunningBroker broker;

    @BeforeEach
    void start() {
        broker.broker().createTopic("orders", 2, Map.of("segment.bytes", "200"), OnDuplicate.FAIL);
    }

    private void write(int partition, String key, String value) {
        broker.broker().partitions().appendRecords("orders", List.of(new ProduceRecord(partition,
                Record.of(key, value, Instant.ofEpochMilli(1_700_000_000_000L)).withHeaders(List.of(Header.of("till", "1"))))));
    }

    @Test
    void the_page_and_its_files_come_with_a_policy_that_allows_this_broker_only() {
        RunningBroker.Response page = broker.get("/console");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.text().contains("/console/console.js"), page.text());
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'self'"), page.header("Content-Security-Policy"));
        assertEquals(200, broker.get("/console/console.js").status());
        assertEquals(200, broker.get("/console/console.css").status());

        RunningBroker.Response missing = broker.get("/console/secrets.txt");
        assertEquals(404, missing.status());
        assertTrue(missing.text().contains("no file secrets.txt") && missing.text().contains("console.js"), missing.text());
        assertEquals(404, broker.get("/console/..%2Fpom.xml").status(), "a path outside the page's files is refused");
    }

    @Test
    void a_partition_shows_its_offsets_and_segments_and_its_batches_with_producer_fields() {
        for (int i = 0; i < 6; i++) {
            write(0, "till-" + i, "cod and chips " + i);
        }
        RunningBroker.Response partition = broker.get("/console/api/partitions/orders/0");
        assertEquals(200, partition.status(), partition.text());
        assertEquals(6, partition.json().get("high_watermark").asLong());
        assertTrue(partition.json().get("segments").size() > 1, "200-byte segments rolled: " + partition.text());
        assertTrue(partition.json().get("segments").get(partition.json().get("segments").size() - 1).get("active").asBoolean());

        RunningBroker.Response batches = broker.get("/console/api/partitions/orders/0/batches?offset=4");
        assertEquals(200, batches.status(), batches.text());
        assertEquals(4, batches.json().get("batches").get(0).get("records").get(0).get("offset").asLong());
        assertEquals("cod and chips 4", batches.json().get("batches").get(0).get("records").get(0).get("value").asText());
        assertEquals("1", batches.json().get("batches").get(0).get("records").get(0).get("headers").get(0).get("value").asText());
        assertTrue(batches.json().get("batches").get(0).has("producer_id"), batches.text());
        assertEquals(6, batches.json().get("next_offset").asLong());

        RunningBroker.Response two = broker.get("/console/api/partitions/orders/0/batches?offset=0&max_records=2");
        assertEquals(2, two.json().get("next_offset").asLong(), "a page reads on after the last record it was sent: "
                + two.text());

        RunningBroker.Response byTime = broker.get("/console/api/partitions/orders/0/batches?timestamp=1700000000000");
        assertEquals(0, byTime.json().get("batches").get(0).get("base_offset").asLong(), byTime.text());
    }

    @Test
    void a_partition_redraw_asks_the_broker_a_handful_of_things_however_many_segments_it_has() {
        for (int i = 0; i < 60; i++) {
            write(0, "till-" + i, "cod and chips " + i);
        }
        write(1, "till-0", "cod and chips");
        long few = callsToDraw(1);
        long many = callsToDraw(0);
        JsonNode segments = broker.get("/console/api/partitions/orders/0").json().get("segments");
        assertTrue(segments.size() > 20, "200-byte segments rolled often: " + segments);
        assertEquals(few, many, "one segment or " + segments.size() + ", a redraw asks the same");
        assertTrue(many <= 8, "a redraw asked the broker " + many + " things");
        assertFirstTimestamps(segments);

        broker.restart(); // the sealed segments now come from their indexes, their first batches unread
        assertFirstTimestamps(broker.get("/console/api/partitions/orders/0").json().get("segments"));
    }

    /** What the broker is asked while the page draws one partition, as it does on every redraw. */
    private long callsToDraw(int partition) {
        long before = broker.console().brokerCalls();
        RunningBroker.Response drawn = broker.get("/console/api/partitions/orders/" + partition);
        assertEquals(200, drawn.status(), drawn.text());
        return broker.console().brokerCalls() - before;
    }

    /** Every segment begins with a record written at {@link #write}'s time. */
    private static void assertFirstTimestamps(JsonNode segments) {
        for (JsonNode segment : segments) {
            assertEquals(1_700_000_000_000L, segment.get("first_timestamp").asLong(), segment.toString());
        }
    }

    @Test
    void a_partition_shows_its_last_stable_offset_its_open_transactions_and_its_markers() {
        write(0, "till-1", "cod and chips"); // offset 0, outside any transaction
        TopicPartition orders0 = new TopicPartition("orders", 0);
        TransactionCoordinator coordinator = broker.broker().transactionCoordinator();
        TransactionCoordinator.ProducerIdAndEpoch cashier = coordinator.initProducerId("cashier", 60_000);
        coordinator.addPartitions("cashier", cashier.producerId(), cashier.epoch(), List.of(orders0));
        ByteBuffer bill = ProducerBatches.transactional(cashier.producerId(), cashier.epoch(), 0,
                Record.of("meal-1", "bill", Instant.ofEpochMilli(1_700_000_000_000L)));
        assertEquals(Errors.NONE, broker.broker().partitions().append(Map.of(orders0, bill), Acks.ALL)
                .get(orders0).error());

        JsonNode open = broker.get("/console/api/partitions/orders/0").json();
        assertEquals(2, open.get("high_watermark").asLong());
        assertEquals(1, open.get("last_stable_offset").asLong(), "held where the open transaction began: " + open);
        assertEquals(1, open.get("open_transactions").get(0).get("first_offset").asLong(), open.toString());
        assertEquals(cashier.producerId(), open.get("open_transactions").get(0).get("producer_id").asLong());
        assertEquals("cashier", open.get("open_transactions").get(0).get("transactional_id").asText(),
                "the coordinator's id for the producer, as kafka-transactions list pairs them: " + open);

        coordinator.endTransaction("cashier", cashier.producerId(), cashier.epoch(), true);
        JsonNode ended = broker.get("/console/api/partitions/orders/0").json();
        assertEquals(3, ended.get("last_stable_offset").asLong(), "past the COMMIT marker: " + ended);
        assertEquals(0, ended.get("open_transactions").size(), ended.toString());
        JsonNode batches = broker.get("/console/api/partitions/orders/0/batches?offset=1").json().get("batches");
        assertTrue(batches.get(0).get("transactional").asBoolean() && batches.get(0).get("marker").isNull(),
                batches.toString());
        assertEquals("COMMIT", batches.get(1).get("marker").asText(), batches.toString());
        assertTrue(batches.get(1).get("control").asBoolean(), batches.toString());
        JsonNode markerRecord = batches.get(1).get("records").get(0);
        assertEquals(List.of("COMMIT", "0"), List.of(markerRecord.get("marker").asText(),
                markerRecord.get("coordinator_epoch").asText()), "the control record in words: " + markerRecord);
        assertTrue(markerRecord.get("key").isNull() && markerRecord.get("value").isNull(), "no NULs sent as text");
        assertEquals(List.of("00000001", "000000000000"), List.of(markerRecord.get("key_hex").asText(),
                markerRecord.get("value_hex").asText()), "version 0 and COMMIT; version 0 and coordinator epoch 0");
        assertEquals(0, ended.get("aborted_transactions").size(), "a commit is no aborted range: " + ended);

        coordinator.addPartitions("cashier", cashier.producerId(), cashier.epoch(), List.of(orders0));
        ByteBuffer voided = ProducerBatches.transactional(cashier.producerId(), cashier.epoch(), 1,
                Record.of("meal-2", "void", Instant.ofEpochMilli(1_700_000_000_000L)));
        assertEquals(Errors.NONE, broker.broker().partitions().append(Map.of(orders0, voided), Acks.ALL)
                .get(orders0).error()); // offset 3
        coordinator.endTransaction("cashier", cashier.producerId(), cashier.epoch(), false); // ABORT at 4
        JsonNode aborted = broker.get("/console/api/partitions/orders/0").json();
        assertEquals(1, aborted.get("aborted_transactions_indexed").asInt(), aborted.toString());
        JsonNode range = aborted.get("aborted_transactions").get(0);
        assertEquals(List.of(cashier.producerId(), 3L, 4L), List.of(range.get("producer_id").asLong(),
                range.get("first_offset").asLong(), range.get("last_offset").asLong()), aborted.toString());
        assertEquals("cashier", range.get("transactional_id").asText(), aborted.toString());
    }

    @Test
    void bad_partitions_and_offsets_are_refused_with_what_is_valid() {
        write(1, "k", "v");
        RunningBroker.Response notNumber = broker.get("/console/api/partitions/orders/one");
        assertEquals(400, notNumber.status());
        assertTrue(notNumber.text().contains("whole number"), notNumber.text());
        RunningBroker.Response noSuch = broker.get("/console/api/partitions/orders/7");
        assertEquals(404, noSuch.status(), noSuch.text());
        assertTrue(noSuch.text().contains("orders"), noSuch.text());
        RunningBroker.Response tooFar = broker.get("/console/api/partitions/orders/1/batches?offset=99");
        assertEquals(416, tooFar.status(), tooFar.text());
        RunningBroker.Response segmentName = broker.get("/console/api/partitions/orders/1/segments/x1");
        assertEquals(400, segmentName.status());
        assertTrue(segmentName.text().contains("base offset"), segmentName.text());
        RunningBroker.Response noSegment = broker.get("/console/api/partitions/orders/1/segments/5");
        assertEquals(404, noSegment.status(), noSegment.text());
        assertTrue(noSegment.text().contains("its segments start at [0]"), noSegment.text());
        RunningBroker.Response huge = broker.get("/console/api/partitions/orders/1/batches?max_bytes=999999999");
        assertEquals(400, huge.status(), huge.text());
        assertTrue(huge.text().contains("max_bytes"), huge.text());
    }

    @Test
    void a_watch_answers_at_once_when_records_came_since_the_page_looked_and_when_one_arrives() throws Exception {
        long token = broker.get("/console/api/overview").json().get("watch_token").asLong();
        write(0, "k", "v");
        RunningBroker.Response stale = broker.get("/console/api/watch?token=" + token);
        assertTrue(stale.json().get("changed").asBoolean(), stale.text());
        assertEquals(token + 1, stale.json().get("watch_token").asLong());

        // The watch's own timeout starts when the broker gets it, so an answer sooner than that after the asking
        // was the record's. On a machine so busy that a round cannot tell, the round is run again.
        long slowest = 0;
        for (int round = 1; round <= 5; round++) {
            long now = broker.get("/console/api/overview").json().get("watch_token").asLong();
            long asked = System.nanoTime();
            CompletableFuture<RunningBroker.Response> waiting = CompletableFuture.supplyAsync(
                    () -> broker.get("/console/api/watch?token=" + now));
            Thread.sleep(300);
            boolean waited = !waiting.isDone();
            write(1, "k", "v");
            RunningBroker.Response news = waiting.get();
            long took = System.nanoTime() - asked;
            assertTrue(news.json().get("changed").asBoolean(), news.text());
            if (took < ConsoleRoutes.WATCH_WAIT.toNanos()) {
                assertTrue(waited, "nothing new yet: the watch waits in the purgatory");
                return;
            }
            slowest = Math.max(slowest, took);
        }
        fail("five watches were each answered only after the watch's own " + ConsoleRoutes.WATCH_WAIT.toSeconds()
                + " s timeout, at the record or not: the slowest took " + slowest / 1_000_000 + " ms");
    }
    // ---- groups ----

    /** A REST Proxy consumer instance in the group, subscribed to orders: a member, as a Kafka consumer is. */
    private String join(String group, String name) {
        RunningBroker.Response created = broker.post("/consumers/" + group, "{\"name\":\"" + name + "\"}");
        assertEquals(200, created.status(), created.text());
        String base = "/consumers/" + group + "/instances/" + created.json().get("instance_id").asText();
        assertEquals(204, broker.post(base + "/subscription", "{\"topics\":[\"orders\"]}").status());
        return base;
    }

    private void commit(String group, int partition, long offset) {
        assertEquals(Errors.NONE, broker.broker().groupCoordinator().commitOffsets(
                OffsetCommitRequest.standalone(group, Map.of(new TopicPartition("orders", partition), offset))));
    }

    private Map<TopicPartition, Long> committed(String group) {
        return broker.broker().groupCoordinator().fetchOffsets(group, null).offsets();
    }

    @Test
    void a_group_with_members_and_no_commit_yet_shows_them_and_their_partitions_with_no_lag_rather_than_a_404() {
        write(0, "k", "v");
        String cook = join("kitchen", "cook");
        RunningBroker.Response group = broker.get("/console/api/groups/kitchen");
        assertEquals(200, group.status(), group.text());
        assertTrue(group.json().get("exists").asBoolean(), group.text());
        assertEquals(1, group.json().get("members").size(), group.text());
        JsonNode member = group.json().get("members").get(0);
        assertEquals("cook", member.get("client_id").asText());
        assertEquals(2, member.get("partitions").size(), "the one member owns both partitions: " + group.text());
        assertEquals(2, group.json().get("partitions").size(), group.text());
        JsonNode first = group.json().get("partitions").get(0);
        assertTrue(first.get("committed").isNull() && first.get("lag").isNull(), group.text());
        assertEquals(1, first.get("log_end_offset").asLong(), group.text());
        assertEquals(member.get("member_id").asText(), first.get("owner").get("member_id").asText(), group.text());
        assertTrue(group.json().get("total_lag").isNull(), "nothing committed, so no total lag: " + group.text());

        JsonNode listed = broker.get("/console/api/groups").json().get("groups").get(0);
        assertEquals(1, listed.get("members").asInt(), listed.toString());
        assertTrue(listed.get("total_lag").isNull(), listed.toString());

        // REST Proxy's commit names the last record processed: 0, so the group resumes at 1, the end
        RunningBroker.Response committedNow = broker.post(cook + "/offsets",
                "{\"offsets\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":0}]}");
        assertTrue(committedNow.status() < 300, committedNow.text());
        JsonNode after = broker.get("/console/api/groups/kitchen").json();
        assertEquals(0, after.get("total_lag").asLong(), after.toString());
        assertTrue(after.get("partitions").get(1).get("committed").isNull(), "orders-1 still has no commit: " + after);
        assertEquals(0, broker.get("/console/api/groups").json().get("groups").get(0).get("total_lag").asLong());

        assertEquals(204, broker.send("DELETE", cook, null).status());
        JsonNode left = broker.get("/console/api/groups/kitchen").json();
        assertEquals(0, left.get("members").size(), "its member left; its commit stays: " + left);
        assertEquals(1, left.get("partitions").size(), left.toString());
        RunningBroker.Response gone = broker.get("/console/api/groups/nobody");
        assertEquals(200, gone.status(), "a group that is not there is Dead, as Kafka describes it: " + gone.text());
        assertEquals("Dead", gone.json().get("state").asText(), "in Kafka's spelling");
        assertTrue(!gone.json().get("exists").asBoolean(), gone.text());
    }

    @Test
    void a_share_group_the_broker_does_not_have_is_answered_as_not_there_with_the_reason_not_a_404() {
        RunningBroker.Response none = broker.get("/console/api/share-groups/line");
        assertEquals(200, none.status(), none.text());
        assertTrue(!none.json().get("exists").asBoolean(), none.text());
        assertEquals("Group line not found.", none.json().get("why").asText(), none.text());
        assertEquals(0, broker.get("/console/api/share-groups").json().get("groups").size());
    }

    @Test
    void a_group_shows_the_configs_set_on_it_even_before_it_exists() {
        assertEquals(0, broker.get("/console/api/groups/kitchen").json().get("configs").size());
        broker.broker().groupConfigs().alter("kitchen", Map.of("consumer.session.timeout.ms", "50000"),
                java.util.Set.of(), false, false);
        JsonNode group = broker.get("/console/api/groups/kitchen").json();
        assertEquals("50000", group.get("configs").get("consumer.session.timeout.ms").asText(), group.toString());
    }

    @Test
    void a_reset_is_refused_while_the_group_has_members_naming_them_and_why() {
        write(0, "k", "v");
        join("kitchen", "cook");
        RunningBroker.Response refused = broker.post("/console/api/groups/kitchen/reset-offsets",
                "{\"to\":\"earliest\",\"topic\":\"orders\"}");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("NON_EMPTY_GROUP", refused.error());
        assertTrue(refused.text().contains("has 1 member") && refused.text().contains("client id cook")
                && refused.text().contains("kafka-consumer-groups --reset-offsets")
                && refused.text().contains("its state is Stable"), refused.text());
        assertEquals(Map.of(), committed("kitchen"), "nothing committed");
    }

    @Test
    void a_group_without_members_is_reset_to_earliest_latest_an_offset_or_a_time() {
        for (int i = 0; i < 4; i++) {
            write(0, "k" + i, "v" + i);
        }
        write(1, "k", "v");
        commit("kitchen", 0, 2);
        TopicPartition zero = new TopicPartition("orders", 0);
        TopicPartition one = new TopicPartition("orders", 1);

        RunningBroker.Response dryRun = broker.post("/console/api/groups/kitchen/reset-offsets",
                "{\"to\":\"earliest\",\"dry_run\":true}");
        assertEquals(200, dryRun.status(), dryRun.text());
        assertEquals(2, dryRun.json().get("partitions").get(0).get("from").asLong(), dryRun.text());
        assertEquals(0, dryRun.json().get("partitions").get(0).get("to").asLong(), dryRun.text());
        assertEquals(Map.of(zero, 2L), committed("kitchen"), "a dry run commits nothing");

        assertEquals(200, broker.post("/console/api/groups/kitchen/reset-offsets", "{\"to\":\"earliest\"}").status());
        assertEquals(Map.of(zero, 0L), committed("kitchen"), "with no topic: every partition it committed");

        assertEquals(200, broker.post("/console/api/groups/kitchen/reset-offsets",
                "{\"to\":\"latest\",\"topic\":\"orders\"}").status());
        assertEquals(Map.of(zero, 4L, one, 1L), committed("kitchen"), "a topic: each of its partitions");

        assertEquals(200, broker.post("/console/api/groups/kitchen/reset-offsets",
                "{\"to\":\"offset\",\"topic\":\"orders\",\"partition\":0,\"offset\":3}").status());
        assertEquals(Map.of(zero, 3L, one, 1L), committed("kitchen"), "one partition, to an offset");

        // every record was stamped at 1_700_000_000_000: the first at or after that time is the first one
        RunningBroker.Response byTime = broker.post("/console/api/groups/kitchen/reset-offsets",
                "{\"to\":\"timestamp\",\"topic\":\"orders\",\"timestamp\":\"2023-11-14T22:13:20Z\"}");
        assertEquals(200, byTime.status(), byTime.text());
        assertEquals(Map.of(zero, 0L, one, 0L), committed("kitchen"));
        assertEquals(200, broker.post("/console/api/groups/kitchen/reset-offsets",
                "{\"to\":\"timestamp\",\"topic\":\"orders\",\"timestamp\":1700000000001}").status());
        assertEquals(Map.of(zero, 4L, one, 1L), committed("kitchen"), "no record that late: the end, as Kafka's tool");
    }

    @Test
    void a_bad_reset_is_refused_naming_the_problem_and_what_is_valid() {
        write(0, "k", "v");
        write(0, "k", "v");
        commit("kitchen", 0, 1);
        String reset = "/console/api/groups/kitchen/reset-offsets";
        assertRefused(broker.post(reset, "{\"to\":\"yesterday\"}"), 400, "earliest, latest, offset, timestamp");
        assertRefused(broker.post(reset, "{\"to\":\"offset\",\"topic\":\"orders\",\"partition\":0,\"offset\":9}"), 416,
                "from 0 to 2");
        assertRefused(broker.post(reset, "{\"to\":\"offset\",\"topic\":\"orders\",\"partition\":0}"), 400,
                "\"offset\" is missing: it takes the offset to resume from");
        assertRefused(broker.post(reset, "{\"to\":\"earliest\",\"topic\":\"orders\",\"partition\":7}"), 404,
                "its partitions are 0..1");
        assertRefused(broker.post(reset, "{\"to\":\"earliest\",\"topic\":\"menu\"}"), 404, "the topics are");
        assertRefused(broker.post(reset, "{\"to\":\"earliest\",\"partition\":0}"), 400, "needs the \"topic\"");
        assertRefused(broker.post(reset, "{\"to\":\"timestamp\",\"topic\":\"orders\",\"timestamp\":\"noon\"}"), 400,
                "milliseconds since 1970");
        assertRefused(broker.post("/console/api/groups/empty/reset-offsets", "{\"to\":\"earliest\"}"), 400,
                "name a \"topic\"");
        assertRefused(broker.post(reset, "not json"), 400, "JSON");
        assertRefused(broker.post(reset, "{\"to\":\"earliest\",\"dry_run\":\"yes\"}"), 400, "true (plan only)");
        assertEquals(Map.of(new TopicPartition("orders", 0), 1L), committed("kitchen"), "nothing refused changed it");
    }

    // ---- topics ----

    @Test
    void a_topic_is_created_configured_grown_and_trimmed() {
        RunningBroker.Response created = broker.post("/console/api/topics",
                "{\"name\":\"menu\",\"partitions\":2,\"configs\":{\"cleanup.policy\":\"compact\"}}");
        assertEquals(201, created.status(), created.text());
        assertEquals(2, broker.broker().partitionCount("menu"));
        assertEquals("compact", broker.broker().describeTopic("menu").config().get("cleanup.policy"));

        RunningBroker.Response set = broker.post("/console/api/topics/menu/configs",
                "{\"set\":{\"retention.ms\":\"60000\"},\"reset\":[\"cleanup.policy\"]}");
        assertEquals(200, set.status(), set.text());
        assertEquals(Map.of("retention.ms", "60000"), Map.copyOf(broker.broker().describeTopic("menu").overrides()));
        JsonNode retention = null;
        for (JsonNode config : broker.get("/console/api/topics/menu").json().get("configs")) {
            if (config.get("name").asText().equals("retention.ms")) {
                retention = config;
            }
        }
        assertEquals("60000", retention.get("value").asText());
        assertEquals("topic", retention.get("source").asText());

        RunningBroker.Response grown = broker.post("/console/api/topics/menu/partitions", "{\"partitions\":3}");
        assertEquals(200, grown.status(), grown.text());
        assertEquals(3, broker.broker().partitionCount("menu"));

        for (int i = 0; i < 5; i++) {
            write(1, "k", "v" + i);
        }
        RunningBroker.Response trimmed = broker.post("/console/api/partitions/orders/1/delete-records",
                "{\"before\":3}");
        assertEquals(200, trimmed.status(), trimmed.text());
        assertEquals(3, broker.broker().describePartition("orders", 1).logStartOffset());
    }

    @Test
    void a_bad_topic_change_is_refused_naming_the_problem_and_what_is_valid() {
        write(0, "k", "v");
        assertRefused(broker.post("/console/api/topics", "{\"name\":\"menu\",\"partitions\":0}"), 400, "1 to 1000");
        assertRefused(broker.post("/console/api/topics", "{\"name\":\"orders\"}"), 400, "already exists");
        assertRefused(broker.post("/console/api/topics", "{\"name\":\"bad name!\"}"), 400, "bad name!");
        assertRefused(broker.post("/console/api/topics", "{\"name\":\"menu\",\"configs\":{\"retention.hours\":\"1\"}}"),
                400, "retention.ms");
        assertRefused(broker.post("/console/api/topics/orders/configs", "{\"set\":{\"cleanup.policy\":\"shred\"}}"),
                400, "compact");
        assertRefused(broker.post("/console/api/topics/orders/configs", "{}"), 400, "nothing to change");
        assertRefused(broker.post("/console/api/topics/__consumer_offsets/configs",
                "{\"set\":{\"retention.ms\":\"1\"}}"), 400, "the broker's own");
        assertRefused(broker.post("/console/api/topics/orders/partitions", "{\"partitions\":1}"), 400,
                "has 2 partitions");
        assertRefused(broker.post("/console/api/topics/orders/partitions", "{\"partitions\":5000}"), 400, "1 to 1000");
        assertRefused(broker.post("/console/api/partitions/orders/0/delete-records", "{\"before\":5}"), 416,
                "0");
        assertRefused(broker.post("/console/api/partitions/orders/0/delete-records", "{\"before\":-1}"), 416, "0");
        assertRefused(broker.post("/console/api/partitions/orders/0/delete-records", "{}"), 400,
                "\"before\" is missing: it takes the offset to delete the records below, from orders-0's log start"
                        + " offset 0 to its high watermark 1");
        assertRefused(broker.post("/console/api/topics", "{\"name\":\"menu\",\"partitions\":\"three\"}"), 400,
                "takes a whole number from 1 to 1000");
        assertTrue(!broker.broker().listTopics().contains("menu"), "nothing refused was created");
        assertEquals(2, broker.broker().partitionCount("orders"));
        assertEquals(0, broker.broker().describePartition("orders", 0).logStartOffset());
    }

    // ---- search ----

    @Test
    void a_search_finds_a_keys_records_from_an_offset_or_a_time_and_says_where_to_go_on() {
        for (int i = 0; i < 6; i++) {
            write(0, i % 2 == 0 ? "till-1" : "till-2", "order " + i);
        }
        RunningBroker.Response found = broker.get("/console/api/partitions/orders/0/search?key=till-2");
        assertEquals(200, found.status(), found.text());
        assertEquals(3, found.json().get("records").size(), found.text());
        assertEquals("order 1", found.json().get("records").get(0).get("value").asText());
        assertEquals(6, found.json().get("next_offset").asLong());
        assertTrue(found.json().get("done").asBoolean(), found.text());

        RunningBroker.Response fromFour = broker.get("/console/api/partitions/orders/0/search?key=till-2&offset=4");
        assertEquals(5, fromFour.json().get("records").get(0).get("offset").asLong(), fromFour.text());
        RunningBroker.Response byTime = broker.get(
                "/console/api/partitions/orders/0/search?key=till-1&timestamp=2023-11-14T22:13:20Z");
        assertEquals(3, byTime.json().get("records").size(), byTime.text());
        RunningBroker.Response later = broker.get(
                "/console/api/partitions/orders/0/search?key=till-1&timestamp=1700000000001");
        assertEquals(0, later.json().get("records").size(), "no record that late: " + later.text());

        assertRefused(broker.get("/console/api/partitions/orders/0/search"), 400, "key=");
        assertRefused(broker.get("/console/api/partitions/orders/0/search?key=a&timestamp=noon"), 400,
                "milliseconds since 1970");
        assertRefused(broker.get("/console/api/partitions/orders/0/search?key=a&offset=99"), 416, "from 0");
        assertRefused(broker.get("/console/api/partitions/orders/0/search?key=a&offset=first"), 400,
                "earliest, latest or a whole number");
        RunningBroker.Response asIso = broker.get(
                "/console/api/partitions/orders/0/batches?timestamp=2023-11-14T22:13:20Z");
        assertEquals(200, asIso.status(), "a read from a time takes ISO-8601 too: " + asIso.text());
    }

    // ---- the cross-site checks ----

    /** Every write the console adds, with a body it would take. */
    private static final Map<String, String> WRITES = Map.of(
            "/console/api/topics", "{\"name\":\"menu\"}",
            "/console/api/topics/orders/configs", "{\"set\":{\"retention.ms\":\"1000\"}}",
            "/console/api/topics/orders/partitions", "{\"partitions\":4}",
            "/console/api/partitions/orders/0/delete-records", "{\"before\":1}",
            "/console/api/groups/kitchen/reset-offsets", "{\"to\":\"latest\",\"topic\":\"orders\"}");

    @Test
    void every_write_from_a_page_elsewhere_or_as_a_simple_form_is_refused_and_changes_nothing() throws Exception {
        write(0, "k", "v");
        write(0, "k", "v");
        commit("kitchen", 0, 0);
        Map<String, Long> files = broker.dataFiles();
        for (Map.Entry<String, String> write : WRITES.entrySet()) {
            HttpResponse<String> foreign = post(write.getKey(), write.getValue(), "application/json",
                    "http://elsewhere.example");
            assertEquals(403, foreign.statusCode(), write.getKey() + ": " + foreign.body());
            assertTrue(foreign.body().contains("http.allowed.origins"), foreign.body());
            HttpResponse<String> simple = post(write.getKey(), write.getValue(), "text/plain", broker.address());
            assertEquals(415, simple.statusCode(), write.getKey() + ": " + simple.body());
        }
        assertTrue(!broker.broker().listTopics().contains("menu"));
        assertEquals(2, broker.broker().partitionCount("orders"));
        assertEquals(0, broker.broker().describePartition("orders", 0).logStartOffset());
        assertEquals(Map.of(new TopicPartition("orders", 0), 0L), committed("kitchen"));
        assertTrue(!broker.broker().describeTopic("orders").overrides().containsKey("retention.ms"));
        assertEquals(files.keySet(), broker.dataFiles().keySet(), "no file made or removed");

        HttpResponse<String> own = post("/console/api/topics", "{\"name\":\"menu\"}", "application/json",
                broker.address());
        assertEquals(201, own.statusCode(), "the page's own origin is let through: " + own.body());
    }

    /** A POST as a browser sends it, with its page's Origin, on a connection of its own: a refusal closes it. */
    private HttpResponse<String> post(String path, String body, String type, String origin) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(broker.address() + path))
                .header("Content-Type", type).header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(RunningBroker.Response response, int status, String named) {
        assertEquals(status, response.status(), response.text());
        String message = response.json().get("message").asText();
        assertTrue(message.contains(named), "the refusal names " + named + ": " + message);
    }
}
