package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.testing.StartedBroker;

/**
 * The positions the broker keeps for its HTTP members. A member that does not call while the group
 * rebalances twice may lose a partition and get it back, and meanwhile another member may read further and
 * commit: the position it had is stale then, and must not be read from or committed again.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupPositionsTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);

    @StartedBroker
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        appendOrders(broker, 0, 10);
    }

    @Test
    void a_member_that_missed_two_rebalances_starts_from_the_commit_so_commits_never_go_back() {
        // The range assignor hands partitions out in member-id order: "fryer" takes the partition from "grill".
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), polledOffsets(GROUP, "grill", 5));
        instances.commit(GROUP, "grill", Map.of());

        instances.create(GROUP, "fryer", OffsetReset.EARLIEST); // grill stays silent from here ...
        instances.subscribe(GROUP, "fryer", Set.of("orders"));
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), polledOffsets(GROUP, "fryer", 10));
        instances.commit(GROUP, "fryer", Map.of());
        instances.leave(GROUP, "fryer"); // ... while the partition goes to fryer and comes back

        assertEquals(Map.of(ORDERS, 10L), instances.commit(GROUP, "grill", Map.of()),
                "grill commits where the group is, not where grill was before it lost the partition");
        assertEquals(Map.of(ORDERS, 10L), instances.committed(GROUP));
        assertEquals(List.of(), polledOffsets(GROUP, "grill", 10), "nothing the group committed comes again");
    }

    @Test
    void a_member_that_saw_the_rebalance_keeps_its_position_in_a_partition_it_kept() {
        instances.create(GROUP, "fryer", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "fryer", Set.of("orders"));
        assertEquals(List.of(0L, 1L, 2L), polledOffsets(GROUP, "fryer", 3)); // read, not committed

        instances.create(GROUP, "grill", OffsetReset.EARLIEST); // one rebalance; fryer keeps the partition
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        assertEquals(List.of(3L, 4L), polledOffsets(GROUP, "fryer", 2), "fryer goes on from its position, not from the commit");
    }

    @Test
    void a_position_the_log_no_longer_holds_moves_to_the_log_start_offset() {
        instances.create(GROUP, "fryer", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "fryer", Set.of("orders"));
        assertEquals(List.of(0L, 1L, 2L), polledOffsets(GROUP, "fryer", 3));

        broker.deleteRecords("orders", 0, 8); // as retention does: the records at fryer's position are gone
        assertEquals(List.of(8L, 9L), polledOffsets(GROUP, "fryer", 10), "the next poll reads on from the log start offset");
    }

    @Test
    void a_latest_member_on_a_partition_that_holds_records_reads_only_what_comes_after_it_joined() {
        instances.create(GROUP, "bar", OffsetReset.LATEST);
        instances.subscribe(GROUP, "bar", Set.of("orders"));
        assertEquals(List.of(), polledOffsets(GROUP, "bar", 10), "the ten orders already there are not for a latest member");
        broker.partitions().appendRecords("orders", List.of(new Partitions.ProduceRecord(0, Record.of(null, "late", Instant.EPOCH))));
        assertEquals(List.of(10L), polledOffsets(GROUP, "bar", 10));
        assertEquals(Map.of(ORDERS, 11L), instances.commit(GROUP, "bar", Map.of()));
    }

    @Test
    void a_poll_that_fills_max_records_from_one_partition_leaves_the_other_where_it_was() {
        broker.createTopic("drinks", 2, Map.of(), OnDuplicate.FAIL);
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < 3; i++) {
                records.add(new Partitions.ProduceRecord(p, Record.of(null, "drink " + p + "." + i, Instant.EPOCH)));
            }
        }
        broker.partitions().appendRecords("drinks", records);
        instances.create(GROUP, "bar", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "bar", Set.of("drinks"));
        List<ConsumerRecord> first = instances.poll(GROUP, "bar", 3, Duration.ZERO);
        assertEquals(3, first.size());
        assertEquals(1, first.stream().map(ConsumerRecord::partition).distinct().count(), "one partition filled the poll");
        TopicPartition filled = first.get(0).partition();
        List<ConsumerRecord> rest = instances.poll(GROUP, "bar", 10, Duration.ZERO);
        assertEquals(List.of(0L, 1L, 2L), rest.stream().map(ConsumerRecord::offset).toList());
        assertTrue(rest.stream().noneMatch(record -> record.partition().equals(filled)),
                "the other partition's three, from its start; none again from the filled one");
        assertEquals(Map.of(new TopicPartition("drinks", 0), 3L, new TopicPartition("drinks", 1), 3L),
                instances.commit(GROUP, "bar", Map.of()));
    }

    @Test
    void the_statistics_describe_each_group_with_its_members_and_each_committed_partitions_lag() {
        broker.createTopic("drinks", 1, Map.of(), OnDuplicate.FAIL);
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        assertEquals(List.of(0L, 1L, 2L, 3L), polledOffsets(GROUP, "grill", 4));
        instances.commit(GROUP, "grill", Map.of());
        instances.create("bar", "cafe", OffsetReset.EARLIEST);
        instances.subscribe("bar", "cafe", Set.of("drinks", "orders"));
        instances.commit("bar", "cafe", Map.of(new TopicPartition("drinks", 0), 0L, ORDERS, 0L));
        instances.leave("bar", "cafe");
        broker.deleteTopic("drinks");

        Map<String, Map<String, Object>> described = broker.groupStatistics();
        assertEquals(Map.of("members", List.of("grill"), "generation", 1,
                "partitions", Map.of("orders-0", Map.of("committed", 4L, "lag", 6L))), described.get(GROUP));
        assertEquals(List.of(), described.get("bar").get("members"), "cafe left");
        assertEquals(Set.of("orders-0"), ((Map<?, ?>) described.get("bar").get("partitions")).keySet(),
                "a commit to a deleted topic is no lag to report");
    }

    @Test
    void a_blank_group_id_is_refused_before_anything_is_created_or_described() {
        assertEquals(Errors.INVALID_GROUP_ID, assertThrows(ApiException.class,
                () -> instances.create(" ", "grill", OffsetReset.EARLIEST)).error());
        assertEquals(Errors.INVALID_GROUP_ID, assertThrows(ApiException.class,
                () -> instances.describe("")).error());
    }

    @Test
    void a_poll_asks_for_one_record_at_least_and_for_the_brokers_most_at_most() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        assertThrows(InvalidRequestException.class, () -> polledOffsets(GROUP, "grill", 0));
        assertThrows(InvalidRequestException.class, () -> polledOffsets(GROUP, "grill", Broker.MAX_RECORDS_PER_READ + 1));
        assertEquals(List.of(0L), polledOffsets(GROUP, "grill", 1));
        assertEquals(9, polledOffsets(GROUP, "grill", Broker.MAX_RECORDS_PER_READ).size());
    }
}
