package toykafka.lesson17;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.share.partition.AcknowledgeType;
import toykafka.broker.share.partition.AcknowledgementBatch;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.broker.share.partition.FetchedBatch;
import toykafka.broker.share.partition.OffsetLookup;
import toykafka.broker.share.partition.SharePartitionTest.FixedLog;
import toykafka.broker.share.partition.PersisterStateBatch;
import toykafka.broker.share.partition.RecordState;
import toykafka.broker.share.partition.ShareAcquireMode;
import toykafka.broker.share.partition.ShareAutoOffsetReset;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.broker.share.partition.ShareGroupSettings;
import toykafka.broker.share.partition.ShareGroupState;
import toykafka.broker.share.partition.SharePartition;
import toykafka.clock.ManualClock;
import toykafka.lesson17.RecordLifecycle.Delivery;
import toykafka.lesson17.RecordLifecycle.Event;

/**
 * The lesson's {@link DeliveryRules} and the broker's own {@link SharePartition} agree on one record's life: random
 * events, at every delivery count limit, the record's state and count the same after each. A failure names its seed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeliveryRulesAgreeWithTheBrokerTest {

    private static final int LOCK_MS = 15_000;
    private static final List<Event> ON_AN_ACQUIRED_RECORD = List.of(Event.ACCEPT, Event.RELEASE, Event.REJECT,
            Event.RENEW, Event.LOCK_EXPIRED);
    /** A log of one record, offset 0. */
    private static final OffsetLookup ONE_RECORD = new FixedLog(0, 1, 0);

    @Test
    void random_lives_of_one_record_end_the_same_in_the_rules_and_in_the_share_partition() {
        for (long seed = 0; seed < 500; seed++) {
            Random random = new Random(seed);
            int limit = 2 + random.nextInt(9);
            ManualClock clock = new ManualClock(Instant.parse("2026-01-01T12:00:00Z"));
            SharePartition partition = SharePartition.start(new ShareGroupSettings(LOCK_MS, limit, 2000,
                    ShareAutoOffsetReset.EARLIEST, false, true), clock, ONE_RECORD);
            Delivery record = new Delivery(RecordState.AVAILABLE, 0);
            StringBuilder events = new StringBuilder("seed " + seed + ", limit " + limit + ":");
            while (!record.state().terminal()) {
                Event event = record.state() == RecordState.AVAILABLE ? Event.ACQUIRE
                        : ON_AN_ACQUIRED_RECORD.get(random.nextInt(ON_AN_ACQUIRED_RECORD.size()));
                events.append(' ').append(event);
                record = new DeliveryRules().next(record, event, limit);
                List<AcquiredRecords> acquired = apply(partition, clock, event);
                if (event == Event.ACQUIRE) {
                    assertEquals(List.of(new AcquiredRecords(0, 0, record.deliveryCount())), acquired, events.toString());
                }
                assertEquals(expectedState(record, limit), partition.stateSnapshot(), events.toString());
            }
        }
    }

    private static List<AcquiredRecords> apply(SharePartition partition, ManualClock clock, Event event) {
        switch (event) {
            case ACQUIRE:
                return partition.acquire("cook", new ShareFetchLimits(ShareAcquireMode.RECORD_LIMIT, 1, 1),
                        List.of(FetchedBatch.of(0, 0)), 1);
            case LOCK_EXPIRED:
                clock.advance(Duration.ofMillis(LOCK_MS));
                assertEquals(1, partition.expireLocks(clock.millis()), "the one record's lock ran out");
                return List.of();
            default:
                partition.acknowledge("cook", List.of(AcknowledgementBatch.of(0, 0, AcknowledgeType.valueOf(event.name()))));
                return List.of();
        }
    }

    /**
     * What the share partition's snapshot says of the record: nothing once it is settled (the start offset passed
     * it), otherwise its state, an acquired record written as its lock's expiry would leave it.
     */
    private static ShareGroupState expectedState(Delivery record, int limit) {
        if (record.state().terminal()) {
            return new ShareGroupState(0, 1, List.of());
        }
        RecordState written = record.state() == RecordState.ACQUIRED && record.deliveryCount() >= limit
                ? RecordState.ARCHIVED : RecordState.AVAILABLE;
        return new ShareGroupState(0, 0, List.of(new PersisterStateBatch(0, 0, written, record.deliveryCount())));
    }
}
