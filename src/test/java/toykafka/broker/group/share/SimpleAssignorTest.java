package toykafka.broker.group.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicId;

/** The share group assignor spreading partitions over members, and several members over a partition. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SimpleAssignorTest {

    private static final TopicId ORDERS = new TopicId(0, 1);
    private static final TopicId REFUNDS = new TopicId(0, 2);
    private static final SimpleAssignor ASSIGNOR = new SimpleAssignor();

    private static SimpleAssignor.Member fresh(String id, TopicId... topics) {
        return new SimpleAssignor.Member(id, Set.of(topics), Map.of());
    }

    private static SimpleAssignor.Member holding(String id, Set<TopicId> topics, Map<TopicId, Set<Integer>> had) {
        return new SimpleAssignor.Member(id, topics, had);
    }

    /** The assignment when every partition of each topic, {@code count} a topic, may be assigned. */
    private static Map<String, SortedMap<TopicId, SortedSet<Integer>>> assign(List<SimpleAssignor.Member> members,
                                                                              Map<TopicId, Integer> partitions) {
        Map<TopicId, Set<Integer>> assignable = new HashMap<>();
        partitions.forEach((topic, count) -> assignable.put(topic, IntStream.range(0, count).boxed()
                .collect(Collectors.toSet())));
        return ASSIGNOR.assign(members, assignable);
    }

    private static Map<String, Map<TopicId, Set<Integer>>> plain(
            Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment) {
        Map<String, Map<TopicId, Set<Integer>>> copy = new HashMap<>();
        assignment.forEach((member, topics) -> {
            Map<TopicId, Set<Integer>> byTopic = new HashMap<>();
            topics.forEach((topic, partitions) -> byTopic.put(topic, Set.copyOf(partitions)));
            copy.put(member, byTopic);
        });
        return copy;
    }

    @Test
    void fewer_members_than_partitions_each_partition_has_one_member_and_members_take_turns() {
        var assignment = assign(List.of(fresh("c", ORDERS), fresh("a", ORDERS), fresh("b", ORDERS)),
                Map.of(ORDERS, 6));
        assertEquals(Map.of("a", Map.of(ORDERS, Set.of(0, 3)), "b", Map.of(ORDERS, Set.of(1, 4)),
                "c", Map.of(ORDERS, Set.of(2, 5))), plain(assignment));
        assertEquals("simple", ASSIGNOR.name());
    }

    @Test
    void as_many_members_as_partitions_give_each_partition_to_exactly_one_member_whatever_they_held() {
        Map<String, Map<TopicId, Set<Integer>>> oneEach = Map.of("a", Map.of(ORDERS, Set.of(0)),
                "b", Map.of(ORDERS, Set.of(1)));
        assertEquals(oneEach, plain(assign(List.of(fresh("a", ORDERS), fresh("b", ORDERS)),
                Map.of(ORDERS, 2))));
        assertEquals(oneEach, plain(assign(List.of(holding("a", Set.of(ORDERS), Map.of(ORDERS, Set.of(0, 1))),
                fresh("b", ORDERS)), Map.of(ORDERS, 2))), "the member that had both keeps one, the newcomer the other");
        var wasShared = plain(assign(List.of(holding("a", Set.of(ORDERS), Map.of(ORDERS, Set.of(1))),
                holding("b", Set.of(ORDERS), Map.of(ORDERS, Set.of(1)))), Map.of(ORDERS, 2)));
        assertEquals(Set.of(Map.of(ORDERS, Set.of(0)), Map.of(ORDERS, Set.of(1))), Set.copyOf(wasShared.values()),
                "a partition two members shared goes to one of them once there is a partition each: " + wasShared);
    }

    @Test
    void more_members_than_partitions_share_each_partition() {
        var assignment = assign(List.of(fresh("a", ORDERS), fresh("b", ORDERS), fresh("c", ORDERS),
                fresh("d", ORDERS), fresh("e", ORDERS)), Map.of(ORDERS, 2));
        // sharing ceil(5 / 2) = 3, six shares over five members: quotas 2, 1, 1, 1, 1
        assertEquals(Map.of("a", Map.of(ORDERS, Set.of(0, 1)), "b", Map.of(ORDERS, Set.of(0)),
                "c", Map.of(ORDERS, Set.of(0)), "d", Map.of(ORDERS, Set.of(1)), "e", Map.of(ORDERS, Set.of(1))),
                plain(assignment));
    }

    @Test
    void a_joining_member_takes_only_what_the_others_must_give_up() {
        var before = List.of(holding("a", Set.of(ORDERS), Map.of(ORDERS, Set.of(0, 1, 2))),
                holding("b", Set.of(ORDERS), Map.of(ORDERS, Set.of(3, 4, 5))), fresh("c", ORDERS));
        var after = plain(assign(before, Map.of(ORDERS, 6)));
        assertEquals(Map.of(ORDERS, Set.of(0, 1)), after.get("a"));
        assertEquals(Map.of(ORDERS, Set.of(3, 4)), after.get("b"));
        assertEquals(Map.of(ORDERS, Set.of(2, 5)), after.get("c"));
    }

    @Test
    void a_partition_shared_beyond_the_need_is_given_up_by_its_last_members() {
        var before = List.of(holding("a", Set.of(ORDERS), Map.of(ORDERS, Set.of(0))),
                holding("b", Set.of(ORDERS), Map.of(ORDERS, Set.of(0))), fresh("c", ORDERS));
        var after = plain(assign(before, Map.of(ORDERS, 3)));
        assertEquals(Map.of("a", Map.of(ORDERS, Set.of(0)), "b", Map.of(ORDERS, Set.of(1)),
                "c", Map.of(ORDERS, Set.of(2))), after);
    }

    @Test
    void different_subscriptions_spread_each_topic_over_its_own_subscribers_and_drop_unsubscribed_topics() {
        var members = List.of(holding("a", Set.of(ORDERS), Map.of(REFUNDS, Set.of(0))),
                fresh("b", ORDERS, REFUNDS));
        var after = plain(assign(members, Map.of(ORDERS, 2, REFUNDS, 1)));
        assertEquals(Map.of(ORDERS, Set.of(0)), after.get("a"));
        assertEquals(Map.of(ORDERS, Set.of(1), REFUNDS, Set.of(0)), after.get("b"));
    }

    @Test
    void no_members_or_no_partitions_assign_nothing_and_an_unknown_topic_is_named() {
        assertEquals(Map.of(), assign(List.of(), Map.of(ORDERS, 3)));
        assertEquals(Map.of("a", Map.of()), plain(assign(List.of(fresh("a", ORDERS)), Map.of(ORDERS, 0))));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> assign(List.of(fresh("a", REFUNDS)), Map.of(ORDERS, 3)));
        assertTrue(unknown.getMessage().contains(REFUNDS.toString()), unknown.getMessage());
    }

    /** Kafka's invariants over random groups, each run starting from the one before. */
    @Test
    void every_partition_has_a_member_none_is_overshared_quotas_hold_and_a_settled_group_stays_put() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<TopicId> allTopics = List.of(ORDERS, REFUNDS, new TopicId(0, 3));
        for (int run = 0; run < 200; run++) {
            Map<TopicId, Integer> partitions = new HashMap<>();
            allTopics.forEach(topic -> partitions.put(topic, random.nextInt(7)));
            Map<String, Map<TopicId, Set<Integer>>> last = new HashMap<>();
            boolean homogeneous = random.nextBoolean();
            for (int round = 0; round < 5; round++) {
                int count = 1 + random.nextInt(9);
                List<SimpleAssignor.Member> members = new ArrayList<>();
                Set<TopicId> shared = pick(random, allTopics);
                for (int m = 0; m < count; m++) {
                    String id = "m" + random.nextInt(12);
                    if (members.stream().noneMatch(member -> member.memberId().equals(id))) {
                        members.add(holding(id, homogeneous ? shared : pick(random, allTopics),
                                last.getOrDefault(id, Map.of())));
                    }
                }
                String where = "seed " + seed + ", run " + run + ", round " + round;
                last = plain(assign(members, partitions));
                checkInvariants(members, partitions, last, where);
                List<SimpleAssignor.Member> again = new ArrayList<>();
                for (SimpleAssignor.Member member : members) {
                    again.add(holding(member.memberId(), member.subscribed(), last.get(member.memberId())));
                }
                assertEquals(last, plain(assign(again, partitions)), "a settled group stays put; " + where);
            }
        }
    }

    private static Set<TopicId> pick(Random random, List<TopicId> topics) {
        Set<TopicId> picked = new HashSet<>();
        topics.forEach(topic -> {
            if (random.nextInt(3) > 0) {
                picked.add(topic);
            }
        });
        return picked;
    }

    private static void checkInvariants(List<SimpleAssignor.Member> members, Map<TopicId, Integer> partitions,
                                        Map<String, Map<TopicId, Set<Integer>>> assignment, String where) {
        boolean homogeneous = members.stream().map(SimpleAssignor.Member::subscribed).distinct().count() == 1;
        Set<TopicId> topics = new HashSet<>();
        members.forEach(member -> topics.addAll(member.subscribed()));
        List<Set<TopicId>> scopes = new ArrayList<>();
        if (homogeneous) {
            scopes.add(topics);
        } else {
            topics.forEach(topic -> scopes.add(Set.of(topic)));
        }
        for (SimpleAssignor.Member member : members) {
            assertTrue(member.subscribed().containsAll(assignment.get(member.memberId()).keySet()),
                    "only subscribed topics; " + where);
        }
        for (Set<TopicId> scope : scopes) {
            List<SimpleAssignor.Member> subscribers = members.stream()
                    .filter(member -> member.subscribed().containsAll(scope)).toList();
            int total = scope.stream().mapToInt(partitions::get).sum();
            if (total == 0 || subscribers.isEmpty()) {
                continue;
            }
            int sharing = (subscribers.size() + total - 1) / total;
            for (TopicId topic : scope) {
                for (int partition = 0; partition < partitions.get(topic); partition++) {
                    int p = partition;
                    long holders = members.stream().filter(member -> assignment.get(member.memberId())
                            .getOrDefault(topic, Set.of()).contains(p)).count();
                    assertTrue(holders >= 1, topic + "-" + p + " has a member; " + where);
                    assertTrue(holders <= sharing, topic + "-" + p + " shared by " + holders + " > " + sharing
                            + "; " + where);
                }
            }
            int most = (int) Math.ceil((double) sharing * total / subscribers.size());
            for (SimpleAssignor.Member member : subscribers) {
                int held = scope.stream().mapToInt(topic -> assignment.get(member.memberId())
                        .getOrDefault(topic, Set.of()).size()).sum();
                assertTrue(held <= most, member.memberId() + " holds " + held + " > " + most + "; " + where);
                assertTrue(held >= most - 1, member.memberId() + " holds " + held + "; " + where);
            }
        }
    }
}
