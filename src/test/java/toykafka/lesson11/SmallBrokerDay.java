package toykafka.lesson11;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.config.BrokerConfig;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.restproxy.ConsumerInstances;

/**
 * A broker data directory with a known history, for the analysis tests: 40 orders keyed by two tills over
 * 40 minutes on a manual clock, retention.ms one hour, a kitchen that commits 10 of them, two statistics
 * snapshots, then two hours later a retention pass that archives every full segment.
 */
public final class SmallBrokerDay {

    public static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    private SmallBrokerDay() {
    }

    public static Path write(Path dataDir) {
        ManualClock clock = new ManualClock(START);
        BrokerConfig config = BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS, "0",
                        BrokerConfig.SESSION_TIMEOUT_MS, String.valueOf(Duration.ofDays(1).toMillis()),
                        BrokerConfig.CONSUMER_INSTANCE_TIMEOUT_MS, String.valueOf(Duration.ofDays(1).toMillis())))
                .with(BrokerConfig.DATA_DIR, dataDir.toAbsolutePath());
        try (Broker broker = Broker.start(config, clock, event -> { });
             ConsumerInstances kitchens = ConsumerInstances.start(broker)) {
            broker.createTopic("orders", 2, Map.of(TopicConfig.RETENTION_MS, "3600000", TopicConfig.SEGMENT_BYTES,
                    "300"), OnDuplicate.FAIL);
            String member = kitchens.create("kitchen", "k1", OffsetReset.EARLIEST);
            kitchens.subscribe("kitchen", member, Set.of("orders"));
            for (int i = 0; i < 40; i++) {
                broker.partitions().appendRecords("orders", List.of(new Partitions.ProduceRecord(i % 2, Record.of(i % 4 == 0 ? "till-2" : "till-1",
                        "order " + i, clock.instant()))));
                clock.advance(Duration.ofMinutes(1));
                if (i == 19) {
                    kitchens.commit("kitchen", member, Map.of(new TopicPartition("orders", 0), 10L));
                    broker.jobs().writeStats();
                }
            }
            broker.jobs().writeStats();
            clock.advance(Duration.ofHours(2));
            broker.jobs().applyRetention();
        }
        return dataDir;
    }
}
