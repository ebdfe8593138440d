package toykafka.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;
import toykafka.apachekafka.FreePorts;
import toykafka.broker.BrokerConfig;
import toykafka.clock.ManualClock;
import toykafka.common.TopicPartition;
import toykafka.kafka.KafkaFrontEnd;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * The console in a real browser, headless Chromium: each view against a running broker, changing as Kafka's
 * own clients and the page's REST produce write, a segment roll and a group's lag shown within a second, no
 * script error and no request to another host, the page back after a broker restart, and the basics of
 * accessibility. Screenshots of each view go to {@code target/console/}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleBrowserTest {

    /**
     * How long the page may take to show a change before the test gives up and says what it showed. The waits end
     * as soon as the page shows it, so this is a cap for a busy machine, not a measure: that the watch answers at
     * the record is ConsoleRoutesTest's to check, and how fast the page redraws is for bench console.
     */
    private static final Duration PATIENCE = Duration.ofMinutes(1);
    private static final Path SCREENSHOTS = Path.of("target", "console");

    @TempDir
    Path folder;

    private RunningBroker broker;
    private KafkaFrontEnd kafka;
    private Chromium chromium;

    @AfterEach
    void closeAll() {
        if (chromium != null) {
            chromium.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void start(Map<String, String> settings) throws Exception {
        start(settings, Clock.systemUTC());
    }

    private void start(Map<String, String> settings, Clock clock) throws Exception {
        // A group forms at its first join: these tests watch the page, not Kafka's three-second wait for more members.
        Map<String, String> onFreePorts = new HashMap<>(Map.of(BrokerConfig.KAFKA_PORT, "0",
                BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"));
        onFreePorts.putAll(settings);
        broker = RunningBroker.withConsole(folder.resolve("data"), onFreePorts, clock);
        kafka = KafkaFrontEnd.start(broker.broker(), false, new PrintStream(OutputStream.nullOutputStream()));
        chromium = Chromium.start(folder.resolve("profile"));
    }

    private String shown(String term) {
        return (String) chromium.driver().executeScript("for (const dt of document.querySelectorAll('dl.facts dt'))"
                + " { if (dt.textContent === arguments[0]) return dt.nextElementSibling.textContent; } return null;", term);
    }

    private String view() {
        return chromium.text("#view");
    }

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
                    "#view tbody tr").stream().anyMatch(row -> row.getText().matches("kitchen STABLE 1 0 .*")), this::view);
            chromium.click("a[href='#/groups/kitchen']");
            chromium.await(PATIENCE, "cook-1 owning all three partitions", () -> view().contains("cook-1")
                    && view().contains("orders-0, orders-1, orders-2"), this::view);
            assertEquals("STABLE", shown("state"), "REST Proxy's name for the state: " + view());
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
    void a_topic_is_created_configured_grown_and_trimmed_from_the_page() throws Exception {
        start(Map.of());
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        chromium.open(broker.address() + "/console#/topics");
        chromium.await(PATIENCE, "the topics view", () -> view().contains("orders"), this::view);

        chromium.find("#create-name").sendKeys("orders");
        chromium.click("#create-send");
        chromium.await(PATIENCE, "a taken name refused, said why", () -> chromium.text("#create-result")
                .contains("topic 'orders' already exists"), this::view);
        chromium.find("#create-name").clear();
        chromium.find("#create-name").sendKeys("menu");
        chromium.find("#create-partitions").sendKeys("1");
        chromium.find("#create-configs").sendKeys("retention.ms=60000");
        chromium.click("#create-send");
        chromium.await(PATIENCE, "menu created and listed", () -> chromium.text("#create-result")
                .equals("created menu with 1 partition") && chromium.all("a[href='#/topics/menu']").size() == 2,
                this::view);
        assertEquals("60000", broker.broker().describeTopic("menu").overrides().get("retention.ms"));

        chromium.click("#view table a[href='#/topics/menu']");
        chromium.await(PATIENCE, "its configs, retention.ms set on it", () -> config("retention.ms")
                .equals("retention.ms 60000 set on the topic"), this::view);
        chromium.find("#config-name").sendKeys("segment.bytes");
        chromium.find("#config-value").sendKeys("2048");
        chromium.click("#config-set");
        chromium.await(PATIENCE, "segment.bytes set", () -> config("segment.bytes")
                .equals("segment.bytes 2048 set on the topic"), this::view);
        chromium.find("#config-value").clear();
        chromium.find("#config-value").sendKeys("lots");
        chromium.click("#config-set");
        chromium.await(PATIENCE, "a bad value refused, naming what it takes", () -> chromium.text("#config-result")
                .startsWith("refused: ") && chromium.text("#config-result").contains("segment.bytes"), this::view);
        chromium.find("#config-name").clear();
        chromium.find("#config-name").sendKeys("retention.ms");
        chromium.click("#config-reset");
        chromium.await(PATIENCE, "retention.ms back to the default", () -> config("retention.ms").endsWith("default")
                || config("retention.ms").endsWith("the broker's setting"), this::view);
        assertEquals(Map.of("segment.bytes", "2048"), Map.copyOf(broker.broker().describeTopic("menu").overrides()));

        chromium.find("#partitions-count").sendKeys("3");
        chromium.click("#partitions-send");
        chromium.await(PATIENCE, "three partitions", () -> view().contains("menu-2"), this::view);
        assertEquals(3, broker.broker().partitionCount("menu"));
        assertNoStrayNull("a topic's configs and partitions");
        chromium.screenshot(SCREENSHOTS.resolve("topic-admin.png"));

        try (KafkaProducer<String, String> till = producer()) {
            for (int i = 0; i < 5; i++) {
                till.send(new ProducerRecord<>("menu", 0, "dish", "price " + i)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        chromium.open(broker.address() + "/console#/topics/menu/0");
        chromium.await(PATIENCE, "five records", () -> "5".equals(shown("high watermark")), this::view);
        chromium.find("#delete-before").sendKeys("9");
        chromium.click("#delete-ask");
        chromium.click("#delete-yes");
        chromium.await(PATIENCE, "an offset past the end refused, naming the range", () -> chromium.text(
                "#delete-result").contains("9") && chromium.text("#delete-result").startsWith("refused: "), this::view);
        chromium.find("#delete-before").clear();
        chromium.find("#delete-before").sendKeys("3");
        chromium.click("#delete-ask");
        assertTrue(chromium.text("#delete-confirm").contains("below offset 3"), "asked first: " + view());
        chromium.click("#delete-yes");
        chromium.await(PATIENCE, "the log start offset moved to 3", () -> "3".equals(shown("log start offset")), this::view);
        assertEquals(3, broker.broker().describePartition("menu", 0).logStartOffset());
        assertEquals(List.of(), unexpectedErrors(), "nothing failed but the refusals asked for");
    }

    /**
     * Fails if a part of the view holds the bare text "null", which the DOM writes for a null handed to
     * replaceChildren; a record's null key is shown in an element of its own, and not counted.
     */
    private void assertNoStrayNull(String where) {
        assertEquals(false, chromium.driver().executeScript("return [...document.querySelectorAll('#view div')].some(d =>"
                + " [...d.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() === 'null'));"),
                where + " shows no stray null: " + view());
    }

    /** A config's row in the topic view: name, value and where the value comes from. */
    private String config(String name) {
        return chromium.text("#configs tr[data-config='" + name + "']");
    }

    /** A topic orders of one partition and {@code count} orders in it, one a second from 2023-11-14T22:13:20Z. */
    private void sendOrders(int count, IntFunction<String> key) throws Exception {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        try (KafkaProducer<String, String> till = producer()) {
            for (int i = 0; i < count; i++) {
                till.send(new ProducerRecord<>("orders", 0, 1_700_000_000_000L + i * 1000, key.apply(i), "order " + i))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** The browser's errors, less the resources the broker refused on purpose (400, 409, 416). */
    private List<String> unexpectedErrors() {
        return chromium.errors().stream().filter(error -> !error.matches(".*status of (400|409|416) .*")).toList();
    }

    @Test
    void a_groups_offsets_are_reset_from_the_page_and_refused_while_it_has_members() throws Exception {
        start(Map.of());
        sendOrders(5, i -> "till");
        chromium.open(broker.address() + "/console#/groups/kitchen");
        chromium.await(PATIENCE, "no group yet, said so", () -> view().contains("There is no group kitchen now"),
                this::view);

        try (KafkaConsumer<String, String> cook = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "kitchen", ConsumerConfig.CLIENT_ID_CONFIG,
                "cook-1", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new StringDeserializer())) {
            cook.subscribe(List.of("orders"));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (cook.assignment().isEmpty() && System.nanoTime() < deadline) {
                cook.poll(Duration.ofMillis(100));
            }
            chromium.await(PATIENCE, "its member and partition, no commit yet", () -> "1".equals(shown("members"))
                    && view().contains("orders-0"), this::view);
            assertEquals("none committed yet", shown("total lag"), view());
            assertTrue(chromium.text("#view table", 1).contains("none committed yet"), view());

            chromium.find("#reset-topic").sendKeys("orders");
            chromium.click("#reset-preview");
            chromium.await(PATIENCE, "the reset refused while it has a member", () -> chromium
                    .text("#reset-result").contains("has 1 member"), this::view);
            assertTrue(chromium.text("#reset-result").contains("kafka-consumer-groups --reset-offsets"),
                    view());
            assertNoStrayNull("a group with no commit");
            chromium.screenshot(SCREENSHOTS.resolve("group-no-commit.png"));
        }
        chromium.await(PATIENCE, "the group gone with its member, having committed nothing", () -> view().contains(
                "There is no group kitchen now"), this::view);

        new Select(chromium.find("#reset-to")).selectByValue("offset");
        chromium.find("#reset-at").sendKeys("9");
        chromium.click("#reset-preview");
        chromium.await(PATIENCE, "an offset outside the partition refused, naming its range", () -> chromium.text(
                "#reset-result").contains("from 0 to 5"), this::view);
        chromium.find("#reset-at").clear();
        chromium.find("#reset-at").sendKeys("2");
        chromium.click("#reset-preview");
        chromium.await(PATIENCE, "the plan, nothing committed", () -> chromium.all("#reset-execute").size() == 1,
                this::view);
        assertEquals(Map.of(), broker.broker().groupCoordinator().fetchOffsets("kitchen", null).offsets());
        chromium.click("#reset-execute");
        chromium.await(PATIENCE, "committed at 2, lag 3", () -> "3".equals(shown("total lag")), this::view);
        assertEquals(Map.of(new TopicPartition("orders", 0), 2L),
                broker.broker().groupCoordinator().fetchOffsets("kitchen", null).offsets());

        new Select(chromium.find("#reset-to")).selectByValue("timestamp");
        chromium.find("#reset-at").clear();
        chromium.find("#reset-at").sendKeys("2023-11-14 22:13:24Z"); // as the page writes times
        chromium.click("#reset-preview");
        chromium.click("#reset-execute");
        chromium.await(PATIENCE, "reset to the first record at or after the time: offset 4, lag 1",
                () -> "1".equals(shown("total lag")), this::view);
        assertNoStrayNull("a group with no members");
        chromium.screenshot(SCREENSHOTS.resolve("group-reset.png"));
        assertEquals(List.of(), unexpectedErrors(), "nothing failed but the refusals asked for");
        assertTrue(chromium.errors().stream().noneMatch(error -> error.contains("status of 404")),
                "no 404 for a group with no commit, nor for one that is gone: " + chromium.errors());
    }

    @Test
    void a_partition_is_searched_by_key_and_read_from_a_time() throws Exception {
        start(Map.of());
        sendOrders(6, i -> i % 2 == 0 ? "till-1" : "till-2");
        chromium.open(broker.address() + "/console#/topics/orders/0");
        chromium.await(PATIENCE, "the tail", () -> view().contains("order 5"), this::view);

        chromium.find("#tail-key").sendKeys("till-2");
        chromium.click("#tail-go");
        chromium.await(PATIENCE, "the three records of till-2", () -> chromium.all("#search-results tbody tr").size() == 3,
                this::view);
        assertTrue(chromium.text("#search-summary").startsWith("3 records with key \"till-2\" in offsets 0 to 5"),
                view());
        assertTrue(chromium.text("#search-results").contains("order 1")
                && !chromium.text("#search-results").contains("order 0"), view());

        new Select(chromium.find("#tail-from")).selectByValue("timestamp");
        chromium.find("#tail-at").sendKeys("2023-11-14 22:13:23Z");
        chromium.click("#tail-go");
        chromium.await(PATIENCE, "till-2's records from that time on: offsets 3 and 5", () -> chromium.all(
                "#search-results tbody tr").size() == 2, this::view);
        assertNoStrayNull("a search that reached the end of the log");
        chromium.screenshot(SCREENSHOTS.resolve("search.png"));

        chromium.find("#tail-key").clear();
        chromium.click("#tail-go");
        chromium.await(PATIENCE, "the tail from that time: offset 3 first", () -> chromium.all("#tail tr.record").size()
                == 3 && chromium.text("#tail tr.record", 0).startsWith("3 "), this::view);

        chromium.find("#tail-at").clear();
        chromium.find("#tail-at").sendKeys("noon");
        chromium.click("#tail-go");
        chromium.await(PATIENCE, "a time it cannot read refused, naming the forms it takes", () -> chromium
                .text("#tail").contains("milliseconds since 1970"), this::view);
        assertEquals(List.of(), unexpectedErrors(), "nothing failed but the refusal asked for");
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

    @Test
    void every_control_has_a_label_text_has_contrast_and_the_views_are_reached_by_keyboard() throws Exception {
        start(Map.of());
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        chromium.open(broker.address() + "/console#/topics/orders/0");
        chromium.await(PATIENCE, "the partition view", () -> shown("high watermark") != null, this::view);

        Object unlabelled = chromium.driver().executeScript("return [...document.querySelectorAll('input, select,"
                + " button')].filter(e => !(e.closest('label') || e.textContent.trim() || e.getAttribute('aria-label')))"
                + ".map(e => e.outerHTML);");
        assertEquals(List.of(), unlabelled, "every control is named for a screen reader");

        double lowest = ((Number) chromium.driver().executeScript(CONTRAST)).doubleValue();
        assertTrue(lowest >= 4.5, "every text meets WCAG AA's 4.5:1 against its background; the lowest is " + lowest);

        chromium.open(broker.address() + "/console#/");
        chromium.await(PATIENCE, "the cluster view", () -> shown("cluster id") != null, this::view);
        org.openqa.selenium.WebElement body = chromium.find("body");
        String reached = "";
        for (int tab = 0; tab < 6 && !reached.equals("nav-topics"); tab++) {
            body.sendKeys(Keys.TAB);
            body = chromium.driver().switchTo().activeElement();
            reached = body.getAttribute("id") == null ? "" : body.getAttribute("id");
        }
        assertEquals("nav-topics", reached, "Tab reaches the Topics link");
        body.sendKeys(Keys.ENTER);
        chromium.await(PATIENCE, "the topics view opened by keyboard", () -> view().startsWith("Topics"), this::view);
        assertEquals(List.of(), chromium.errors());
    }

    /** The lowest contrast ratio of any element's own text against the page's background (WCAG 2's formula). */
    private static final String CONTRAST = """
            const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
                return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const background = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
                if (!c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
            let lowest = 21;
            for (const e of document.querySelectorAll('body *')) {
                const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (!own || e.closest('svg')) continue;
                const [a, b] = [lum(getComputedStyle(e).color), lum(background(e))].sort((x, y) => y - x);
                lowest = Math.min(lowest, (a + 0.05) / (b + 0.05));
            }
            return lowest;
            """;

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
    }
}
