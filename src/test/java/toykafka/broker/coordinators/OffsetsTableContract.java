package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.common.TopicPartition;

/**
 * What the table of committed offsets promises: the latest commit per group and partition, tombstones
 * remove, and replaying the stream gives the same table however it is cut. The reference
 * {@link SortedOffsetsTable} and a learner's own class run these same tests.
 */
@Tag("lesson10")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class OffsetsTableContract {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition READY_0 = new TopicPartition("ready", 0);

    /** A new, empty table. */
    protected abstract OffsetsTable newTable();

    /** A new table that has applied these commits, in order. */
    private OffsetsTable tableAfter(Commit... commits) {
        OffsetsTable table = newTable();
        for (Commit commit : commits) {
            table.apply(commit);
        }
        return table;
    }

    @Test
    @Order(1)
    void a_new_table_has_no_groups_and_no_offsets() {
        OffsetsTable table = newTable();
        assertEquals(new TreeSet<>(), table.groups(), "a new table has no groups");
        assertEquals(OptionalLong.empty(), table.committed("kitchen", ORDERS_0), "a new table has no offsets");
        assertEquals(new TreeMap<>(), table.offsets("kitchen"), "a group with no commits has an empty map of offsets");
    }

    @Test
    @Order(2)
    void a_commit_is_found_by_its_group_and_partition() {
        OffsetsTable table = tableAfter(Commit.of("kitchen", ORDERS_0, 12));
        assertEquals(OptionalLong.of(12), table.committed("kitchen", ORDERS_0), "kitchen committed 12 on orders-0");
        assertEquals(OptionalLong.empty(), table.committed("kitchen", ORDERS_1), "nothing was committed on orders-1");
        assertEquals(OptionalLong.empty(), table.committed("tills", ORDERS_0), "another group committed nothing");
        assertEquals(new TreeSet<>(List.of("kitchen")), table.groups());
    }

    @Test
    @Order(3)
    void the_latest_commit_wins_even_when_it_moves_back() {
        OffsetsTable table = tableAfter(Commit.of("kitchen", ORDERS_0, 12), Commit.of("kitchen", ORDERS_0, 20));
        assertEquals(OptionalLong.of(20), table.committed("kitchen", ORDERS_0), "the later commit replaces the earlier");
        table.apply(Commit.of("kitchen", ORDERS_0, 5)); // a consumer that seeked back and committed
        assertEquals(OptionalLong.of(5), table.committed("kitchen", ORDERS_0),
                "the table follows the stream: the last record wins, whatever its value");
    }

    @Test
    @Order(4)
    void a_group_offsets_come_in_partition_order_and_groups_in_name_order() {
        OffsetsTable table = tableAfter(Commit.of("tills", READY_0, 3),
                Commit.of("kitchen", ORDERS_1, 7),
                Commit.of("kitchen", READY_0, 1),
                Commit.of("kitchen", ORDERS_0, 9));
        SortedMap<TopicPartition, Long> expected = new TreeMap<>(Map.of(ORDERS_0, 9L, ORDERS_1, 7L, READY_0, 1L));
        assertEquals(expected, table.offsets("kitchen"));
        assertEquals(List.of(ORDERS_0, ORDERS_1, READY_0), new ArrayList<>(table.offsets("kitchen").keySet()),
                "offsets(group) iterates in topic, then partition order");
        assertEquals(List.of("kitchen", "tills"), new ArrayList<>(table.groups()), "groups() iterates in name order");
    }

    @Test
    @Order(5)
    void a_tombstone_removes_the_entry_and_a_group_with_none_left_is_gone() {
        OffsetsTable table = tableAfter(Commit.of("kitchen", ORDERS_0, 12),
                Commit.of("kitchen", ORDERS_1, 4),
                Commit.tombstone("kitchen", ORDERS_0));
        assertEquals(OptionalLong.empty(), table.committed("kitchen", ORDERS_0), "the tombstone removed orders-0");
        assertEquals(OptionalLong.of(4), table.committed("kitchen", ORDERS_1), "a tombstone removes only its key");
        table.apply(Commit.tombstone("kitchen", ORDERS_1));
        assertEquals(new TreeSet<>(), table.groups(), "a group whose every offset was removed is no longer listed");
        table.apply(Commit.tombstone("nobody", READY_0));
        assertEquals(new TreeSet<>(), table.groups(), "a tombstone for an offset never committed changes nothing");
        table.apply(Commit.of("kitchen", ORDERS_0, 30));
        assertEquals(OptionalLong.of(30), table.committed("kitchen", ORDERS_0), "a commit after a tombstone counts");
    }

    @Test
    @Order(6)
    void what_the_table_hands_out_does_not_change_behind_its_reader() {
        OffsetsTable table = tableAfter(Commit.of("kitchen", ORDERS_0, 12));
        SortedMap<TopicPartition, Long> before = table.offsets("kitchen");
        table.apply(Commit.of("kitchen", ORDERS_0, 13));
        table.apply(Commit.of("kitchen", ORDERS_1, 1));
        assertEquals(new TreeMap<>(Map.of(ORDERS_0, 12L)), before,
                "offsets(group) is a snapshot: later commits must not show up in a map already handed out");
    }

    @Test
    @Order(7)
    void a_null_commit_is_refused() {
        OffsetsTable table = newTable();
        assertThrows(NullPointerException.class, () -> table.apply(null),
                "apply(null) should throw NullPointerException: the offsets topic holds no empty records");
    }

    // tag::duality[]
    @Test
    @Order(8)
    void replaying_a_stream_or_its_compacted_form_gives_the_same_table() {
        Random random = new Random(9);
        for (int stream = 0; stream < 500; stream++) {
            List<Commit> commits = randomCommits(random, 1 + random.nextInt(60));
            OffsetsTable whole = newTable();
            whole.replay(commits);

            // The model: the last record per key, tombstones dropped, as compaction would leave the topic.
            Map<List<Object>, Commit> latest = new HashMap<>();
            commits.forEach(commit -> latest.put(List.of(commit.group(), commit.partition()), commit));
            OffsetsTable compacted = newTable();
            latest.values().stream().filter(commit -> !commit.isTombstone()).forEach(compacted::apply);

            for (String group : List.of("kitchen", "tills", "cooks")) {
                assertEquals(compacted.offsets(group), whole.offsets(group), "stream " + stream + ", group " + group
                        + ": replaying " + commits + " should give each key's last commit");
            }
            assertEquals(compacted.groups(), whole.groups(), "stream " + stream + ": " + commits);
        }
    }
    // end::duality[]

    private static List<Commit> randomCommits(Random random, int count) {
        List<String> groups = List.of("kitchen", "tills", "cooks");
        List<Commit> commits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String group = groups.get(random.nextInt(groups.size()));
            TopicPartition partition = new TopicPartition(random.nextBoolean() ? "orders" : "ready", random.nextInt(3));
            commits.add(random.nextInt(5) == 0 ? Commit.tombstone(group, partition)
                    : Commit.of(group, partition, random.nextInt(1000)));
        }
        return commits;
    }
}
