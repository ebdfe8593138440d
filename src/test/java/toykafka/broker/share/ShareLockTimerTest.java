package toykafka.broker.share;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.clock.ManualClock;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;

/**
 * The broker's tick releases locks that ran out, as Kafka's lock timers do, with nobody using the share partition:
 * a record whose last allowed delivery was never acknowledged is set aside and its dead letter written, on the tick
 * alone.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareLockTimerTest {

    private static final TopicPartition TICKETS = new TopicPartition("tickets", 0);

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Broker broker;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void a_lock_running_out_at_the_limit_sets_the_record_aside_on_the_tick_alone() throws Exception {
        broker = Broker.start(BrokerConfig.of(Map.of(BrokerConfig.STATS_INTERVAL_MS, "0"))
                .with(BrokerConfig.DATA_DIR, dataDir), clock, event -> { });
        broker.createTopic("tickets", 1, Map.of(), OnDuplicate.FAIL);
        broker.createTopic("dlq.tickets", 1, Map.of(TopicConfig.DEAD_LETTER_GROUP_ENABLE, "true"), OnDuplicate.FAIL);
        broker.partitions().appendRecords("tickets", List.of(new Partitions.ProduceRecord(0,
                Record.of("t0", "ticket 0", clock.instant()))));
        broker.groupConfigs().alter("desk", Map.of("share.auto.offset.reset", "earliest",
                "share.delivery.count.limit", "2", "errors.deadletterqueue.topic.name", "dlq.tickets"), Set.of(),
                false, false);
        SharePartitions shares = broker.sharePartitions();

        for (int delivery = 1; delivery <= 2; delivery++) {
            assertEquals(delivery, shares.fetch("desk", "clerk", List.of(TICKETS), ShareFetchLimits.defaults(),
                    1 << 20, Duration.ZERO).get().get(TICKETS).acquired().get(0).deliveryCount());
            clock.advance(Duration.ofSeconds(30)); // the clerk never answers: the lock runs out
            broker.tickGroups();
        }

        long stall = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (endOffset("dlq.tickets") == 0 && System.nanoTime() < stall) {
            Thread.sleep(20);
        }
        assertEquals(1, endOffset("dlq.tickets"), "the tick set it aside and its letter was written");
        while (shares.startOffset("desk", TICKETS).startOffset() == 0 && System.nanoTime() < stall) {
            Thread.sleep(20);
        }
        assertEquals(1, shares.startOffset("desk", TICKETS).startOffset(), "then archived");
    }

    private long endOffset(String topic) {
        return broker.describeTopic(topic).partitions().get(0).endOffset();
    }
}
