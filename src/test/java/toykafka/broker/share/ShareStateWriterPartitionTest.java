package toykafka.broker.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.share.partition.AcknowledgeType;
import toykafka.broker.share.partition.ShareGroupSettings;
import toykafka.broker.share.partition.ShareGroupState;
import toykafka.broker.share.partition.SharePartition;
import toykafka.broker.share.partition.SharePartitionException;
import toykafka.broker.share.partition.SharePartitionTest;
import toykafka.clock.ManualClock;

/** A working share partition's states, written as the share coordinator writes them, and replayed. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareStateWriterPartitionTest {

    private static final List<String> MEMBERS = List.of("anna", "ben", "cleo");
    private static final AcknowledgeType[] ANSWERS = {AcknowledgeType.ACCEPT, AcknowledgeType.RELEASE,
        AcknowledgeType.REJECT};

    @Test
    void a_share_partitions_states_replay_to_the_last_one_and_restore_the_partition_mostly_through_updates() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        ShareGroupSettings settings = SharePartitionTest.settings(3, 2000, false, true);
        SharePartition partition = SharePartition.start(settings, clock, SharePartitionTest.LOG);
        ShareStateWriter writer = new ShareStateWriter(10);
        PersistedShareState written = null;
        int updates = 0;
        for (int step = 0; step < 400; step++) {
            String member = MEMBERS.get(random.nextInt(MEMBERS.size()));
            int move = random.nextInt(10);
            try {
                if (move < 4) {
                    long from = partition.nextFetchOffset();
                    partition.acquire(member, SharePartitionTest.FETCH,
                            SharePartitionTest.batches(from, from + random.nextInt(5)), SharePartitionTest.NO_LSO);
                } else if (move < 8) {
                    long first = partition.startOffset() + random.nextInt(8);
                    SharePartitionTest.ack(partition, member, first, first + random.nextInt(3),
                            ANSWERS[random.nextInt(ANSWERS.length)]);
                } else if (move == 8) {
                    clock.advance(Duration.ofSeconds(31)); // every lock runs out
                } else if (random.nextInt(10) == 0) {
                    partition.alterStartOffset(partition.startOffset() + random.nextInt(20));
                } else {
                    partition.releaseAcquiredRecords(member);
                }
            } catch (SharePartitionException refused) {
                // a member's word on records it does not hold, a reset while records are held: nothing changed
            }
            ShareGroupState state = partition.stateSnapshot();
            ShareStateValue value = writer.next(state, written, 0, clock.millis());
            updates += value instanceof ShareUpdate ? 1 : 0;
            written = PersistedShareState.replay(written, value, writer.updatesPerSnapshot());
            String where = "seed " + seed + ", step " + step;
            assertEquals(state, written.shareGroupState(), where);
        }
        assertTrue(updates > 300, "a working partition's writes are mostly updates: " + updates + "; seed " + seed);
    }
}
