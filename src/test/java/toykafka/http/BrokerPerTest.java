package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with its HTTP front end for each test, in a data directory of its own, stopped after it, none of
 * its requests a fault of the broker's. Suites that compare whole data directories or a topic's state before
 * and after a request need an empty broker per test; starting and stopping one costs about a tenth of a second.
 */
abstract class BrokerPerTest {

    @TempDir
    Path dataDir;
    RunningBroker broker;

    /** The broker's settings beyond the defaults: a suite overrides this to test its own. */
    Map<String, String> settings() {
        return Map.of();
    }

    @BeforeEach
    final void startBroker() {
        broker = new RunningBroker(dataDir, settings());
    }

    @AfterEach
    final void stopBroker() {
        broker.close();
        assertEquals("", broker.faults(), "no request may hit a fault of the broker's own");
    }
}
