package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.testing.StartedBroker;

/**
 * An instance that reads partitions assigned by hand, as Kafka's {@code assign}: no member of its group,
 * it seeks and commits only in the partitions it was given, forgets them when it unsubscribes, and
 * commits by itself as it polls and as it is deleted when it auto-commits.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AssignedInstanceTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @StartedBroker
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        appendOrders(broker, 0, 5);
    }

    private void createAssigned(String name, ConsumerInstanceConfig config) {
        instances.create(GROUP, name, config);
        instances.assign(GROUP, name, List.of(ORDERS_0));
    }

    @Test
    void it_owns_what_it_was_assigned_and_is_no_member_of_its_group() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        assertEquals(List.of(ORDERS_0), instances.assignment(GROUP, "grill"));
        assertEquals(List.of(), instances.subscription(GROUP, "grill"));
        assertEquals(Map.of(), instances.describe(GROUP).assignment());
        assertEquals(List.of(0L, 1L), polledOffsets(GROUP, "grill", 2));
    }

    @Test
    void seeking_in_a_partition_it_was_not_given_is_refused_and_moves_nothing() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> instances.seek(GROUP, "grill", ORDERS_1, 0));
        assertTrue(refused.getMessage().contains("owns [orders-0]"), refused.getMessage());
        assertFalse(refused.getMessage().contains("subscribe or assign"), "it has partitions: " + refused.getMessage());
        assertThrows(IllegalStateException.class,
                () -> instances.seekToEdge(GROUP, "grill", List.of(ORDERS_0, ORDERS_1), false));
        assertEquals(List.of(0L), polledOffsets(GROUP, "grill", 1), "the refused seek to the end moved orders-0 neither");
    }

    @Test
    void an_instance_that_reads_nothing_is_told_to_subscribe_or_assign_when_it_seeks() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> instances.seek(GROUP, "grill", ORDERS_0, 0));
        assertTrue(refused.getMessage().contains("subscribe or assign partitions first"), refused.getMessage());
    }

    @Test
    void seeks_move_the_position_to_an_offset_and_to_either_edge() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        instances.seek(GROUP, "grill", ORDERS_0, 3);
        assertEquals(List.of(3L), polledOffsets(GROUP, "grill", 1));
        instances.seekToEdge(GROUP, "grill", List.of(ORDERS_0), true);
        assertEquals(List.of(0L), polledOffsets(GROUP, "grill", 1));
        instances.seekToEdge(GROUP, "grill", List.of(ORDERS_0), false);
        assertEquals(List.of(), polledOffsets(GROUP, "grill", 1));
        assertEquals(Map.of(ORDERS_0, 5L), instances.commit(GROUP, "grill", Map.of()));
    }

    @Test
    void a_seek_while_a_poll_waits_has_the_poll_read_from_the_new_position() throws Exception {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        assertEquals(5, polledOffsets(GROUP, "grill", 10).size());
        CompletableFuture<List<ConsumerRecord>> polled = instances.pollAsync(GROUP, "grill", 10,
                Duration.ofMinutes(10), Runnable::run);
        instances.seek(GROUP, "grill", ORDERS_0, 3);

        appendOrders(broker, 0, 1); // answers the read made for position 5, which the seek made stale
        assertEquals(List.of(3L, 4L, 5L), polled.get(10, TimeUnit.SECONDS).stream().map(ConsumerRecord::offset).toList());
    }

    @Test
    void unsubscribing_forgets_the_positions_so_a_new_assignment_starts_where_the_group_committed() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        assertEquals(List.of(0L, 1L, 2L), polledOffsets(GROUP, "grill", 3));
        instances.unsubscribe(GROUP, "grill");
        assertEquals(List.of(), instances.assignment(GROUP, "grill"));

        instances.assign(GROUP, "grill", List.of(ORDERS_0));
        assertEquals(List.of(0L), polledOffsets(GROUP, "grill", 1), "nothing was committed: from the start, as earliest says");
    }

    @Test
    void a_partition_with_no_commit_is_refused_to_a_none_instance_until_it_seeks() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.NONE));
        assertThrows(NoOffsetForPartitionException.class, () -> polledOffsets(GROUP, "grill", 1));
    }

    @Test
    void a_poll_of_a_deleted_topic_is_refused_naming_it() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        assertEquals(List.of(0L), polledOffsets(GROUP, "grill", 1));
        broker.deleteTopic("orders");
        assertThrows(UnknownTopicOrPartitionException.class, () -> polledOffsets(GROUP, "grill", 1));
    }

    @Test
    void an_auto_committing_instance_commits_what_the_last_poll_handed_out_at_its_next_poll_and_as_it_goes() {
        createAssigned("grill", new ConsumerInstanceConfig(OffsetReset.EARLIEST, "binary", true, 1, null, false));
        assertEquals(List.of(0L, 1L), polledOffsets(GROUP, "grill", 2));
        assertEquals(List.of(2L), polledOffsets(GROUP, "grill", 1));
        assertEquals(Map.of(ORDERS_0, 2L), instances.committed(GROUP));

        instances.leave(GROUP, "grill");
        assertEquals(Map.of(ORDERS_0, 3L), instances.committed(GROUP), "deleted, it committed its position first");
    }

    @Test
    void an_instance_without_auto_commit_commits_nothing_by_itself() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        assertEquals(List.of(0L, 1L), polledOffsets(GROUP, "grill", 2));
        assertEquals(List.of(2L), polledOffsets(GROUP, "grill", 1));
        instances.leave(GROUP, "grill");
        assertEquals(Map.of(), instances.committed(GROUP));
    }

    @Test
    void a_subscribed_auto_committing_instance_commits_as_the_member_it_is() {
        instances.create(GROUP, "grill", new ConsumerInstanceConfig(OffsetReset.EARLIEST, "binary", true, 1, null, false));
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        assertEquals(List.of(0L, 1L), polledOffsets(GROUP, "grill", 2));
        polledOffsets(GROUP, "grill", 1);
        assertEquals(2L, instances.committed(GROUP).get(ORDERS_0), "taken by a group with a member: fenced by its generation");
    }

    @Test
    void an_assigned_instance_cannot_commit_in_a_group_that_has_members() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        createAssigned("tap", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> instances.commit(GROUP, "tap", Map.of(ORDERS_0, 1L)));
        assertTrue(refused.getMessage().contains("group with no members"), refused.getMessage());
    }

    @Test
    void an_instance_keeps_the_settings_it_was_created_with() {
        ConsumerInstanceConfig config = new ConsumerInstanceConfig(OffsetReset.LATEST, "json", true, 7, Duration.ofSeconds(3), false);
        instances.create(GROUP, "grill", config);
        assertEquals(config, instances.config(GROUP, "grill"));
    }

    @Test
    void committed_for_an_instance_names_only_partitions_that_have_a_commit() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        instances.commit(GROUP, "grill", Map.of(ORDERS_0, 4L));
        assertEquals(Map.of(ORDERS_0, 4L), instances.committed(GROUP, "grill", List.of(ORDERS_0, ORDERS_1)));
        assertEquals(Map.of(ORDERS_0, 4L), instances.committed(GROUP, "grill", null));
        assertThrows(UnknownTopicOrPartitionException.class,
                () -> instances.committed(GROUP, "grill", List.of(new TopicPartition("orders", 2))));
    }

    @Test
    void a_refused_seek_to_an_edge_names_the_edge() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> instances.seekToEdge(GROUP, "grill", List.of(ORDERS_1), false));
        assertTrue(refused.getMessage().contains("cannot seek to the end of orders-1"), refused.getMessage());
    }

    @Test
    void a_partition_the_broker_does_not_have_cannot_be_assigned() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        assertThrows(UnknownTopicOrPartitionException.class,
                () -> instances.assign(GROUP, "grill", List.of(new TopicPartition("orders", 2))));
        assertEquals(List.of(), instances.assignment(GROUP, "grill"));
    }

    @Test
    void an_empty_assignment_is_an_unsubscribe() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        instances.assign(GROUP, "grill", List.of());
        assertEquals(List.of(), instances.assignment(GROUP, "grill"));
        assertThrows(IllegalStateException.class, () -> polledOffsets(GROUP, "grill", 1), "it reads nothing now");
    }

    @Test
    void assignment_and_subscription_exclude_each_other_until_the_instance_unsubscribes() {
        createAssigned("grill", ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> instances.subscribe(GROUP, "grill", Set.of("orders")));
        assertTrue(refused.getMessage().contains("partitions assigned by hand [orders-0]"), refused.getMessage());
        instances.create(GROUP, "tap", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "tap", Set.of("orders"));
        assertThrows(IllegalStateException.class, () -> instances.assign(GROUP, "tap", List.of(ORDERS_0)));

        instances.unsubscribe(GROUP, "grill");
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        assertEquals(List.of("orders"), instances.subscription(GROUP, "grill"));
    }
}
