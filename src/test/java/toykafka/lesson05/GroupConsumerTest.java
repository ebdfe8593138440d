package toykafka.lesson05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetReset;
import toykafka.lesson04.BrokerSettings;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;
import toykafka.common.CommitFailedException;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.UnknownMemberIdException;

/** A member reads only what the group gave it in the current generation, and commits only that. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupConsumerTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-17T12:00:00Z"));
    private final TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, clock);
    private final ConsumerGroup group;

    GroupConsumerTest() {
        topics.createTopic("orders", 3);
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 4; i++) {
                topics.append("orders", p, Record.of(null, p + ":" + i, clock.instant()));
            }
        }
        group = new GroupCoordinator("preparers", topics, new RangeAssignor(),
                new GroupSettings(Duration.ofSeconds(10), OffsetReset.EARLIEST), clock);
    }

    private static TopicPartition orders(int partition) {
        return new TopicPartition("orders", partition);
    }

    @Test
    void a_member_reads_only_its_own_partitions_from_the_committed_offset() {
        GroupConsumer anna = GroupConsumer.join(group, topics, "anna", Set.of("orders"), 100);
        GroupConsumer ben = GroupConsumer.join(group, topics, "ben", Set.of("orders"), 100);
        group.commit("ben", orders(2), 3);
        List<ConsumerRecord> annas = anna.poll();
        assertEquals(List.of(orders(0), orders(1)), anna.assignment());
        assertTrue(annas.stream().allMatch(r -> r.partition().partition() < 2), "anna reads orders-0 and -1 only: " + annas);
        assertEquals(8, annas.size());
        assertEquals(List.of("2:3"), ben.poll().stream().map(r -> r.record().valueText()).toList(),
                "ben starts orders-2 at the committed offset 3");
    }

    @Test
    void after_a_rebalance_a_member_never_reads_a_partition_it_lost() {
        GroupConsumer anna = GroupConsumer.join(group, topics, "anna", Set.of("orders"), 1);
        anna.poll(); // generation 1: anna owns everything and reads orders-0@0
        GroupConsumer.join(group, topics, "ben", Set.of("orders"), 1);
        GroupConsumer.join(group, topics, "carl", Set.of("orders"), 1);
        List<ConsumerRecord> read = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            read.addAll(anna.poll());
        }
        assertEquals(List.of(orders(0)), anna.assignment(), "range gives anna orders-0 of 3");
        assertTrue(read.stream().allMatch(r -> r.partition().equals(orders(0))), "anna read only orders-0: " + read);
        assertEquals(List.of(0L, 1L, 2L, 3L), read.stream().map(ConsumerRecord::offset).toList(),
                "and, having committed nothing, from the start of it again");
    }

    @Test
    void a_commit_after_an_unseen_rebalance_fails_and_the_next_poll_rereads_uncommitted_records() {
        GroupConsumer anna = GroupConsumer.join(group, topics, "anna", Set.of("orders"), 2);
        assertEquals("[orders-0@0 0:0, orders-0@1 0:1]", anna.poll().toString());
        anna.commitSync();
        assertEquals("[orders-1@0 1:0, orders-1@1 1:1]", anna.poll().toString());
        GroupConsumer.join(group, topics, "ben", Set.of("orders"), 2);
        CommitFailedException error = assertThrows(CommitFailedException.class, anna::commitSync);
        assertEquals("member 'anna' of group 'preparers' cannot commit: the group rebalanced (generation 1 to 2)"
                + " since it last polled; poll again, and what it read but did not commit will be read again",
                error.getMessage());
        assertEquals(OptionalLong.of(0), group.committed(orders(1)),
                "orders-1 keeps the commit from before the rebalance, not the refused one at 2");
        List<ConsumerRecord> again = new ArrayList<>();
        again.addAll(anna.poll());
        again.addAll(anna.poll());
        assertTrue(again.toString().contains("orders-1@0 1:0"), "orders-1 is read again from offset 0: " + again);
        assertTrue(again.toString().contains("orders-0@2 0:2"), "orders-0 goes on from its commit: " + again);
    }

    @Test
    void with_reset_none_a_poll_refused_for_a_missing_commit_changes_nothing_and_works_once_it_is_committed() {
        topics.createTopic("drinks", 2);
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < 3; i++) {
                topics.append("drinks", p, Record.of(null, "d" + p + ":" + i, clock.instant()));
            }
        }
        ConsumerGroup baristas = new GroupCoordinator("baristas", topics, new RangeAssignor(),
                new GroupSettings(Duration.ofSeconds(10), OffsetReset.NONE), clock);
        GroupConsumer anna = GroupConsumer.join(baristas, topics, "anna", Set.of("drinks"), 100);
        baristas.commit("anna", new TopicPartition("drinks", 0), 1);

        NoOffsetForPartitionException missing = assertThrows(NoOffsetForPartitionException.class, anna::poll,
                "drinks-1 has no commit and auto.offset.reset=none, so the poll must not guess where to start");
        assertEquals("group 'baristas' has no committed offset for drinks-1 and auto.offset.reset=none: commit the"
                + " offset to start from first", missing.getMessage());

        baristas.commit("anna", new TopicPartition("drinks", 1), 2);
        assertEquals("[drinks-0@1 d0:1, drinks-0@2 d0:2, drinks-1@2 d1:2]", anna.poll().toString(),
                "after the missing commit the next poll starts each partition at its committed offset");
        assertEquals(List.of(new TopicPartition("drinks", 0), new TopicPartition("drinks", 1)), anna.assignment());
        anna.commitSync();
        assertEquals(OptionalLong.of(3), baristas.committed(new TopicPartition("drinks", 1)),
                "the poll counts as seeing the rebalance, so anna's commit is accepted");
    }

    @Test
    void closing_hands_the_partitions_over_at_once() {
        GroupConsumer anna = GroupConsumer.join(group, topics, "anna", Set.of("orders"), 4);
        GroupConsumer ben = GroupConsumer.join(group, topics, "ben", Set.of("orders"), 4);
        anna.close();
        assertEquals(List.of("ben"), group.members());
        ben.poll();
        assertEquals(List.of(orders(0), orders(1), orders(2)), ben.assignment());
        UnknownMemberIdException gone = assertThrows(UnknownMemberIdException.class, anna::poll);
        assertTrue(gone.getMessage().startsWith("there is no member 'anna' in group 'preparers'"), gone.getMessage());
    }

    @Test
    void max_poll_records_below_1_is_refused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GroupConsumer.join(group, topics, "anna", Set.of("orders"), 0));
        assertEquals("max.poll.records must be at least 1, was 0", error.getMessage());
        assertEquals(List.of(), group.members(), "a refused consumer does not join");
    }

    @Test
    void with_random_joins_leaves_and_silences_no_record_is_read_by_a_member_that_does_not_own_it() {
        Random random = new Random(11);
        Map<String, GroupConsumer> members = new HashMap<>();
        for (int step = 0; step < 400; step++) {
            String id = "m" + random.nextInt(5);
            int action = random.nextInt(6);
            GroupConsumer member = members.get(id);
            if (member == null || !group.members().contains(id)) {
                members.put(id, GroupConsumer.join(group, topics, id, Set.of("orders"), 1 + random.nextInt(3)));
            } else if (action == 0) {
                member.close();
            } else if (action == 1) {
                clock.advance(Duration.ofSeconds(11)); // everyone falls silent: all are removed on the next call
            } else {
                if (random.nextBoolean()) {
                    topics.append("orders", random.nextInt(3), Record.of(null, "x", clock.instant()));
                }
                for (ConsumerRecord record : member.poll()) {
                    assertTrue(group.assignment(id).contains(record.partition()),
                            id + " read " + record + " but owns " + group.assignment(id));
                }
                if (random.nextBoolean()) {
                    member.commitSync();
                }
            }
        }
    }
}
