package toykafka.lesson19;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson19.ReplicatedPartition.Acks;
import toykafka.lesson19.ReplicatedPartition.Election;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReplicatedPartitionTest {

    private static final long LAG_MAX = 30_000;

    private static ReplicatedPartition threeReplicas(boolean unclean) {
        return new ReplicatedPartition(List.of(1, 2, 3), 2, LAG_MAX, unclean, new PartitionBookkeeping());
    }

    /** Three replicas that all copied "cod", and then "haddock", written with acks=1 to the leader, broker 1, alone. */
    private static ReplicatedPartition haddockOnTheLeaderOnly() {
        ReplicatedPartition partition = threeReplicas(false);
        partition.append("cod", Acks.ALL);
        partition.fetch(2, 1);
        partition.fetch(3, 1);
        partition.append("haddock", Acks.ONE);
        return partition;
    }

    @Test
    void an_acks_one_write_the_followers_never_copied_is_lost_when_its_leader_dies() {
        ReplicatedPartition partition = haddockOnTheLeaderOnly();
        long unreplicated = partition.logEndOffset(1) - 1; // haddock's
        assertEquals(2, partition.logEndOffset(1));
        assertEquals(1, partition.highWatermark(), "written on the leader only");

        Election election = partition.crash(1, 2);
        assertEquals(new Election(2, 1, false), election, "the first live replica in the ISR leads, in a new epoch");
        assertEquals(List.of("cod"), partition.readable(), "offset " + unreplicated + " went down with broker 1");
        long next = partition.append("plaice", Acks.ALL);
        assertEquals(1, next, "the new leader writes at the offset the lost record had");
    }

    @Test
    void a_returning_leader_cuts_off_what_it_wrote_in_the_epoch_the_others_ended_sooner() {
        ReplicatedPartition partition = haddockOnTheLeaderOnly();
        partition.crash(1, 2);
        partition.append("plaice", Acks.ALL);
        partition.fetch(3, 3);

        partition.restart(1, 4);
        assertEquals(List.of("cod", "haddock"), values(partition.log(1)), "broker 1 comes back with its own log");
        assertFalse(partition.inSyncReplicas().contains(1), "out of sync until it catches up");
        partition.fetch(1, 5);
        assertEquals(List.of("cod", "plaice"), values(partition.log(1)), "epoch 0 ended at offset 1 on the leader");
        assertEquals(List.of(0, 1), partition.log(1).stream().map(ReplicatedPartition.Entry::epoch).toList());
        assertEquals(Set.of(1, 2, 3), Set.copyOf(partition.inSyncReplicas()), "caught up, back in sync");
    }

    @Test
    void acks_all_is_refused_below_min_insync_replicas_while_acks_one_goes_on() {
        ReplicatedPartition partition = threeReplicas(false);
        partition.crash(2, 1);
        partition.crash(3, 1);
        NotEnoughReplicasException refused = assertThrows(NotEnoughReplicasException.class,
                () -> partition.append("cod", Acks.ALL));
        assertTrue(refused.getMessage().contains("min.insync.replicas"), refused.getMessage());
        assertEquals(19, refused.error().code(), "Kafka's NOT_ENOUGH_REPLICAS");
        assertEquals(0, partition.append("cod", Acks.ONE));
        assertEquals(1, partition.highWatermark(), "the leader alone is the ISR: its write is committed at once");
    }

    @Test
    void with_the_last_in_sync_replica_down_the_partition_is_offline_unless_unclean_election_is_enabled() {
        for (boolean unclean : List.of(false, true)) {
            ReplicatedPartition partition = threeReplicas(unclean);
            partition.append("cod", Acks.ALL);
            partition.fetch(2, 1);
            partition.fetch(3, 1);
            partition.crash(3, 2); // 3 is down with "cod"; 1 and 2 go on
            partition.append("haddock", Acks.ALL);
            partition.fetch(2, 3);
            partition.crash(2, 4);
            partition.append("plaice", Acks.ONE);
            partition.restart(3, 5); // back, but never caught up: out of sync
            Election election = partition.crash(1, 6);
            if (!unclean) {
                assertEquals(-1, election.leader(), "only 3 is alive, and it is not in sync: " + partition);
                assertThrows(LeaderNotAvailableException.class, () -> partition.append("scampi", Acks.ONE));
                assertEquals(new Election(1, 1, false), partition.restart(1, 7), "the last in-sync replica leads again");
                assertEquals(List.of("cod", "haddock", "plaice"), partition.readable(), "nothing was lost");
            } else {
                assertEquals(new Election(3, 1, true), election, "3 leads, though it lacks what was acknowledged");
                assertEquals(List.of("cod"), partition.readable(), "haddock, acknowledged under acks=all, is gone");
            }
        }
    }

    @Test
    void a_crash_of_a_broker_that_holds_no_replica_is_refused_by_name() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> threeReplicas(false).crash(7, 0));
        assertTrue(refused.getMessage().contains("7") && refused.getMessage().contains("[1, 2, 3]"),
                refused.getMessage());
    }

    private static List<String> values(List<ReplicatedPartition.Entry> log) {
        return log.stream().map(ReplicatedPartition.Entry::value).toList();
    }
}
