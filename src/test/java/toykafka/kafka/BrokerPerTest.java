package toykafka.kafka;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with its Kafka front end for each test, in a data directory of its own, stopped after it: for
 * suites whose tests read the data directory or the broker's whole state, which another test's topics would
 * disturb. Suites whose tests each take a topic of their own share one broker instead: {@link OneBrokerForTheClass}.
 */
abstract class BrokerPerTest {

    @TempDir
    Path dataDir;
    RunningKafkaBroker broker;

    /** The broker's settings beyond the defaults: a suite overrides this to test its own. */
    Map<String, String> settings() {
        return Map.of();
    }

    /** Whether the front end logs each request, for suites that read what it logged. */
    boolean trace() {
        return false;
    }

    @BeforeEach
    final void startBroker() {
        broker = new RunningKafkaBroker(dataDir, settings(), trace());
    }

    @AfterEach
    final void stopBroker() {
        if (broker != null) { // a test that reads a stopped broker's files stops it itself
            broker.close();
        }
    }
}
