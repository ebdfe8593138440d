package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicId;
import toykafka.broker.group.base.DescribableTopics;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.consumer.ConsumerGroup;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.consumer.ConsumerGroupMember;
import toykafka.broker.group.consumer.ConsumerGroupRecord;
import toykafka.broker.group.consumer.RangeAssignor;
import toykafka.broker.group.consumer.ReplayedConsumerGroup;
import toykafka.broker.group.consumer.UniformAssignor;

/**
 * A consumer group written part by part as it changes, then replayed into a new group: the same epochs, members,
 * targets and reconciliation under way, and the members carry on where they were.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerGroupPersistenceTest {

    private static final TopicId ORDERS = new TopicId(7, 7);

    private final Map<String, TopicLookup.Topic> topics = new HashMap<>(Map.of("orders",
            new TopicLookup.Topic(ORDERS, 6)));
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    /** Every record the group wrote, in order, as the offsets topic would hold them. */
    private final List<ConsumerGroupRecord> topic = new ArrayList<>();

    private ConsumerGroup newGroup() {
        return new ConsumerGroup("kitchen", List.of(new UniformAssignor(), new RangeAssignor()), 5_000, 45_000);
    }

    private ConsumerGroupHeartbeat.Response beat(ConsumerGroup group, String member, int epoch,
                                                 Map<TopicId, Set<Integer>> owned) {
        boolean join = epoch == ConsumerGroupHeartbeat.JOIN;
        ConsumerGroupHeartbeat.Response response = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen",
                member, epoch, null, join ? "rack-" + member : null, join ? 300_000 : -1, join ? List.of("orders")
                : null, null, join ? Map.of() : owned, "client-" + member, "/10.0.0." + member.length()),
                topics::get, now);
        topic.addAll(keep(group));
        return response;
    }

    private static List<ConsumerGroupRecord> keep(ConsumerGroup group) {
        List<ConsumerGroupRecord> records = group.unkept();
        group.kept();
        return records;
    }

    private ConsumerGroup replayed() {
        ReplayedConsumerGroup replayed = new ReplayedConsumerGroup("kitchen");
        topic.forEach(replayed::apply);
        ConsumerGroup group = newGroup();
        group.restore(replayed, topics::get, now);
        return group;
    }

    private static Map<TopicId, Set<Integer>> owning(Integer... partitions) {
        return Map.of(ORDERS, Set.of(partitions));
    }

    @Test
    void a_regex_matched_at_a_restart_with_nobody_to_ask_is_matched_again_for_the_first_member_that_heartbeats() {
        TopicId archive = new TopicId(8, 8);
        topics.put("ord-archive", new TopicLookup.Topic(archive, 1));
        TopicLookup lookup = new MapTopicLookup(topics);
        DescribableTopics notOrders = names -> names.stream().filter(name -> !name.equals("orders")).toList();
        ConsumerGroup group = newGroup();
        int epoch = 0;
        for (int i = 0; i < 3; i++) { // the member may not describe orders: its expression matches ord-archive only
            epoch = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "r", epoch, null, null,
                    i == 0 ? 30_000 : -1, null, i == 0 ? "ord.*" : null, null, i == 0 ? Map.of() : null, "r",
                    "/127.0.0.1"), lookup, notOrders, now).memberEpoch();
            topic.addAll(keep(group));
        }
        ReplayedConsumerGroup replayed = new ReplayedConsumerGroup("kitchen");
        topic.forEach(replayed::apply);
        ConsumerGroup restarted = newGroup();
        restarted.restore(replayed, lookup, now); // matched with no member to ask: every topic, for now
        Map<String, Integer> epochs = new HashMap<>(Map.of("r", epoch, "s", 0));
        for (int i = 0; i < 4; i++) { // r heartbeats, then s joins with the same expression: a new target
            for (String member : i == 0 ? List.of("r") : List.of("r", "s")) {
                boolean join = epochs.get(member) == 0;
                ConsumerGroupHeartbeat.Response answer = restarted.heartbeat(new ConsumerGroupHeartbeat.Request(
                        "kitchen", member, epochs.get(member), null, null, join ? 30_000 : -1, null,
                        join ? "ord.*" : null, null, join ? Map.of() : null, member, "/127.0.0.1"), lookup, notOrders,
                        now);
                assertTrue(answer.assignment() == null || !answer.assignment().containsKey(ORDERS),
                        "orders is never handed to a member that may not describe it: " + answer.assignment());
                epochs.put(member, answer.memberEpoch());
            }
        }
    }

    @Test
    void a_group_replayed_in_the_middle_of_a_revocation_is_the_group_that_was_written_and_finishes_it() {
        ConsumerGroup group = newGroup();
        beat(group, "a", ConsumerGroupHeartbeat.JOIN, Map.of());
        beat(group, "b", ConsumerGroupHeartbeat.JOIN, Map.of()); // a must give three partitions up first
        ConsumerGroupHeartbeat.Response asked = beat(group, "a", 2, owning(0, 1, 2, 3, 4, 5));
        assertEquals("Reconciling", group.state());

        ConsumerGroup restored = replayed();
        assertEquals(group.describe(), restored.describe());
        assertEquals(group.owned(), restored.owned());
        assertEquals(group.targets(), restored.targets());
        assertEquals(List.of(), restored.unkept(), "what was replayed is what the topic holds");

        Map<TopicId, Set<Integer>> kept = Map.of(ORDERS, Set.copyOf(asked.assignment().get(ORDERS)));
        ConsumerGroupHeartbeat.Response gaveUp = beat(restored, "a", 2, kept);
        assertEquals(3, gaveUp.memberEpoch(), "a reached the target's epoch once it gave the partitions up");
        ConsumerGroupHeartbeat.Response took = beat(restored, "b", 3, Map.of());
        assertEquals(3, took.assignment().get(ORDERS).size(), "b takes what a let go");
        assertEquals("Stable", restored.state());
        assertEquals(3, restored.groupEpoch(), "no rebalance for the restart");
    }

    @Test
    void a_heartbeat_that_changes_nothing_writes_nothing_and_a_leave_writes_its_tombstones_in_kafkas_order() {
        ConsumerGroup group = newGroup();
        beat(group, "a", ConsumerGroupHeartbeat.JOIN, Map.of());
        beat(group, "a", 2, owning(0, 1, 2, 3, 4, 5));
        int written = topic.size();
        beat(group, "a", 2, owning(0, 1, 2, 3, 4, 5));
        assertEquals(written, topic.size(), "a heartbeat that only says the member lives writes nothing");

        beat(group, "a", ConsumerGroupHeartbeat.LEAVE, Map.of());
        List<ConsumerGroupRecord> leave = topic.subList(written, topic.size());
        assertEquals(List.of(ConsumerGroupRecord.Part.CURRENT, ConsumerGroupRecord.Part.TARGET,
                ConsumerGroupRecord.Part.MEMBER, ConsumerGroupRecord.Part.GROUP_EPOCH),
                leave.stream().map(ConsumerGroupRecord::part).toList());
        assertTrue(leave.subList(0, 3).stream().allMatch(ConsumerGroupRecord.Removed.class::isInstance));
        ConsumerGroup restored = replayed();
        assertEquals("Empty", restored.state());
        assertEquals(group.groupEpoch(), restored.groupEpoch());

        List<ConsumerGroupRecord> removal = group.removal();
        assertEquals(List.of(ConsumerGroupRecord.Part.ASSIGNMENT_EPOCH, ConsumerGroupRecord.Part.GROUP_EPOCH),
                removal.stream().map(ConsumerGroupRecord::part).toList());
        ReplayedConsumerGroup deleted = new ReplayedConsumerGroup("kitchen");
        topic.forEach(deleted::apply);
        removal.forEach(deleted::apply);
        assertFalse(deleted.exists(), "a deleted group is not brought back");
    }

    @Test
    void a_replayed_member_keeps_who_it_is_and_its_session_starts_again_at_the_restart() {
        ConsumerGroup group = newGroup();
        beat(group, "ab", ConsumerGroupHeartbeat.JOIN, Map.of());
        ReplayedConsumerGroup replayed = new ReplayedConsumerGroup("kitchen");
        topic.forEach(replayed::apply);
        Instant restart = now.plusSeconds(600);
        ConsumerGroupMember member = replayed.members(restart).get(0);
        assertEquals("rack-ab", member.rackId());
        assertEquals("client-ab", member.clientId());
        assertEquals("/10.0.0.2", member.clientHost());
        assertEquals(List.of("orders"), member.subscribedTopics());
        assertEquals(300_000, member.rebalanceTimeoutMs());
        assertEquals(restart, member.lastHeard());
        assertNull(member.revokeBy());
    }
}
