package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;

/**
 * A handler can fail with an Error as well as an exception: a class missing from the classpath, a stack
 * overflow. The JDK's HTTP server leaves such a request unanswered, so the front end must answer it itself.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HandlerErrorTest {

    @TempDir
    Path dataDir;
    private final ByteArrayOutputStream faults = new ByteArrayOutputStream();
    private Broker broker;
    private HttpFrontEnd front;

    @BeforeEach
    void start() throws Exception {
        broker = Broker.start(BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS, "0"))
                .with(BrokerConfig.DATA_DIR, dataDir));
        front = HttpFrontEnd.start(broker, new PrintStream(faults, true, StandardCharsets.UTF_8),
                routes -> routes.route("GET", "/failing", exchange -> {
                    throw new NoClassDefFoundError("org/xerial/snappy/SnappyOutputStream");
                }));
    }

    @AfterEach
    void stop() {
        front.close();
        broker.close();
    }

    @Test
    void a_handler_that_fails_with_an_error_still_gets_its_client_a_500_that_names_it() {
        var reply = new BrokerClient(front.address()).get("/failing");
        assertEquals(500, reply.status(), reply.text());
        assertEquals("UNKNOWN_SERVER_ERROR", reply.error());
        assertTrue(reply.json().get("message").asText().contains("NoClassDefFoundError"), reply.text());
        assertTrue(faults.toString(StandardCharsets.UTF_8).contains("NoClassDefFoundError"),
                "the broker reports its own fault: " + faults);
        assertEquals(200, new BrokerClient(front.address()).get("/").status(), "and goes on serving");
    }
}
