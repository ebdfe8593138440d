package toykafka.broker.group.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicId;

/**
 * What the server-side assignors promise, on small groups one can follow by hand. Kafka's own assignors judge them
 * on many more in {@code ServerAssignorOracleTest}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerAssignorsTest {

    private static final TopicId ORDERS = new TopicId(1, 1);
    private static final TopicId MENU = new TopicId(2, 2);

    private static ServerAssignor.Member member(String id, Map<TopicId, Set<Integer>> target, TopicId... topics) {
        return new ServerAssignor.Member(id, null, Set.of(topics), target);
    }

    private static Set<Integer> of(Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment, String member,
                                   TopicId topic) {
        return Set.copyOf(assignment.get(member).getOrDefault(topic, new java.util.TreeSet<>()));
    }

    @Test
    void uniform_balances_to_within_one_and_a_newcomer_takes_only_what_the_others_can_spare() {
        UniformAssignor uniform = new UniformAssignor();
        var first = uniform.assign(List.of(member("anna", Map.of(), ORDERS), member("ben", Map.of(), ORDERS)),
                Map.of(ORDERS, 6));
        assertEquals(Set.of(0, 1, 2), of(first, "anna", ORDERS));
        assertEquals(Set.of(3, 4, 5), of(first, "ben", ORDERS));

        var second = uniform.assign(List.of(member("anna", Map.of(ORDERS, Set.of(0, 1, 2)), ORDERS),
                member("ben", Map.of(ORDERS, Set.of(3, 4, 5)), ORDERS), member("cleo", Map.of(), ORDERS)),
                Map.of(ORDERS, 6));
        assertEquals(Set.of(0, 1), of(second, "anna", ORDERS), "anna keeps two of her three");
        assertEquals(Set.of(3, 4), of(second, "ben", ORDERS));
        assertEquals(Set.of(2, 5), of(second, "cleo", ORDERS), "cleo gets the one each gave up, nothing more moves");
    }

    @Test
    void uniform_gives_the_one_more_to_the_last_members_when_nobody_holds_anything_as_kafka_does() {
        var assignment = new UniformAssignor().assign(List.of(member("a", Map.of(), ORDERS), member("b", Map.of(), ORDERS),
                member("c", Map.of(), ORDERS)), Map.of(ORDERS, 7));
        assertEquals(List.of(2, 2, 3), List.of(of(assignment, "a", ORDERS).size(), of(assignment, "b", ORDERS).size(),
                of(assignment, "c", ORDERS).size()));
    }

    @Test
    void range_gives_co_partitioned_topics_the_same_numbers_and_puts_static_members_first() {
        RangeAssignor range = new RangeAssignor();
        var assignment = range.assign(List.of(member("anna", Map.of(), ORDERS, MENU), member("ben", Map.of(), ORDERS, MENU)),
                Map.of(ORDERS, 5, MENU, 5));
        assertEquals(of(assignment, "anna", ORDERS), of(assignment, "anna", MENU), "a join of the two needs this");
        assertEquals(Set.of(0, 1, 2), of(assignment, "anna", ORDERS));

        var statics = range.assign(List.of(member("anna", Map.of(), ORDERS),
                new ServerAssignor.Member("zed", "grill", Set.of(ORDERS), Map.of())), Map.of(ORDERS, 4));
        assertEquals(Set.of(0, 1), of(statics, "zed", ORDERS), "the static member goes first, whatever its id");
    }

    @Test
    void a_topic_with_no_partition_count_is_refused_with_what_is_wrong() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new RangeAssignor()
                .assign(List.of(member("anna", Map.of(), ORDERS)), Map.of()));
        assertEquals(true, refused.getMessage().contains(ORDERS.toString()), refused.getMessage());
    }
}
