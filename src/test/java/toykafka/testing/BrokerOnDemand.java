package toykafka.testing;

import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test that starts its broker itself, with settings it learns only as it runs (a parameter's, a drill's
 * bounds): registered as an instance field's extension, it starts the test's broker on free loopback ports in a
 * temporary folder and, after the test and its own {@code @AfterEach} methods, closes the raw connections the test
 * left open to it (its {@link #crowd()}), stops it and deletes the folder.
 */
public final class BrokerOnDemand implements AfterEachCallback {

    private final Crowd crowd = new Crowd();
    private Path dataDir;
    private RunningBroker broker;

    /** The test's broker with its Kafka front end and these settings beyond the defaults. */
    public RunningBroker overKafka(Map<String, String> settings) {
        return started(RunningBroker.overKafka(dataDir(), settings, false));
    }

    /** The test's broker with its HTTP front end and these settings beyond the defaults. */
    public RunningBroker overHttp(Map<String, String> settings) {
        return started(RunningBroker.overHttp(dataDir(), settings));
    }

    /** The raw connections the test opens to its broker, closed before the broker stops. */
    public Crowd crowd() {
        return crowd;
    }

    private Path dataDir() {
        if (broker != null) {
            throw new IllegalStateException("a test starts one broker on demand; it has " + broker.dataDir());
        }
        dataDir = TempFolder.create("toykafka-broker-");
        return dataDir;
    }

    private RunningBroker started(RunningBroker started) {
        broker = started;
        return started;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            crowd.disperse();
            if (broker != null) {
                broker.close();
            }
        } finally {
            if (dataDir != null) {
                TempFolder.delete(dataDir);
            }
        }
    }
}
