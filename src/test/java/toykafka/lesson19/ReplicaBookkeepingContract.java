package toykafka.lesson19;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReplicaBookkeeping} must do, as Kafka's leader does it: run by the reference and by the
 * learner's class ({@code ./toykafka check 19}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ReplicaBookkeepingContract {

    private static final long LAG_MAX = 30_000;

    protected abstract ReplicaBookkeeping newBookkeeping();

    @Test
    void the_high_watermark_is_the_smallest_log_end_offset_in_sync() {
        assertEquals(7, newBookkeeping().highWatermark(Map.of(1, 10L, 2, 7L, 3, 9L), Set.of(1, 2, 3)));
        assertEquals(4, newBookkeeping().highWatermark(Map.of(1, 4L, 2, 7L, 3, 9L), Set.of(1, 2, 3)),
                "a follower may have copied everything the leader has; the leader may then be the lowest");
    }

    @Test
    void a_replica_out_of_sync_does_not_hold_the_high_watermark_back() {
        assertEquals(9, newBookkeeping().highWatermark(Map.of(1, 10L, 2, 7L, 3, 9L), Set.of(1, 3)));
        assertEquals(10, newBookkeeping().highWatermark(Map.of(1, 10L, 3, 9L), Set.of(1)),
                "the leader alone in sync: everything it has is committed");
        assertEquals(9, newBookkeeping().highWatermark(Map.of(1, 10L, 3, 9L), Set.of(1, 3)),
                "a replica out of sync need not be listed at all");
    }

    @Test
    void an_empty_log_has_high_watermark_zero() {
        assertEquals(0, newBookkeeping().highWatermark(Map.of(1, 0L, 2, 0L), Set.of(1, 2)));
    }

    @Test
    void no_replica_in_sync_a_missing_or_negative_log_end_offset_are_refused_with_what_is_wrong() {
        ReplicaBookkeeping bookkeeping = newBookkeeping();
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> bookkeeping.highWatermark(Map.of(1, 3L), Set.of()));
        assertFalse(empty.getMessage() == null || empty.getMessage().isBlank(), "the refusal says what is wrong");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> bookkeeping.highWatermark(Map.of(1, 3L, 2, 3L), Set.of(1, 2, 3)));
        assertTrue(missing.getMessage() != null && missing.getMessage().contains("3"),
                "the refusal names the replica with no log end offset: " + missing.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> bookkeeping.highWatermark(Map.of(1, 3L, 2, -5L), Set.of(1, 2)));
        assertTrue(negative.getMessage() != null && negative.getMessage().contains("-5"),
                "the refusal names the offset: " + negative.getMessage());
    }

    @Test
    void a_follower_is_in_sync_while_it_caught_up_no_longer_than_the_lag_time_ago() {
        Set<Integer> inSync = newBookkeeping().inSync(1, Map.of(2, 95_000L, 3, 69_999L, 4, 70_000L), 100_000, LAG_MAX);
        assertEquals(List.of(1, 2, 4), List.copyOf(new TreeSet<>(inSync)),
                "2 caught up 5 s ago, 4 exactly 30 s ago (still in), 3 a millisecond longer ago (out)");
    }

    @Test
    void the_leader_is_always_in_sync_even_alone() {
        assertEquals(Set.of(1), Set.copyOf(newBookkeeping().inSync(1, Map.of(), 100_000, LAG_MAX)));
        assertEquals(Set.of(1), Set.copyOf(newBookkeeping().inSync(1, Map.of(2, 0L, 3, 0L), 100_000, LAG_MAX)));
    }

    @Test
    void a_lag_time_that_is_not_above_zero_is_refused_with_the_value() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> newBookkeeping().inSync(1, Map.of(2, 0L), 100, 0));
        assertTrue(zero.getMessage() != null && zero.getMessage().contains("0"), zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> newBookkeeping().inSync(1, Map.of(2, 0L), 100, -7));
        assertTrue(negative.getMessage() != null && negative.getMessage().contains("-7"), negative.getMessage());
    }

    @Test

    @DisplayName("a partition kept with this bookkeeping acknowledges acks=all only once every in-sync replica has it")
    void a_partition_kept_with_this_bookkeeping_acknowledges_acks_all_only_once_every_in_sync_replica_has_it() {
        ReplicatedPartition partition = new ReplicatedPartition(List.of(1, 2, 3), 2, LAG_MAX, false,
                newBookkeeping());
        long offset = partition.append("cod and chips", ReplicatedPartition.Acks.ALL);
        partition.fetch(2, 10);
        assertFalse(partition.acknowledged(offset), "replica 3 is in sync and has not fetched: " + partition);
        partition.fetch(3, 20);
        assertTrue(partition.acknowledged(offset), partition.toString());
        assertEquals(List.of("cod and chips"), partition.readable());

        partition.append("haddock", ReplicatedPartition.Acks.ALL);
        partition.fetch(2, 1_000);
        partition.tick(LAG_MAX + 21);
        assertEquals(Set.of(1, 2), Set.copyOf(partition.inSyncReplicas()), "3 has not caught up for over 30 s");
        assertEquals(2, partition.highWatermark(), "no longer held back by 3: " + partition);
    }
}
