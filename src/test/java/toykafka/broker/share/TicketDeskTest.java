package toykafka.broker.share;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.clock.ManualClock;
import toykafka.lesson04.OnDuplicate;

/**
 * The stage of the share fetch tests: a broker on a clock the test moves, with a topic {@code tickets} and a share
 * group {@code desk} that reads it from its start ({@code share.auto.offset.reset=earliest}).
 */
abstract class TicketDeskTest {

    @TempDir
    Path dataDir;

    protected final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    protected Broker broker;
    protected SharePartitions shares;
    private final int partitions;

    protected TicketDeskTest(int partitions) {
        this.partitions = partitions;
    }

    @BeforeEach
    void openTheDesk() {
        broker = Broker.start(BrokerConfig.of(Map.of(BrokerConfig.STATS_INTERVAL_MS, "0"))
                .with(BrokerConfig.DATA_DIR, dataDir), clock, event -> { });
        broker.createTopic("tickets", partitions, Map.of(), OnDuplicate.FAIL);
        broker.groupConfigs().alter("desk", Map.of("share.auto.offset.reset", "earliest"), Set.of(), false, false);
        shares = broker.sharePartitions();
    }

    @AfterEach
    void closeTheDesk() {
        broker.close();
    }
}
