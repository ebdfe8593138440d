package toykafka.restproxy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.BrokerConfig;

/**
 * A broker in a data directory of its own for each test, with REST Proxy's consumer instances over it and no
 * HTTP in between, both stopped after the test: the instances' own rules, tested without the front end.
 */
abstract class InstancesPerTest {

    @TempDir
    Path dataDir;
    Broker broker;
    ConsumerInstances instances;

    /** The broker's settings beyond the defaults (statistics off): a suite overrides this to test its own. */
    Map<String, String> settings() {
        return Map.of();
    }

    /** The clock the broker and the instances run on: a suite that moves time itself overrides this. */
    Clock clock() {
        return Clock.systemUTC();
    }

    @BeforeEach
    final void startBrokerAndInstances() {
        BrokerConfig config = BrokerConfig.of(Map.of(BrokerConfig.STATS_INTERVAL_MS, "0")).with(BrokerConfig.DATA_DIR, dataDir);
        for (Map.Entry<String, String> setting : settings().entrySet()) {
            config = config.with(setting.getKey(), setting.getValue());
        }
        broker = Broker.start(config, clock(), event -> { });
        instances = ConsumerInstances.start(broker);
    }

    @AfterEach
    final void stopInstancesAndBroker() {
        instances.close();
        broker.close();
    }
}
