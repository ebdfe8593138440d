package toykafka.lesson05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicPartition;

/** What holds for every assignor, on random groups, and what the sticky one adds: few partitions move. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AssignorsTest {

    private static final List<PartitionAssignor> ASSIGNORS =
            List.of(new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor());

    @Test
    void every_partition_goes_to_exactly_one_member_that_reads_its_topic() {
        Random random = new Random(77);
        for (int i = 0; i < 1_000; i++) {
            KafkaAssignorOracleTest.Case group = KafkaAssignorOracleTest.randomCase(random);
            Map<String, List<TopicPartition>> current = new StickyAssignor().assign(
                    group.partitionsPerTopic(), group.subscriptions());
            for (PartitionAssignor assignor : ASSIGNORS) {
                var assignment = assignor.assign(group.partitionsPerTopic(), group.subscriptions(), current);
                assertValid(assignor.name() + ", case " + i + " " + group, group, assignment);
            }
        }
    }

    @Test
    void with_everyone_reading_the_same_topics_round_robin_and_sticky_are_balanced_within_one() {
        Random random = new Random(78);
        for (int i = 0; i < 1_000; i++) {
            int members = 1 + random.nextInt(7);
            Map<String, Set<String>> subscriptions = new TreeMap<>();
            for (int m = 0; m < members; m++) {
                subscriptions.put("m" + m, Set.of("orders", "drinks"));
            }
            Map<String, Integer> partitions = Map.of("orders", 1 + random.nextInt(10), "drinks", 1 + random.nextInt(10));
            for (PartitionAssignor assignor : List.of(new RoundRobinAssignor(), new StickyAssignor())) {
                var sizes = assignor.assign(partitions, subscriptions).values().stream().map(List::size).toList();
                int spread = sizes.stream().max(Integer::compare).orElseThrow() - sizes.stream().min(Integer::compare).orElseThrow();
                assertTrue(spread <= 1, assignor.name() + " should balance " + partitions + " over " + members + ": " + sizes);
            }
        }
    }

    @Test
    void range_gives_the_extras_of_every_topic_to_the_same_first_members() {
        var assignment = new RangeAssignor().assign(Map.of("orders", 3, "drinks", 3),
                Map.of("anna", Set.of("orders", "drinks"), "ben", Set.of("orders", "drinks")));
        assertEquals(4, assignment.get("anna").size(), "anna gets 2 of each topic's 3 partitions");
        assertEquals(2, assignment.get("ben").size());
    }

    @Test
    void when_a_member_leaves_sticky_moves_only_its_partitions() {
        Random random = new Random(79);
        for (int i = 0; i < 1_000; i++) {
            Map<String, Set<String>> subscriptions = new TreeMap<>();
            int members = 2 + random.nextInt(6);
            for (int m = 0; m < members; m++) {
                subscriptions.put("m" + m, Set.of("orders"));
            }
            Map<String, Integer> partitions = Map.of("orders", 1 + random.nextInt(24));
            StickyAssignor sticky = new StickyAssignor();
            var before = sticky.assign(partitions, subscriptions);
            String leaver = "m" + random.nextInt(members);
            subscriptions.remove(leaver);
            var after = sticky.assign(partitions, subscriptions, before);
            for (String stayer : subscriptions.keySet()) {
                assertTrue(after.get(stayer).containsAll(before.get(stayer)),
                        stayer + " keeps what it had when " + leaver + " leaves: " + before + " -> " + after);
            }
            assertEquals(before.get(leaver).size(), moved(before, after),
                    "only the leaver's partitions move: " + before + " -> " + after);
        }
    }

    @Test
    void when_a_member_joins_sticky_moves_fewer_partitions_than_range_or_round_robin() {
        Map<String, Integer> partitions = Map.of("orders", 6);
        Map<String, Set<String>> two = Map.of("anna", Set.of("orders"), "ben", Set.of("orders"));
        Map<String, Set<String>> three = new HashMap<>(two);
        three.put("carl", Set.of("orders"));
        Map<String, Integer> movedBy = new TreeMap<>();
        for (PartitionAssignor assignor : ASSIGNORS) {
            var before = assignor.assign(partitions, two);
            movedBy.put(assignor.name(), moved(before, assignor.assign(partitions, three, before)));
        }
        assertEquals(Map.of("range", 3, "roundrobin", 4, "sticky", 2), movedBy,
                "carl needs 2 partitions; only sticky moves no more than that");
    }

    /** How many partitions have a different owner after than before (new partitions do not count). */
    static int moved(Map<String, List<TopicPartition>> before, Map<String, List<TopicPartition>> after) {
        Map<TopicPartition, String> ownerBefore = new HashMap<>();
        before.forEach((member, partitions) -> partitions.forEach(p -> ownerBefore.put(p, member)));
        int moved = 0;
        for (var entry : after.entrySet()) {
            for (TopicPartition partition : entry.getValue()) {
                String previous = ownerBefore.get(partition);
                if (previous != null && !previous.equals(entry.getKey())) {
                    moved++;
                }
            }
        }
        return moved;
    }

    private static void assertValid(String what, KafkaAssignorOracleTest.Case group,
                                    SortedMap<String, List<TopicPartition>> assignment) {
        assertEquals(group.subscriptions().keySet(), assignment.keySet(), what + ": every member, even one with nothing");
        List<TopicPartition> owned = new ArrayList<>();
        assignment.forEach((member, partitions) -> partitions.forEach(partition -> {
            assertTrue(group.subscriptions().get(member).contains(partition.topic()),
                    what + ": " + member + " got " + partition + " of a topic it does not read");
            owned.add(partition);
        }));
        List<TopicPartition> all = new ArrayList<>();
        group.partitionsPerTopic().forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartition(topic, p));
            }
        });
        assertEquals(all.stream().sorted().toList(), owned.stream().sorted().toList(),
                what + ": each partition exactly once");
    }
}
