package toykafka.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.kafka.KafkaFrontEnd;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * What the console's browser tests share: a broker with the console and Kafka's port, headless Chromium, and
 * ways to read the page. Each test starts its own. The tests are two classes, so that two test JVMs can run them
 * side by side.
 *
 * <p>The console in a real browser, headless Chromium: each view against a running broker, changing as Kafka's
 * own clients and the page's REST produce write, a segment roll and a group's lag shown within a second, no
 * script error and no request to another host, the page back after a broker restart, and the basics of
 * accessibility. Screenshots of each view go to {@code target/console/}.
 */
abstract class ConsoleBrowserFixture {

    /**
     * How long the page may take to show a change before the test gives up and says what it showed. The waits end
     * as soon as the page shows it, so this is a cap for a busy machine, not a measure: that the watch answers at
     * the record is ConsoleRoutesTest's to check, and how fast the page redraws is for bench console.
     */
    static final Duration PATIENCE = Duration.ofMinutes(1);
    static final Path SCREENSHOTS = Path.of("target", "console");

    @TempDir
    Path folder;

    RunningBroker broker;
    KafkaFrontEnd kafka;
    Chromium chromium;

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

    void start(Map<String, String> settings) throws Exception {
        start(settings, Clock.systemUTC());
    }

    void start(Map<String, String> settings, Clock clock) throws Exception {
        // A group forms at its first join: these tests watch the page, not Kafka's three-second wait for more members.
        Map<String, String> onFreePorts = new HashMap<>(Map.of(BrokerConfig.KAFKA_PORT, "0",
                BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"));
        onFreePorts.putAll(settings);
        broker = RunningBroker.withConsole(folder.resolve("data"), onFreePorts, clock);
        kafka = KafkaFrontEnd.start(broker.broker(), false, new PrintStream(OutputStream.nullOutputStream()));
        chromium = Chromium.start(folder.resolve("profile"));
    }

    String shown(String term) {
        return (String) chromium.driver().executeScript("for (const dt of document.querySelectorAll('dl.facts dt'))"
                + " { if (dt.textContent === arguments[0]) return dt.nextElementSibling.textContent; } return null;", term);
    }

    String view() {
        return chromium.text("#view");
    }

    /**
     * Fails if a part of the view holds the bare text "null", which the DOM writes for a null handed to
     * replaceChildren; a record's null key is shown in an element of its own, and not counted.
     */
    void assertNoStrayNull(String where) {
        assertEquals(false, chromium.driver().executeScript("return [...document.querySelectorAll('#view div')].some(d =>"
                + " [...d.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() === 'null'));"),
                where + " shows no stray null: " + view());
    }

    /** A config's row in the topic view: name, value and where the value comes from. */
    String config(String name) {
        return chromium.text("#configs tr[data-config='" + name + "']");
    }

    /** A topic orders of one partition and {@code count} orders in it, one a second from 2023-11-14T22:13:20Z. */
    void sendOrders(int count, IntFunction<String> key) throws Exception {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        try (KafkaProducer<String, String> till = producer()) {
            for (int i = 0; i < count; i++) {
                till.send(new ProducerRecord<>("orders", 0, 1_700_000_000_000L + i * 1000, key.apply(i), "order " + i))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** The browser's errors, less the resources the broker refused on purpose (400, 409, 416). */
    List<String> unexpectedErrors() {
        return chromium.errors().stream().filter(error -> !error.matches(".*status of (400|409|416) .*")).toList();
    }

    /** The lowest contrast ratio of any element's own text against the page's background (WCAG 2's formula). */
    static final String CONTRAST = """
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

    KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
    }
}
