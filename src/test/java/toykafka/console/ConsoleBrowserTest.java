package toykafka.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.apachekafka.FreePorts;
import toykafka.broker.config.BrokerConfig;
import toykafka.clock.ManualClock;
import toykafka.lesson04.OnDuplicate;

/**
 * The console's views in headless Chromium, live against a running broker: a partition, the cluster and a
 * group's lag, rates, a cleaner pass, and the page back after a broker restart.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleBrowserTest extends ConsoleBrowserFixture {

    @Test
    void a_partition_shows_records_arrive_its_segments_roll_and_a_produce_from_the_page() throws Exception {
        start(Map.of());
        broker.broker().createTopic("orders", 1, Map.of("segment.bytes", "1024", "index.interval.bytes", "200"),
                OnDuplicate.FAIL);
        chromium.open(broker.address() + "/console#/topics/orders/0");
        chromium.await(PATIENCE, "the partition view with its offsets", () -> "0".equals(shown("high watermark")),
                this::view);

        try (KafkaProducer<String, String> till = producer()) {
            for (int i = 1; i <= 5; i++) {
                till.send(new ProducerRecord<>("orders", 0, "till-1", "cod and chips #" + i))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            chromium.await(PATIENCE, "the high watermark at 5", () -> "5".equals(shown("high watermark")), this::view);
            chromium.await(PATIENCE, "the fifth record in the tail", () -> view().contains("cod and chips #5"),
                    this::view);
            assertEquals(1, chromium.all("svg.strip rect.segment").size(), "one segment so far: " + view());

            for (int i = 6; i <= 40; i++) {
                till.send(new ProducerRecord<>("orders", 0, "till-2", "haddock and mushy peas #" + i))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        chromium.await(PATIENCE, "the segments rolled past 1024 bytes",
                () -> chromium.all("svg.strip rect.segment").size() > 1, this::view);
        int files = broker.broker().logFiles("orders", 0).segments().size();
        chromium.await(PATIENCE, "one row a segment file", () -> view().contains("active")
                && chromium.all("main table").get(0).findElements(org.openqa.selenium.By.cssSelector("tbody tr")).size()
                == files, this::view);
        assertTrue(view().contains("producer id"), "each batch shows its producer id: " + view());
        assertTrue(view().matches("(?s).*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ to .*"),
                "each segment's time range, first record to newest: " + view());
        assertNoStrayNull("a partition the cleaner never passed over");
        chromium.screenshot(SCREENSHOTS.resolve("partition.png"));

        chromium.click("button[aria-label='show the index of segment 0']");
        chromium.await(PATIENCE, "the first segment's sparse index, an entry every 200 bytes", () ->
                chromium.all("#index tbody tr").size() >= 2, this::view);
        assertTrue(chromium.text("#index").contains("The sparse index of segment 0"), view());

        chromium.find("#produce-key").sendKeys("till-3");
        chromium.find("#produce-value").sendKeys("plaice from the page");
        chromium.find("#produce-header").sendKeys("source=console");
        chromium.click("#produce-send");
        chromium.await(PATIENCE, "the REST produce answered", () -> view().contains("written at orders-0@40"),
                this::view);
        chromium.await(PATIENCE, "the page's own record in the tail", () -> view().contains("plaice from the page")
                && view().contains("source=console"), this::view);
        assertEquals(List.of(), chromium.errors(), "no script errors, no refused loads");
        assertEquals(0L, chromium.driver().executeScript("return performance.getEntriesByType('resource')"
                + ".filter(e => new URL(e.name).origin !== location.origin).length;"), "no request to another host");
    }

    @Test
    void the_cluster_topics_and_a_group_with_its_lag_are_shown_live() throws Exception {
        start(Map.of());
        broker.broker().createTopic("orders", 3, Map.of(), OnDuplicate.FAIL);
        chromium.open(broker.address() + "/console");
        chromium.await(PATIENCE, "the cluster view", () -> shown("cluster id") != null, this::view);
        assertEquals(broker.broker().clusterId(), shown("cluster id"));
        Object firstView = chromium.driver().executeScript(
                "return performance.getEntriesByName('first-view')[0].startTime;");
        System.out.printf("[toykafka] the console's first view was drawn %.0f ms after the page was asked for%n",
                ((Number) firstView).doubleValue());
        int topics = broker.broker().listTopics().size();
        assertEquals(String.valueOf(topics), shown("topics"), "every topic, the broker's own included: " + view());
        assertEquals("1", shown("of which yours"), view());
        assertTrue(shown("of which internal").contains("__consumer_offsets"), "the internal ones named: " + view());
        chromium.screenshot(SCREENSHOTS.resolve("cluster.png"));

        chromium.open(broker.address() + "/console#/topics");
        chromium.await(PATIENCE, "orders among the topics", () -> view().contains("orders"), this::view);
        assertTrue(view().contains("Every topic, " + topics + ": 1 of yours"), "the same count as the cluster's: "
                + view());
        chromium.screenshot(SCREENSHOTS.resolve("topics.png"));
        chromium.click("a[href='#/topics/orders']");
        chromium.await(PATIENCE, "the topic's three partitions", () -> view().contains("orders-2"), this::view);

        try (KafkaProducer<String, String> till = producer();
             KafkaConsumer<String, String> cook = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "kitchen", ConsumerConfig.CLIENT_ID_CONFIG,
                     "cook-1", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                     new StringDeserializer())) {
            cook.subscribe(List.of("orders"));
            for (int i = 0; i < 3; i++) {
                till.send(new ProducerRecord<>("orders", i, "till", "order " + i))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            int read = 0;
            while (read < 3 && System.nanoTime() < deadline) {
                read += cook.poll(Duration.ofMillis(100)).count();
            }
            cook.commitSync();

            chromium.open(broker.address() + "/console#/groups");
            chromium.await(PATIENCE, "kitchen among the groups", () -> view().contains("kitchen"),
                    this::view);
            chromium.await(PATIENCE, "the group's member count and total lag in the list", () -> chromium.all(
                    "#view tbody tr").stream().anyMatch(row -> row.getText().matches("kitchen classic Stable 1 0 .*")), this::view);
            chromium.click("a[href='#/groups/kitchen']");
            chromium.await(PATIENCE, "cook-1 owning all three partitions", () -> view().contains("cook-1")
                    && view().contains("orders-0, orders-1, orders-2"), this::view);
            assertEquals("Stable", shown("state"), "Kafka's name for the state, as kafka-consumer-groups prints it: "
                    + view());
            assertEquals("0", shown("total lag"), view());
            String memberId = broker.broker().groupCoordinator().describeGroup("kitchen").members().get(0).memberId();
            assertTrue(chromium.text("#view table", 1).contains(memberId + " (client id cook-1"),
                    "each partition's owner by its member id, its client id beside: " + view());

            for (int i = 0; i < 4; i++) {
                till.send(new ProducerRecord<>("orders", 1, "till", "late order " + i))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            chromium.await(PATIENCE, "the lag growing to 4", () -> "4".equals(shown("total lag")), this::view);
            chromium.await(PATIENCE, "the lag drawn with its scale, 0 to the largest", () -> chromium.find("svg.spark")
                    .getAttribute("aria-label").contains("from 0 to at most 4, now 4"), this::view);
            chromium.screenshot(SCREENSHOTS.resolve("group.png"));

            try (KafkaConsumer<String, String> second = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
                    "kitchen", ConsumerConfig.CLIENT_ID_CONFIG, "cook-2"), new StringDeserializer(),
                    new StringDeserializer())) {
                second.subscribe(List.of("orders"));
                long until = System.nanoTime() + PATIENCE.toNanos();
                while (!("2".equals(shown("generation")) && "2".equals(shown("members"))) && System.nanoTime() < until) {
                    cook.poll(Duration.ofMillis(50)); // both join the rebalance from their polls
                    second.poll(Duration.ofMillis(50));
                }
                assertEquals("2", shown("generation"), "the rebalance shown as it happens: " + view());
                assertTrue(view().contains("cook-2"), view());
            }
        }
        assertEquals(List.of(), chromium.errors(), "no script errors, no refused loads");
    }

    @Test
    void rates_are_averaged_over_a_window_so_a_burst_still_shows_at_the_quiet_redraws_after_it() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
        start(Map.of(), clock);
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        chromium.open(broker.address() + "/console");
        chromium.await(PATIENCE, "the rates measuring, the broker's clock not moved yet", () -> "measuring…".equals(
                shown("records in per second, your topics")), this::view);

        clock.advance(Duration.ofSeconds(1));
        try (KafkaProducer<String, String> till = producer()) {
            for (int i = 0; i < 10; i++) {
                // stamped by the broker's clock: a record more than an hour ahead of it is refused
                till.send(new ProducerRecord<>("orders", 0, clock.millis(), "till", "order " + i))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        chromium.await(PATIENCE, "a burst of 10 in 1 s", () -> "10.0".equals(shown("records in per second, your topics")),
                this::view);
        clock.advance(Duration.ofSeconds(1));
        chromium.await(PATIENCE, "a quiet second after the burst: 10 in 2 s, not 0", () -> "5.0".equals(
                shown("records in per second, your topics")), this::view);
        assertTrue(chromium.text("#rate-note").contains("over the last 2 s (up to 30 s"), view());
        chromium.screenshot(SCREENSHOTS.resolve("rates.png"));
        clock.advance(Duration.ofSeconds(30));
        chromium.await(PATIENCE, "the burst out of the 30 s window", () -> "0.0".equals(
                shown("records in per second, your topics")), this::view);
        assertEquals(List.of(), chromium.errors());
    }

    @Test
    void a_partition_shows_an_open_transaction_holding_its_last_stable_offset_and_then_the_aborted_one() throws Exception {
        start(Map.of());
        broker.broker().createTopic("bills", 1, Map.of(), OnDuplicate.FAIL);
        chromium.open(broker.address() + "/console#/topics/bills/0");
        chromium.await(PATIENCE, "the partition view with its offsets", () -> "0".equals(shown("high watermark")),
                this::view);
        try (KafkaProducer<String, String> cashier = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cashier"), new StringSerializer(), new StringSerializer())) {
            cashier.initTransactions();
            cashier.beginTransaction();
            cashier.send(new ProducerRecord<>("bills", 0, "meal-1", "cod and chips")).get(PATIENCE.toSeconds(),
                    TimeUnit.SECONDS);
            cashier.send(new ProducerRecord<>("bills", 0, "meal-1", "mushy peas")).get(PATIENCE.toSeconds(),
                    TimeUnit.SECONDS);
            chromium.await(PATIENCE, "the open transaction holding the last stable offset at 0", () ->
                    "2".equals(shown("high watermark")) && "0".equals(shown("last stable offset"))
                            && view().contains("Open transactions"), this::view);
            chromium.await(PATIENCE, "its two batches in the tail, marked open", () ->
                    chromium.all("#tail tr.batch.txn-open").size() == 2, this::view);
            assertTrue(chromium.text("#open-transactions tbody").startsWith("cashier "),
                    "the open transaction by its transactional.id: " + view());
            assertTrue(chromium.text("#tail tr.batch").contains("(transactional.id cashier)")
                    && chromium.text("#tail tr.batch").contains("still open"), view());
            assertEquals("last stable offset 0: a read_committed consumer reads up to here",
                    chromium.text("svg.strip text.last-stable-offset"), "drawn beside the high watermark");
            assertEquals(1, chromium.all("svg.strip rect.undecided").size(), "offsets 0 and 1 undecided");
            chromium.screenshot(SCREENSHOTS.resolve("open-transaction.png"));
            cashier.abortTransaction();
            chromium.await(PATIENCE, "the ABORT marker, the aborted range listed, nothing open", () ->
                    "3".equals(shown("high watermark")) && "3".equals(shown("last stable offset"))
                            && view().contains("Aborted transactions") && !view().contains("Open transactions")
                            && view().contains("ABORT"), this::view);
        }
        assertTrue(chromium.text("main").matches("(?s).*Aborted transactions.*\\b0\\s+2\\b.*"),
                "the aborted range: first offset 0, marker at 2: " + view());
        chromium.await(PATIENCE, "the marker's record in words", () -> !chromium.all("#tail tr.record.marker").isEmpty(),
                this::view);
        String marker = chromium.text("#tail tr.record.marker");
        assertTrue(marker.matches("2 \\S+ ABORT marker coordinator epoch \\d+ —"),
                "its key and value said, not drawn as bytes: " + marker);
        assertTrue(chromium.text("#tail tr.batch.marker").matches("batch 2–2, \\d+ bytes, codec none, producer id \\d+"
                + " \\(transactional.id cashier\\) epoch \\d+, ABORT marker \\(coordinator epoch \\d+\\)"), view());
        assertEquals(2, chromium.all("#tail tr.batch.txn-aborted").size(), "the aborted batches marked: " + view());
        assertTrue(chromium.text("#tail tr.batch.txn-aborted").endsWith("transactional: aborted, so a read_committed"
                + " consumer skips it"), view());
        assertFalse(view().contains("\u0000"), "no NUL drawn as an empty box: " + view());
        assertTrue(chromium.text("#aborted-transactions tbody").startsWith("cashier "), view());
        assertTrue(chromium.text("svg.strip text.last-stable-offset").startsWith("last stable offset 3, the high"
                + " watermark"), view());
        chromium.driver().executeScript("document.getElementById('tail').scrollIntoView();"); // the tail in the picture
        chromium.screenshot(SCREENSHOTS.resolve("aborted-transaction.png"));
        chromium.click("#tail-hex");
        chromium.await(PATIENCE, "the marker's bytes as hex when asked", () -> chromium.text("#tail tr.record.marker")
                .matches("2 \\S+ 00000000 0000[0-9a-f]{8} —"), () -> chromium.text("#tail"));
        assertNoStrayNull("a partition with a transaction aborted");
        assertEquals(List.of(), chromium.errors());
    }

    @Test
    void a_cleaner_pass_is_shown_with_the_segments_before_and_after_it() throws Exception {
        start(Map.of("log.cleaner.backoff.ms", "100"));
        broker.broker().createTopic("menu", 1, Map.of("cleanup.policy", "compact", "segment.bytes", "400",
                "min.cleanable.dirty.ratio", "0.01"), OnDuplicate.FAIL);
        chromium.open(broker.address() + "/console#/topics/menu/0");
        chromium.await(PATIENCE, "the partition view", () -> shown("high watermark") != null, this::view);
        try (KafkaProducer<String, String> kitchen = producer()) {
            for (int i = 0; i < 60; i++) {
                kitchen.send(new ProducerRecord<>("menu", 0, "dish-" + (i % 3), "price " + i))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        chromium.await(PATIENCE, "the last cleaner pass, records removed", () ->
                view().contains("The last cleaner pass") && !"0".equals(shown("records removed")), this::view);
        assertTrue(view().contains("Segments before the pass") && view().contains("Segments after it"), view());
        chromium.screenshot(SCREENSHOTS.resolve("cleaner.png"));
        assertEquals(List.of(), chromium.errors());
    }

    @Test
    void a_share_group_shows_its_members_and_each_windows_acquired_and_archived_records() throws Exception {
        start(Map.of());
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().groupConfigs().alter("line", Map.of("share.auto.offset.reset", "earliest"), Set.of(), false,
                false);
        try (KafkaProducer<String, String> till = producer()) {
            for (int i = 0; i < 10; i++) {
                till.send(new ProducerRecord<>("orders", 0, "till", "order " + i));
            }
            till.flush();
        }
        try (KafkaShareConsumer<String, String> cook = new KafkaShareConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "line",
                ConsumerConfig.CLIENT_ID_CONFIG, "line-cook", "share.acknowledgement.mode", "explicit"),
                new StringDeserializer(), new StringDeserializer())) {
            cook.subscribe(List.of("orders"));
            List<ConsumerRecord<String, String>> held = new ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (held.size() < 10 && System.nanoTime() < deadline) {
                cook.poll(Duration.ofMillis(100)).forEach(held::add);
            }
            assertEquals(10, held.size(), "the cook was handed all ten orders");
            for (ConsumerRecord<String, String> order : held) {
                if (order.offset() < 4) {
                    cook.acknowledge(order, AcknowledgeType.ACCEPT);
                } else if (order.offset() == 6) {
                    cook.acknowledge(order, AcknowledgeType.REJECT); // burnt: set aside
                }
            }
            cook.commitSync(PATIENCE); // 4, 5 and 7 to 9 stay acquired, locked to the cook

            chromium.open(broker.address() + "/console#/share-groups");
            chromium.await(PATIENCE, "line among the share groups, with its member and six records in flight",
                    () -> chromium.all("#view tbody tr").stream().anyMatch(row -> row.getText()
                            .matches("line Stable 1 1 6 \\d+")), this::view);
            chromium.click("a[href='#/share-groups/line']");
            chromium.await(PATIENCE, "the window: start 4, last offset read 9, five acquired by line-cook, one archived",
                    () -> chromium.all("#view tr.share-window").stream().anyMatch(row -> row.getText()
                            .equals("orders-0 4 9 10 6 0 5 0 0 1 line-cook 5 1×: 6")), this::view);
            assertTrue(view().contains("line-cook"), "the member by its client id: " + view());
            assertEquals("Stable", shown("state"), view());
            chromium.screenshot(SCREENSHOTS.resolve("share-group.png"));
        }
        assertEquals(List.of(), chromium.errors(), "no script errors, no refused loads");
    }

    @Test
    void the_page_says_it_lost_the_broker_and_comes_back_live_after_a_restart() throws Exception {
        int port = FreePorts.run(1);
        start(Map.of(BrokerConfig.HTTP_PORT, String.valueOf(port)));
        chromium.open(broker.address() + "/console");
        chromium.await(PATIENCE, "live", () -> chromium.text("#connection").equals("live"),
                this::view);

        kafka.close();
        kafka = null;
        broker.close();
        chromium.await(PATIENCE, "the lost broker said", () -> chromium.text("#connection")
                .startsWith("reconnecting"), () -> chromium.text("#connection"));
        broker.restart();
        chromium.await(PATIENCE, "live again", () -> chromium.text("#connection").equals("live"),
                () -> chromium.text("#connection"));
        chromium.await(PATIENCE, "the cluster view drawn again", () -> shown("cluster id") != null, this::view);
    }
}
