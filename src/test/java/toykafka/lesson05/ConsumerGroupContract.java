package toykafka.lesson05;

import static toykafka.check.MessageFacts.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;
import toykafka.lesson04.BrokerSettings;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson04.Topics;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.common.CommitFailedException;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.UnknownMemberIdException;

/**
 * What every consumer group promises: members come and go by joining, leaving or falling silent; every
 * partition has exactly one owner after each rebalance; only the owner commits; and the committed offset
 * is the next offset to read, from which lag is measured. Time is a clock the test moves.
 */
@Tag("lesson05")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ConsumerGroupContract {

    private static final Instant NOON = Instant.parse("2024-05-17T12:00:00Z");
    private static final Duration SESSION = Duration.ofSeconds(10);

    /** A new, empty group over these topics. */
    protected abstract ConsumerGroup newGroup(String groupId, Topics topics,
                                              PartitionAssignor assignor, GroupSettings settings, Clock clock);

    /** The topics the group reads: in memory, unless a subclass keeps them somewhere else (on disk, say). */
    protected Topics newTopics(BrokerSettings settings, Clock clock) {
        return new TopicRegistry(settings, clock);
    }

    private final ManualClock clock = new ManualClock(NOON);
    private Topics topics;

    @BeforeEach
    void createTopics() {
        topics = newTopics(BrokerSettings.STRICT, clock);
        topics.createTopic("orders", 3);
        topics.createTopic("drinks", 2);
    }

    @AfterEach
    void closeTopics() throws Exception {
        if (topics instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private ConsumerGroup group(PartitionAssignor assignor, OffsetReset reset) {
        return newGroup("preparers", topics, assignor, new GroupSettings(SESSION, reset), clock);
    }

    private ConsumerGroup group() {
        return group(new RangeAssignor(), OffsetReset.EARLIEST);
    }

    private static TopicPartition orders(int partition) {
        return new TopicPartition("orders", partition);
    }

    private static TopicPartition drinks(int partition) {
        return new TopicPartition("drinks", partition);
    }

    private void write(String topic, int partition, int records) {
        for (int i = 0; i < records; i++) {
            topics.append(topic, partition, Record.of(null, topic + i, clock.instant()));
        }
    }

    private static void assertEachPartitionOwnedOnce(ConsumerGroup group, List<TopicPartition> all) {
        List<TopicPartition> owned = new ArrayList<>();
        group.assignment().values().forEach(owned::addAll);
        assertEquals(all, owned.stream().sorted().toList(),
                "every partition should have exactly one owner, was " + group.assignment());
    }

    @Test
    @Order(1)
    void a_new_group_has_no_members_and_generation_0() {
        ConsumerGroup group = group();
        assertEquals("preparers", group.groupId(), "groupId() should be the id the group was created with");
        assertEquals(List.of(), group.members(), "a new group has no members");
        assertEquals(0, group.generation(), "a new group has had no rebalance: generation 0");
        assertEquals(Map.of(), group.assignment(), "a new group has assigned nothing");
    }

    @Test
    @Order(2)
    void the_first_member_gets_every_partition_of_its_topics() {
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        assertEquals(List.of("anna"), group.members(), "after anna joins she is the group's one member");
        assertEquals(1, group.generation(), "a join is a rebalance: generation 1");
        assertEquals(List.of(orders(0), orders(1), orders(2)), group.assignment("anna"),
                "the only member reads all 3 partitions of orders");
    }

    @Test
    @Order(3)
    void each_join_rebalances_and_every_partition_has_exactly_one_owner() {
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders", "drinks"));
        group.join("ben", Set.of("orders", "drinks"));
        group.join("carl", Set.of("orders", "drinks"));
        assertEquals(3, group.generation(), "three joins, three rebalances");
        assertEquals(List.of("anna", "ben", "carl"), group.members(), "members are listed in id order");
        assertEachPartitionOwnedOnce(group, List.of(drinks(0), drinks(1), orders(0), orders(1), orders(2)));
        assertEquals(Map.of("anna", List.of(drinks(0), orders(0)), "ben", List.of(drinks(1), orders(1)),
                "carl", List.of(orders(2))), group.assignment(), "the range assignor's split, topic by topic");
    }

    @Test
    @Order(4)
    protected void the_split_is_the_assignors() { // protected: a broker that picks the assignor itself states that instead
        ConsumerGroup group = group(new RoundRobinAssignor(), OffsetReset.EARLIEST);
        group.join("carl", Set.of("orders", "drinks"));
        group.join("anna", Set.of("orders", "drinks"));
        group.join("ben", Set.of("orders", "drinks"));
        assertEquals(Map.of("anna", List.of(drinks(0), orders(1)), "ben", List.of(drinks(1), orders(2)),
                "carl", List.of(orders(0))), group.assignment(),
                "round robin deals drinks-0, drinks-1, orders-0, ... to anna, ben, carl in turn, whatever the join order");
    }

    @Test
    @Order(5)
    void a_member_gets_only_partitions_of_the_topics_it_reads() {
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        group.join("ben", Set.of("drinks"));
        assertEquals(List.of(orders(0), orders(1), orders(2)), group.assignment("anna"),
                "anna reads only orders, so she gets all 3 orders partitions and none of drinks");
        assertEquals(List.of(drinks(0), drinks(1)), group.assignment("ben"),
                "ben reads only drinks, so he gets both drinks partitions and none of orders");
    }

    @Test
    @Order(6)
    void a_leave_rebalances_and_the_others_take_over() {
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        group.join("ben", Set.of("orders"));
        group.leave("anna");
        assertEquals(List.of("ben"), group.members(), "anna left, so ben is the only member");
        assertEquals(3, group.generation(), "two joins and a leave: three rebalances");
        assertEquals(List.of(orders(0), orders(1), orders(2)), group.assignment("ben"), "ben takes anna's partitions");
    }

    @Test
    @Order(7)
    void heartbeats_keep_a_member_in_the_group() {
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(8));
            group.heartbeat("anna");
        }
        assertEquals(List.of("anna"), group.members(), "a member that heartbeats every 8 s of a 10 s session stays");
        assertEquals(1, group.generation(), "heartbeats cause no rebalance");
    }

    @Test
    @Order(8)
    void a_member_silent_for_longer_than_the_session_timeout_is_removed() {
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        group.join("ben", Set.of("orders"));
        clock.advance(Duration.ofSeconds(6));
        group.heartbeat("ben");
        clock.advance(Duration.ofSeconds(4));
        assertEquals(List.of("anna", "ben"), group.members(), "after exactly session.timeout.ms of silence anna is still in");
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of("ben"), group.members(), "one millisecond more and anna is removed");
        assertEquals(3, group.generation(), "the removal is a rebalance");
        assertEquals(List.of(orders(0), orders(1), orders(2)), group.assignment("ben"), "ben takes anna's partitions");
    }

    @Test
    @Order(9)
    void a_removed_member_is_told_it_is_unknown() {
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        clock.advance(Duration.ofSeconds(11));
        UnknownMemberIdException heartbeat = assertThrows(UnknownMemberIdException.class, () -> group.heartbeat("anna"),
                "anna was silent for 11 s, past session.timeout.ms (10 s), and was removed: her heartbeat must be"
                        + " refused with UnknownMemberIdException");
        assertMentions(heartbeat, "anna", "preparers");
        assertThrows(UnknownMemberIdException.class, () -> group.commit("anna", orders(0), 0),
                "anna missed heartbeats past session.timeout.ms and was removed, so her commit must be refused with"
                        + " UnknownMemberIdException");
        assertThrows(UnknownMemberIdException.class, () -> group.leave("anna"),
                "anna was removed already, so she cannot leave: leave must throw UnknownMemberIdException");
        assertThrows(UnknownMemberIdException.class, () -> group.assignment("anna"),
                "anna was removed, so she owns no partitions: assignment(\"anna\") must throw UnknownMemberIdException");
        group.join("anna", Set.of("orders"));
        assertEquals(List.of(orders(0), orders(1), orders(2)), group.assignment("anna"), "joining again works");
    }

    @Test
    @Order(10)
    void a_join_needs_a_new_id_and_topics_that_exist() {
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> group.join("anna", Set.of("drinks")),
                "a member id names one member: a second join as 'anna' must be refused with IllegalStateException");
        assertMentions(twice, "anna", "preparers");
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> group.join(" ", Set.of("orders")),
                "a blank member id names nobody: the join must be refused with IllegalArgumentException");
        assertMentions(blank); // any words, as long as there are some
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class, () -> group.join("ben", Set.of()),
                "a member that reads no topic could own no partition: the join must be refused with"
                        + " IllegalArgumentException");
        assertMentions(nothing, "ben");
        UnknownTopicOrPartitionException typo = assertThrows(UnknownTopicOrPartitionException.class,
                () -> group.join("ben", Set.of("orders", "oders")),
                "there is no topic 'oders' to share out: the join must be refused with UnknownTopicOrPartitionException");
        assertMentions(typo, "oders", "drinks", "orders");
        assertEquals(List.of("anna"), group.members(), "refused joins add nobody");
        assertEquals(1, group.generation(), "and cause no rebalance");
    }

    @Test
    @Order(11)
    void a_commit_records_the_next_offset_to_read() {
        write("orders", 0, 5);
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        assertEquals(OptionalLong.empty(), group.committed(orders(0)), "nothing is committed before the first commit");
        group.commit("anna", orders(0), 3);
        assertEquals(OptionalLong.of(3), group.committed(orders(0)), "the committed offset is the one committed");
        assertEquals(3, group.startingOffset(orders(0)), "the group starts again at the committed offset");
        group.commit("anna", orders(0), 5);
        assertEquals(OptionalLong.of(5), group.committed(orders(0)), "a later commit replaces the earlier one");
        assertEquals(OptionalLong.empty(), group.committed(orders(1)), "commits are per partition");
    }

    @Test
    @Order(12)
    void without_a_commit_the_reset_policy_says_where_to_start() {
        write("orders", 0, 4);
        assertEquals(0, group(new RangeAssignor(), OffsetReset.EARLIEST).startingOffset(orders(0)),
                "auto.offset.reset=earliest starts at the log start");
        assertEquals(4, group(new RangeAssignor(), OffsetReset.LATEST).startingOffset(orders(0)),
                "auto.offset.reset=latest starts at the end: only new records");
    }

    @Test
    @Order(13)
    void with_reset_none_a_partition_without_a_commit_is_refused() {
        ConsumerGroup group = group(new RangeAssignor(), OffsetReset.NONE);
        NoOffsetForPartitionException error = assertThrows(NoOffsetForPartitionException.class,
                () -> group.startingOffset(orders(1)),
                "orders-1 has no committed offset and auto.offset.reset=none forbids a guess: startingOffset must throw"
                        + " NoOffsetForPartitionException");
        assertMentions(error, "preparers", "orders-1");
        group.join("anna", Set.of("orders"));
        group.commit("anna", orders(1), 0);
        assertEquals(0, group.startingOffset(orders(1)), "once committed, the partition has a start");
    }

    @Test
    @Order(14)
    void only_the_owner_may_commit_a_partition() {
        write("orders", 2, 3);
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        group.join("ben", Set.of("orders"));
        CommitFailedException notHers = assertThrows(CommitFailedException.class, () -> group.commit("anna", orders(2), 1),
                "after ben joined, the range assignor gives orders-2 to ben: anna's commit of it must be refused with"
                        + " CommitFailedException");
        assertMentions(notHers, "anna", "orders-2", "ben");
        CommitFailedException nobodys = assertThrows(CommitFailedException.class, () -> group.commit("anna", drinks(0), 0),
                "no member reads drinks, so nobody owns drinks-0: anna's commit of it must be refused with"
                        + " CommitFailedException");
        assertMentions(nobodys, "anna", "drinks-0");
        assertEquals(OptionalLong.empty(), group.committed(orders(2)), "a refused commit commits nothing");
    }

    @Test
    @Order(15)
    void a_committed_offset_lies_between_the_log_start_and_the_end_offset() {
        write("orders", 0, 5);
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        group.commit("anna", orders(0), 5); // the end offset: everything read
        OffsetOutOfRangeException beyond = assertThrows(OffsetOutOfRangeException.class,
                () -> group.commit("anna", orders(0), 6),
                "orders-0 ends at offset 5, so 6 is no offset it could be read from: the commit must be refused with"
                        + " OffsetOutOfRangeException");
        assertMentions(beyond, 6, "orders-0", 0, 5);
        assertThrows(OffsetOutOfRangeException.class, () -> group.commit("anna", orders(0), -1),
                "-1 is before orders-0's log start offset 0: the commit must be refused with OffsetOutOfRangeException");
        assertEquals(OptionalLong.of(5), group.committed(orders(0)), "refused commits leave the last good one");
    }

    @Test
    @Order(16)
    void committed_offsets_belong_to_the_group_and_survive_rebalances() {
        write("orders", 0, 5);
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        group.commit("anna", orders(0), 4);
        group.join("ben", Set.of("orders"));
        group.leave("anna");
        assertEquals(OptionalLong.of(4), group.committed(orders(0)), "anna's commit outlives her membership");
        assertEquals(4, group.startingOffset(orders(0)), "ben, the new owner, starts where anna got to");
    }

    @Test
    @Order(17)
    void lag_is_the_end_offset_minus_the_committed_offset() {
        write("orders", 0, 5);
        write("orders", 1, 2);
        ConsumerGroup group = group();
        group.join("anna", Set.of("orders"));
        assertEquals(5, group.lag(orders(0)), "no commit yet: all 5 records are still to read");
        group.commit("anna", orders(0), 3);
        assertEquals(2, group.lag(orders(0)), "end offset 5 minus committed 3");
        assertEquals(2, group.lag(orders(1)), "orders-1 holds 2 records and has no commit: lag 2");
        assertEquals(0, group.lag(orders(2)), "an empty partition has no lag");
        assertEquals(4, group.lag(), "the group's lag sums its partitions");
        write("orders", 2, 1);
        assertEquals(5, group.lag(), "a new record adds to the lag until it is committed");
    }

    @Test
    @Order(18)
    void two_groups_read_the_same_topic_independently() {
        write("orders", 0, 5);
        ConsumerGroup preparers = group();
        ConsumerGroup auditors = newGroup("auditors", topics, new RangeAssignor(),
                new GroupSettings(SESSION, OffsetReset.EARLIEST), clock);
        preparers.join("anna", Set.of("orders"));
        auditors.join("audrey", Set.of("orders"));
        assertEquals(List.of(orders(0), orders(1), orders(2)), auditors.assignment("audrey"),
                "audrey reads every partition, whatever the preparers do");
        preparers.commit("anna", orders(0), 5);
        assertEquals(OptionalLong.empty(), auditors.committed(orders(0)), "a commit of one group is not another's");
        assertEquals(0, preparers.lag(), "the preparers are up to date");
        assertEquals(5, auditors.lag(), "the auditors have read nothing yet");
        assertThrows(UnknownMemberIdException.class, () -> auditors.commit("anna", orders(0), 5),
                "anna is not a member of the auditors");
    }
}
