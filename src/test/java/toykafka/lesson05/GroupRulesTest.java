package toykafka.lesson05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;
import toykafka.lesson04.BrokerSettings;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;

/** The reference group's refusals, word for word, and the delivery drill's counts. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupRulesTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-17T12:00:00Z"));
    private final TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, clock);
    private final GroupSettings settings = new GroupSettings(Duration.ofSeconds(10), OffsetReset.EARLIEST);
    private final GroupCoordinator group;

    GroupRulesTest() {
        topics.createTopic("orders", 2);
        group = new GroupCoordinator("preparers", topics, new RangeAssignor(), settings, clock);
    }

    @Test
    void join_refusals_say_what_is_wrong() {
        group.join("anna", Set.of("orders"));
        assertEquals("member 'anna' is already in group 'preparers': leave first, or join under another id",
                assertThrows(IllegalStateException.class, () -> group.join("anna", Set.of("orders"))).getMessage());
        assertEquals("a member needs an id that is not blank, was ' '",
                assertThrows(IllegalArgumentException.class, () -> group.join(" ", Set.of("orders"))).getMessage());
        assertEquals("a member needs an id that is not blank, was null",
                assertThrows(IllegalArgumentException.class, () -> group.join(null, Set.of("orders"))).getMessage());
        assertEquals("member 'ben' must read at least one topic",
                assertThrows(IllegalArgumentException.class, () -> group.join("ben", Set.of())).getMessage());
    }

    @Test
    void a_commit_outside_the_partition_names_the_valid_range() {
        topics.append("orders", 0, Record.of(null, "cod", clock.instant()));
        group.join("anna", Set.of("orders"));
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class,
                () -> group.commit("anna", new TopicPartition("orders", 0), 2));
        assertEquals("cannot commit offset 2 for orders-0: a committed offset is the next offset to read, from the log"
                + " start offset 0 to the end offset 1", error.getMessage());
    }

    @Test
    void a_group_and_its_settings_refuse_nonsense() {
        assertEquals("a consumer group needs a group.id that is not blank, was ''",
                assertThrows(IllegalArgumentException.class, () -> new GroupCoordinator("", topics, new RangeAssignor(),
                        settings, clock)).getMessage());
        assertEquals("session.timeout.ms must be more than 0, was 0",
                assertThrows(IllegalArgumentException.class,
                        () -> new GroupSettings(Duration.ZERO, OffsetReset.EARLIEST)).getMessage());
        assertEquals("session.timeout.ms=45000, auto.offset.reset=latest", GroupSettings.KAFKA_DEFAULTS.toString());
    }

    @Test
    void the_group_is_told_about_topics_it_does_not_know_when_asked_about_them() {
        assertEquals("there is no topic 'ready': the topics are orders", assertThrows(
                toykafka.common.UnknownTopicOrPartitionException.class,
                () -> group.lag(new TopicPartition("ready", 0))).getMessage());
    }

    @Test
    void a_deleted_topic_drops_out_of_the_next_rebalance() {
        topics.createTopic("drinks", 1);
        group.join("anna", Set.of("orders", "drinks"));
        topics.deleteTopic("drinks");
        group.join("ben", Set.of("orders"));
        assertEquals(List.of(new TopicPartition("orders", 0)), group.assignment("anna"));
        assertEquals(List.of(new TopicPartition("orders", 1)), group.assignment("ben"));
        assertEquals(0, group.lag(), "the lag counts only topics that exist");
    }

    @Test
    void the_drill_loses_a_batch_at_most_once_and_repeats_it_at_least_once() {
        DeliveryDrill.Result atMostOnce = DeliveryDrill.run(Delivery.AT_MOST_ONCE);
        assertEquals(List.of("275", "277"), atMostOnce.lost(), "commit, then crash: anna's second batch is lost");
        assertEquals(List.of(), atMostOnce.preparedTwice());
        assertEquals(6, atMostOnce.prepared().size());
        DeliveryDrill.Result atLeastOnce = DeliveryDrill.run(Delivery.AT_LEAST_ONCE);
        assertEquals(List.of(), atLeastOnce.lost());
        assertEquals(List.of("275", "277"), atLeastOnce.preparedTwice(), "prepare, then crash: ben prepares them again");
        assertEquals(10, atLeastOnce.prepared().size());
        assertEquals(8, atLeastOnce.sent());
    }
}
