package toykafka.broker.share.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;

/**
 * Many members acquiring, acknowledging, letting locks run out and leaving, and the broker restarting, at random, against a simple model of who
 * holds what: no record is held by two members at once, an accepted record is never delivered again, delivery counts
 * rise by one each time, and in the end every record is accepted or archived. A failure names its seed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharePartitionRandomTest {

    private static final int RECORDS = 300;
    private static final int STEPS = 1500;
    private static final List<String> MEMBERS = List.of("anna", "ben", "carl", "dora");

    @Test
    void random_members_against_a_model() {
        for (long seed = 1; seed <= 40; seed++) {
            try {
                new Run(seed).play();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /** A hold on a record, as the model sees it. */
    private record Hold(String member, long deadlineMs) {
    }

    private static final class Run {
        private final Random random;
        private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        private final ShareGroupSettings settings;
        private SharePartition partition;
        private final List<FetchedBatch> log = new ArrayList<>();
        private final Map<Long, Hold> held = new HashMap<>();
        private final Map<Long, Integer> deliveries = new HashMap<>();
        private final Set<Long> accepted = new HashSet<>();
        private final Set<Long> rejected = new HashSet<>();

        Run(long seed) {
            random = new Random(seed);
            settings = new ShareGroupSettings(15000 + random.nextInt(45001), 2 + random.nextInt(4), 100,
                    ShareAutoOffsetReset.EARLIEST, random.nextBoolean(), true);
            for (long base = 0; base < RECORDS; ) {
                long last = Math.min(RECORDS - 1, base + random.nextInt(8));
                log.add(new FetchedBatch(base, last, random.nextInt(10) == 0));
                base = last + 1;
            }
            partition = SharePartition.start(settings, clock, SharePartitionTest.LOG);
        }

        void play() {
            for (int step = 0; step < STEPS; step++) {
                String member = MEMBERS.get(random.nextInt(MEMBERS.size()));
                int action = random.nextInt(100);
                if (action < 40) {
                    acquire(member, randomLimits());
                } else if (action < 80) {
                    acknowledgeSome(member);
                } else if (action < 85) {
                    acknowledgeAnother(member);
                } else if (action < 97) {
                    clock.advance(Duration.ofMillis(random.nextInt(10_000)));
                    forgetExpired();
                } else if (action < 98) {
                    restart();
                } else {
                    partition.releaseAcquiredRecords(member);
                    held.values().removeIf(hold -> hold.member().equals(member));
                }
            }
            drain();
        }

        private ShareFetchLimits randomLimits() {
            ShareAcquireMode mode = random.nextBoolean() ? ShareAcquireMode.BATCH_OPTIMIZED : ShareAcquireMode.RECORD_LIMIT;
            return new ShareFetchLimits(mode, 1 + random.nextInt(20), 1 + random.nextInt(10));
        }

        /** Reads a few batches from where the partition says, or now and then from an earlier one. */
        private List<AcquiredRecords> acquire(String member, ShareFetchLimits limits) {
            long from = random.nextInt(5) == 0 ? random.nextInt(RECORDS) : partition.nextFetchOffset();
            List<FetchedBatch> fetched = new ArrayList<>();
            int count = 1 + random.nextInt(5);
            for (FetchedBatch batch : log) {
                if (batch.lastOffset() >= from && fetched.size() < count) {
                    fetched.add(batch);
                }
            }
            List<AcquiredRecords> acquired = partition.acquire(member, limits, fetched, Long.MAX_VALUE);
            long deadline = clock.millis() + settings.recordLockDurationMs();
            for (AcquiredRecords run : acquired) {
                for (long offset = run.firstOffset(); offset <= run.lastOffset(); offset++) {
                    assertFalse(accepted.contains(offset), "accepted offset " + offset + " delivered again");
                    assertFalse(rejected.contains(offset), "rejected offset " + offset + " delivered again");
                    Hold other = held.get(offset);
                    if (other != null) {
                        fail("offset " + offset + " acquired by " + member + " while " + other.member() + " holds it");
                    }
                    assertFalse(settings.readCommitted() && aborted(offset), "aborted offset " + offset + " delivered");
                    int delivered = deliveries.merge(offset, 1, Integer::sum);
                    assertEquals(delivered, run.deliveryCount(), "delivery count of offset " + offset);
                    assertTrue(delivered <= settings.deliveryCountLimit(), "offset " + offset + " delivered past the limit");
                    held.put(offset, new Hold(member, deadline));
                }
            }
            return acquired;
        }

        /** Acknowledges a run of records the member holds, with one random type. */
        private void acknowledgeSome(String member) {
            List<Long> mine = held.entrySet().stream().filter(e -> e.getValue().member().equals(member))
                    .map(Map.Entry::getKey).sorted().toList();
            if (mine.isEmpty()) {
                return;
            }
            long first = mine.get(random.nextInt(mine.size()));
            long last = first;
            while (random.nextInt(4) != 0 && held.containsKey(last + 1) && held.get(last + 1).member().equals(member)) {
                last++;
            }
            int roll = random.nextInt(100);
            AcknowledgeType type = roll < 50 ? AcknowledgeType.ACCEPT : roll < 75 ? AcknowledgeType.RELEASE
                    : roll < 90 ? AcknowledgeType.REJECT : AcknowledgeType.RENEW;
            partition.acknowledge(member, List.of(AcknowledgementBatch.of(first, last, type)));
            for (long offset = first; offset <= last; offset++) {
                switch (type) {
                    case ACCEPT -> accepted.add(offset);
                    case REJECT -> rejected.add(offset);
                    default -> { }
                }
                if (type == AcknowledgeType.RENEW) {
                    held.put(offset, new Hold(member, clock.millis() + settings.recordLockDurationMs()));
                } else {
                    held.remove(offset);
                }
            }
        }

        /** Acknowledging a record someone else holds is refused and changes nothing. */
        private void acknowledgeAnother(String member) {
            held.entrySet().stream().filter(e -> !e.getValue().member().equals(member)).findFirst().ifPresent(other -> {
                long offset = other.getKey();
                try {
                    partition.acknowledge(member, List.of(AcknowledgementBatch.of(offset, offset, AcknowledgeType.ACCEPT)));
                    fail(member + " acknowledged offset " + offset + ", which " + other.getValue().member() + " holds");
                } catch (SharePartitionException refused) {
                    assertEquals(Errors.INVALID_RECORD_STATE, refused.error());
                }
            });
        }

        /** The broker restarts: the partition is read back from its snapshot, and no lock survives. */
        private void restart() {
            partition = SharePartition.fromState(partition.stateSnapshot(), settings, clock, SharePartitionTest.LOG);
            ShareGroupState state = partition.stateSnapshot();
            assertEquals(state, SharePartition.fromState(state, settings, clock, SharePartitionTest.LOG).stateSnapshot(),
                    "with no lock held, a snapshot read back writes the same snapshot");
            held.clear();
        }

        private void forgetExpired() {
            held.values().removeIf(hold -> hold.deadlineMs() <= clock.millis());
        }

        /** Lets every lock run out, then one member takes and accepts all that is left. */
        private void drain() {
            clock.advance(Duration.ofMillis(settings.recordLockDurationMs()));
            forgetExpired();
            for (int round = 0; partition.startOffset() < RECORDS; round++) {
                assertTrue(round < 10 * RECORDS, "no progress from start offset " + partition.startOffset());
                for (AcquiredRecords run : acquire("drain", ShareFetchLimits.defaults())) {
                    partition.acknowledge("drain", List.of(AcknowledgementBatch.of(run.firstOffset(), run.lastOffset(),
                            AcknowledgeType.ACCEPT)));
                    for (long offset = run.firstOffset(); offset <= run.lastOffset(); offset++) {
                        accepted.add(offset);
                        held.remove(offset);
                    }
                }
            }
            assertEquals(RECORDS, partition.startOffset());
            for (long offset = 0; offset < RECORDS; offset++) {
                boolean archived = rejected.contains(offset) || settings.readCommitted() && aborted(offset)
                        || deliveries.getOrDefault(offset, 0) >= settings.deliveryCountLimit();
                assertTrue(accepted.contains(offset) || archived, "offset " + offset + " neither accepted nor archived");
                assertFalse(accepted.contains(offset) && rejected.contains(offset), "offset " + offset + " both");
            }
        }

        private boolean aborted(long offset) {
            return log.stream().anyMatch(b -> b.aborted() && b.baseOffset() <= offset && offset <= b.lastOffset());
        }
    }
}
