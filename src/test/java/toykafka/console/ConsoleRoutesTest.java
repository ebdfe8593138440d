package toykafka.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.common.Header;
import toykafka.common.Record;
import toykafka.testing.RunningBroker;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/** The console's own routes over HTTP, without a browser: what they answer, and how they refuse. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleRoutesTest {

    @TempDir
    Path folder;

    private RunningBroker broker;

    @BeforeEach
    void start() {
        broker = RunningBroker.withConsole(folder, Map.of());
        broker.broker().createTopic("orders", 2, Map.of("segment.bytes", "200"), OnDuplicate.FAIL);
    }

    @AfterEach
    void stop() {
        broker.close();
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
}
