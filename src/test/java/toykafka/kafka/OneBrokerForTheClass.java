package toykafka.kafka;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One broker with a Kafka front end for every test of a class, on a data directory of its own: for tests that
 * each take a topic of their own, so starting a broker per test would only cost time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OneBrokerForTheClass {

    @TempDir
    static Path dataDir;
    RunningKafkaBroker broker;

    @BeforeAll
    void startBroker() {
        broker = new RunningKafkaBroker(dataDir);
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }
}
