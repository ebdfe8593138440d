package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.testing.KafkaConsumerProtocol;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.consumer.DescribedConsumerGroup;

/**
 * Classic members (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) inside a busy consumer group of Kafka 4's protocol,
 * by Kafka's rules ({@code GroupMetadataManager.classicGroupJoinToConsumerGroup} and the sync, heartbeat and leave
 * beside it): the group's assignor assigns them, the join is answered at once with the member epoch as generation,
 * the heartbeat sends them back to join when they must give partitions up or may take new ones, their session is
 * their own, and the offsets topic keeps them across a restart.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerGroupClassicMembersTest {

    private static final TopicId ORDERS_ID = new TopicId(7, 7);
    private static final int CLASSIC_SESSION_MS = 10_000;
    private static final int CLASSIC_REBALANCE_MS = 20_000;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryOffsetStore store = new MemoryOffsetStore();
    private final TopicLookup topics = OneTopicCoordinators.only("orders", ORDERS_ID, 6);
    private GroupCoordinator coordinator = new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY, store,
            event -> { }, topics);

    /** A consumer-protocol member's heartbeat, saying what it owns (null: unchanged). */
    private ConsumerGroupHeartbeat.Response beat(String member, int epoch, Set<Integer> owned) {
        boolean join = epoch == ConsumerGroupHeartbeat.JOIN;
        return coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("kitchen", member, epoch, null,
                null, join ? 300_000 : -1, join ? List.of("orders") : null, null,
                join ? Map.of() : owned == null ? null : Map.of(ORDERS_ID, owned), member, "/127.0.0.1"));
    }

    /** Version 1 of a consumer's subscription, as Kafka's generated class writes it: its topics and what it owns. */
    static byte[] subscription(List<String> topics, List<TopicPartition> owned) {
        return KafkaConsumerProtocol.subscription((short) 1, topics, owned.stream()
                .map(partition -> new org.apache.kafka.common.TopicPartition(partition.topic(), partition.partition()))
                .toList(), -1, null);
    }

    private JoinGroupResponse classicJoin(String memberId, Set<Integer> owned) throws Exception {
        List<TopicPartition> partitions = owned.stream().sorted().map(p -> new TopicPartition("orders", p)).toList();
        return coordinator.joinGroup(new JoinGroupRequest("kitchen", memberId, "till", "/127.0.0.1",
                CLASSIC_SESSION_MS, CLASSIC_REBALANCE_MS, "consumer", List.of(new JoinGroupRequest.Protocol(
                        "cooperative-sticky", subscription(List.of("orders"), partitions))), true))
                .get(5, TimeUnit.SECONDS);
    }

    private SyncGroupResponse sync(String memberId, int generation) throws Exception {
        return coordinator.syncGroup(new SyncGroupRequest("kitchen", generation, memberId, "consumer",
                "cooperative-sticky", Map.of())).get(5, TimeUnit.SECONDS);
    }

    private static Set<Integer> partitionsOf(SyncGroupResponse synced) {
        return ConsumerProtocol.CODEC.partitions(synced.assignment()).stream().map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }

    private Errors heartbeat(String memberId, int generation) {
        return coordinator.heartbeat(new HeartbeatRequest("kitchen", generation, memberId));
    }

    /** anna (consumer protocol) owns all six; till joins with JoinGroup v4 and its id. */
    private String tillJoinsBesideAnna() throws Exception {
        ConsumerGroupHeartbeat.Response anna = beat("anna", ConsumerGroupHeartbeat.JOIN, null);
        assertEquals(2, anna.memberEpoch());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), anna.assignment().get(ORDERS_ID));
        JoinGroupResponse first = classicJoin("", Set.of());
        assertEquals(Errors.MEMBER_ID_REQUIRED, first.error(), "JoinGroup v4 is given an id to join again with");
        return first.memberId();
    }

    @Test
    void a_classic_member_joins_a_busy_consumer_group_at_once_and_takes_partitions_once_another_member_frees_them()
            throws Exception {
        String till = tillJoinsBesideAnna();
        JoinGroupResponse joined = classicJoin(till, Set.of());
        assertEquals(Errors.NONE, joined.error());
        assertEquals(3, joined.generationId(), "the generation is its member epoch: the group's, moved on by its join");
        assertEquals("cooperative-sticky", joined.protocolName());
        assertEquals("consumer", joined.protocolType());
        assertFalse(joined.isLeader(), "no member leads: the group's assignor assigns");
        assertEquals("consumer", coordinator.groupType("kitchen").orElseThrow());

        assertEquals(Set.of(), partitionsOf(sync(till, 3)), "its target's partitions are anna's until she frees them");
        assertEquals(Errors.NONE, heartbeat(till, 3), "nothing is free for it yet");

        ConsumerGroupHeartbeat.Response anna = beat("anna", 2, Set.of(0, 1, 2, 3, 4, 5));
        Set<Integer> kept = anna.assignment().get(ORDERS_ID);
        assertEquals(3, kept.size(), "anna is asked to give three up");
        assertEquals(3, beat("anna", 2, kept).memberEpoch(), "and once she has, she is at epoch 3");

        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(till, 3), "its partitions are free: it joins again");
        JoinGroupResponse again = classicJoin(till, Set.of());
        assertEquals(3, again.generationId());
        Set<Integer> tills = partitionsOf(sync(till, 3));
        assertEquals(3, tills.size());
        assertTrue(tills.stream().noneMatch(kept::contains), "no partition is read by both");
        assertEquals(Errors.NONE, heartbeat(till, 3));

        DescribedConsumerGroup described = coordinator.describeConsumerGroup("kitchen");
        assertEquals("Stable", described.state());
        assertEquals(Map.of("anna", false, till, true), described.members().stream().collect(Collectors.toMap(
                DescribedConsumerGroup.Member::memberId, DescribedConsumerGroup.Member::classic)));
    }

    @Test
    void a_new_group_epoch_sends_a_classic_member_to_join_again_and_it_gives_partitions_up_before_it_moves_on()
            throws Exception {
        String till = tillJoinsBesideAnna();
        classicJoin(till, Set.of());
        Set<Integer> kept = beat("anna", 2, Set.of(0, 1, 2, 3, 4, 5)).assignment().get(ORDERS_ID);
        beat("anna", 2, kept);
        heartbeat(till, 3);
        classicJoin(till, Set.of());
        Set<Integer> tills = partitionsOf(sync(till, 3));

        assertEquals(4, beat("ben", ConsumerGroupHeartbeat.JOIN, null).memberEpoch(), "ben's join: epoch 4");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(till, 3), "its epoch is behind the group's");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, sync(till, 3).error(), "a sync must wait for the join");

        JoinGroupResponse revoking = classicJoin(till, tills);
        assertEquals(3, revoking.generationId(), "its epoch waits while it has partitions to give up");
        Set<Integer> left = partitionsOf(sync(till, 3));
        assertEquals(2, left.size(), "it keeps two of its three: ben gets the rest");
        assertTrue(tills.containsAll(left));
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(till, 3), "it must say it gave the third up");

        JoinGroupResponse moved = classicJoin(till, left);
        assertEquals(4, moved.generationId(), "having given it up, it is at the group's epoch");
        assertEquals(left, partitionsOf(sync(till, 4)));
        assertEquals(Errors.NONE, heartbeat(till, 4));
        assertEquals(Errors.ILLEGAL_GENERATION, heartbeat(till, 3), "an old generation is refused");
    }

    @Test
    void a_classic_member_is_fenced_at_its_own_session_timeout_or_if_it_does_not_sync_within_its_rebalance_timeout()
            throws Exception {
        String till = tillJoinsBesideAnna();
        classicJoin(till, Set.of());
        sync(till, 3);
        clock.advance(Duration.ofMillis(CLASSIC_SESSION_MS - 1));
        assertEquals(Errors.NONE, heartbeat(till, 3), "its own 10 s session, not the group's 45 s");
        clock.advance(Duration.ofMillis(CLASSIC_SESSION_MS + 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(till, 3), "silent past its session: fenced");
        assertEquals(List.of("anna"), coordinator.describeConsumerGroup("kitchen").members().stream()
                .map(DescribedConsumerGroup.Member::memberId).toList());

        JoinGroupResponse ben = classicJoin("", Set.of());
        JoinGroupResponse joined = classicJoin(ben.memberId(), Set.of());
        assertEquals(Errors.NONE, joined.error());
        for (int i = 0; i < 4; i++) { // heartbeats keep its session, but a join asks for a sync in its rebalance time
            clock.advance(Duration.ofMillis(CLASSIC_REBALANCE_MS / 4 + 1));
            if (heartbeat(ben.memberId(), joined.generationId()) == Errors.UNKNOWN_MEMBER_ID) {
                assertTrue(i == 3, "fenced only once the rebalance timeout ran out, not at heartbeat " + i);
                return;
            }
        }
        throw new AssertionError("a member that never synced was not fenced at its rebalance timeout");
    }

    @Test
    void leave_group_takes_a_classic_member_out_and_its_partitions_go_back_to_the_others() throws Exception {
        String till = tillJoinsBesideAnna();
        classicJoin(till, Set.of());
        LeaveGroupResponse left = coordinator.leaveGroup("kitchen", List.of(till, "ghost"));
        assertEquals(Errors.NONE, left.errorOf(till));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, left.errorOf("ghost"));
        assertEquals(4, beat("anna", 2, Set.of(0, 1, 2, 3, 4, 5)).memberEpoch(),
                "till's join and its leave each moved the group on");
        DescribedConsumerGroup.Member anna = coordinator.describeConsumerGroup("kitchen").members().get(0);
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), anna.assignment().get(ORDERS_ID), "anna kept all six");
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), anna.target().get(ORDERS_ID));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(till, 3));
    }

    @Test
    void a_classic_member_of_a_consumer_group_survives_a_restart_with_its_protocols_and_session() throws Exception {
        String till = tillJoinsBesideAnna();
        classicJoin(till, Set.of());
        sync(till, 3);

        coordinator = new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY, store, event -> { }, topics);
        coordinator.replay();
        assertEquals(Errors.NONE, heartbeat(till, 3), "the restarted coordinator knows it at its generation");
        assertEquals(Errors.NONE, sync(till, 3).error(), "and its protocol");
        clock.advance(Duration.ofMillis(CLASSIC_SESSION_MS + 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(till, 3), "its own session timeout came back with it");
    }

    @Test
    void a_classic_join_the_group_cannot_take_is_refused_as_kafka_refuses_it() throws Exception {
        beat("anna", ConsumerGroupHeartbeat.JOIN, null);
        JoinGroupResponse connect = coordinator.joinGroup(new JoinGroupRequest("kitchen", "", "worker", "/127.0.0.1",
                CLASSIC_SESSION_MS, CLASSIC_REBALANCE_MS, "connect", List.of(new JoinGroupRequest.Protocol("sessioned",
                        new byte[0])), false)).get(5, TimeUnit.SECONDS);
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, connect.error(), "a consumer group takes consumers only");

        String till = classicJoin("", Set.of()).memberId();
        classicJoin(till, Set.of());
        JoinGroupResponse range = coordinator.joinGroup(new JoinGroupRequest("kitchen", "", "till-2", "/127.0.0.1",
                CLASSIC_SESSION_MS, CLASSIC_REBALANCE_MS, "consumer", List.of(new JoinGroupRequest.Protocol("range",
                        subscription(List.of("orders"), List.of()))), false)).get(5, TimeUnit.SECONDS);
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, range.error(),
                "no protocol in common with the classic member already in");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, coordinator.heartbeat(new HeartbeatRequest("kitchen", 1, "anna")),
                "a member of the consumer protocol does not speak the classic one");
    }
}
