package toykafka.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;

/**
 * What a user does from the console's page in headless Chromium: a topic created, configured, grown and trimmed;
 * a group's offsets reset; a partition searched by key and time; and every control reached by keyboard, labelled
 * and readable.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsolePageActionsTest extends ConsoleBrowserFixture {

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
        // empty once its member left, with nothing committed: kept until the coordinator's cleanup, as on Kafka
        chromium.await(PATIENCE, "the group empty once its member left", () -> "Empty".equals(shown("state"))
                && "0".equals(shown("members")), this::view);

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
}
