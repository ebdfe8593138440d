package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.testing.KafkaConsumerProtocol;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;

/**
 * What Kafka's classic group protocol promises a member, whoever carries the steps: in process now, over
 * Kafka's wire protocol in the next lesson. Members join behind a barrier, one leader assigns, the others
 * receive its assignment by sync, every change of membership starts a rebalance, and commits are fenced
 * by generation and member id. The metadata and assignments are what a kafka-clients consumer writes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class GroupProtocolContract {

    protected static final String GROUP = "kitchen";
    protected static final int SESSION_MS = 10_000;
    protected static final int REBALANCE_MS = 30_000;
    private static final int ANSWER_SECONDS = 10;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    /** Group settings with no initial delay, so a lone member's join is answered at once. */
    protected static final GroupConfig NO_DELAY = new GroupConfig(Duration.ZERO, Duration.ofSeconds(6),
            Duration.ofMinutes(30));

    private GroupProtocol protocol;

    /** A broker, or a coordinator, speaking the protocol with these group settings. */
    protected abstract GroupProtocol open(GroupConfig config);

    private GroupProtocol protocol() {
        if (protocol == null) {
            protocol = open(NO_DELAY);
        }
        return protocol;
    }

    @AfterEach
    void close() {
        if (protocol != null) {
            protocol.close();
        }
    }

    /** A consumer's subscription metadata, as Kafka's generated message class writes it. */
    private static byte[] subscription(String... topics) {
        return KafkaConsumerProtocol.subscription(List.of(topics));
    }

    /** A leader's assignment for one member, as Kafka's generated message class writes it. */
    private static byte[] assignment(TopicPartition... partitions) {
        return KafkaConsumerProtocol.assignment(Arrays.stream(partitions)
                .map(partition -> new org.apache.kafka.common.TopicPartition(partition.topic(), partition.partition()))
                .toList());
    }

    /** An assignment's partitions as Kafka's generated message class reads them. */
    private static List<org.apache.kafka.common.TopicPartition> assignedPartitions(byte[] assignment) {
        return KafkaConsumerProtocol.partitions(assignment);
    }

    private static JoinGroupRequest request(String clientId, String memberId, int sessionMs, int rebalanceMs,
                                            String type, boolean v4, String... protocols) {
        List<JoinGroupRequest.Protocol> offered = new ArrayList<>();
        for (String name : protocols) {
            offered.add(new JoinGroupRequest.Protocol(name, subscription("orders")));
        }
        return new JoinGroupRequest(GROUP, memberId, clientId, "/127.0.0.1", sessionMs, rebalanceMs, type, offered, v4);
    }

    /** Every answer comes within seconds, or the test fails: a broken barrier must not hang the build. */
    private CompletableFuture<JoinGroupResponse> joining(JoinGroupRequest request) {
        return protocol().join(request).orTimeout(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    private CompletableFuture<SyncGroupResponse> syncing(SyncGroupRequest request) {
        return protocol().sync(request).orTimeout(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    /** A first join as JoinGroup v4+ makes it: MEMBER_ID_REQUIRED with an id, then the join with that id. */
    private CompletableFuture<JoinGroupResponse> joinNew(String clientId, String... protocols) {
        return joinNew(clientId, SESSION_MS, REBALANCE_MS, protocols);
    }

    private CompletableFuture<JoinGroupResponse> joinNew(String clientId, int sessionMs, int rebalanceMs,
                                                         String... protocols) {
        String[] offered = protocols.length == 0 ? new String[] {"range"} : protocols;
        JoinGroupResponse first = joining(request(clientId, "", sessionMs, rebalanceMs, "consumer", true,
                offered)).join();
        assertEquals(Errors.MEMBER_ID_REQUIRED, first.error());
        return joining(request(clientId, first.memberId(), sessionMs, rebalanceMs, "consumer", true, offered));
    }

    private CompletableFuture<JoinGroupResponse> rejoin(JoinGroupResponse joined) {
        return joining(request("again", joined.memberId(), SESSION_MS, REBALANCE_MS, "consumer", true, "range"));
    }

    private Errors heartbeat(JoinGroupResponse joined) {
        return protocol().heartbeat(new HeartbeatRequest(GROUP, joined.generationId(), joined.memberId()));
    }

    private CompletableFuture<SyncGroupResponse> sync(JoinGroupResponse joined, Map<String, byte[]> assignments) {
        return syncing(new SyncGroupRequest(GROUP, joined.generationId(), joined.memberId(), "consumer",
                joined.protocolName(), assignments));
    }

    private Errors commit(JoinGroupResponse joined, int generation, long offset) {
        return protocol().commit(new OffsetCommitRequest(GROUP, generation, joined.memberId(),
                new TreeMap<>(Map.of(ORDERS_0, offset))));
    }

    private Map<TopicPartition, Long> committed() {
        return protocol().fetch(GROUP).offsets();
    }

    /** Two members in one generation, anna the leader, both synced with nothing assigned. */
    private List<JoinGroupResponse> twoMembers() {
        JoinGroupResponse anna = joinNew("anna").join();
        sync(anna, Map.of(anna.memberId(), assignment(ORDERS_0, ORDERS_1))).join();
        CompletableFuture<JoinGroupResponse> ben = joinNew("ben");
        JoinGroupResponse annaAgain = rejoin(anna).join();
        JoinGroupResponse benJoined = ben.join();
        sync(annaAgain, Map.of()).join();
        sync(benJoined, Map.of()).join();
        return List.of(annaAgain, benJoined);
    }

    @Test
    void a_first_join_gets_a_member_id_and_counts_only_when_it_joins_with_it() {
        JoinGroupResponse first = joining(request("anna", "", SESSION_MS, REBALANCE_MS, "consumer", true,
                "range")).join();
        assertEquals(Errors.MEMBER_ID_REQUIRED, first.error());
        assertTrue(first.memberId().startsWith("anna"), "the id is the client id and a unique part, as Kafka's: "
                + first.memberId());
        assertEquals(GroupState.EMPTY, protocol().describe(GROUP).state(), "nobody is in the group yet");

        JoinGroupResponse joined = joining(request("anna", first.memberId(), SESSION_MS, REBALANCE_MS,
                "consumer", true, "range")).join();
        assertEquals(Errors.NONE, joined.error());
        assertEquals(first.memberId(), joined.memberId());
        assertEquals(1, joined.generationId());
        assertTrue(joined.isLeader(), "a lone member leads");
    }

    @Test
    void a_join_before_version_4_is_admitted_at_once_and_an_unknown_id_is_refused() {
        JoinGroupResponse old = joining(request("anna", "", SESSION_MS, REBALANCE_MS, "consumer", false,
                "range")).join();
        assertEquals(Errors.NONE, old.error(), "JoinGroup v0 to v3 has no MEMBER_ID_REQUIRED step");
        assertFalse(old.memberId().isEmpty());

        JoinGroupResponse made_up = joining(request("ben", "ben-1", SESSION_MS, REBALANCE_MS, "consumer",
                true, "range")).join();
        assertEquals(Errors.UNKNOWN_MEMBER_ID, made_up.error(), "a member id is the coordinator's to hand out");
    }

    @Test
    void the_join_barrier_answers_every_member_with_one_generation_and_one_leader_who_gets_all_metadata() {
        JoinGroupResponse anna = joinNew("anna").join();
        sync(anna, Map.of()).join();

        CompletableFuture<JoinGroupResponse> ben = joinNew("ben");
        assertFalse(ben.isDone(), "ben waits at the barrier until anna joins again");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(anna), "anna's heartbeat tells her to join again");
        assertEquals(GroupState.PREPARING_REBALANCE, protocol().describe(GROUP).state());

        JoinGroupResponse annaAgain = rejoin(anna).join();
        JoinGroupResponse benJoined = ben.join();
        assertEquals(2, annaAgain.generationId());
        assertEquals(annaAgain.generationId(), benJoined.generationId());
        assertEquals(annaAgain.leader(), benJoined.leader());
        assertEquals("range", benJoined.protocolName());
        JoinGroupResponse leader = annaAgain.isLeader() ? annaAgain : benJoined;
        JoinGroupResponse follower = annaAgain.isLeader() ? benJoined : annaAgain;
        assertEquals(Set.of(anna.memberId(), benJoined.memberId()),
                Set.copyOf(leader.members().stream().map(JoinGroupResponse.Member::memberId).toList()));
        leader.members().forEach(member -> assertArrayEquals(subscription("orders"), member.metadata(),
                "the leader gets each member's metadata as the member sent it"));
        assertEquals(List.of(), follower.members(), "followers get no metadata");
    }

    @Test
    @DisplayName("followers receive the leader's assignment by sync, byte for byte")
    void followers_receive_the_leaders_assignment_by_sync_byte_for_byte() {
        JoinGroupResponse anna = joinNew("anna").join();
        sync(anna, Map.of()).join();
        CompletableFuture<JoinGroupResponse> benJoin = joinNew("ben");
        JoinGroupResponse annaAgain = rejoin(anna).join();
        JoinGroupResponse ben = benJoin.join();

        CompletableFuture<SyncGroupResponse> benSync = sync(ben, Map.of());
        assertFalse(benSync.isDone(), "a follower's sync waits for the leader's");
        assertEquals(GroupState.COMPLETING_REBALANCE, protocol().describe(GROUP).state());
        byte[] forAnna = assignment(ORDERS_0);
        byte[] forBen = assignment(ORDERS_1);
        SyncGroupResponse annaSync = sync(annaAgain, Map.of(anna.memberId(), forAnna, ben.memberId(), forBen)).join();

        assertArrayEquals(forAnna, annaSync.assignment());
        assertArrayEquals(forBen, benSync.join().assignment(), "the bytes a kafka-clients leader wrote, unchanged");
        assertEquals(List.of(new org.apache.kafka.common.TopicPartition("orders", 1)),
                assignedPartitions(benSync.join().assignment()));
        assertEquals(GroupState.STABLE, protocol().describe(GROUP).state());
        assertEquals(Errors.NONE, heartbeat(ben));
    }

    @Test
    void a_member_that_leaves_starts_a_rebalance_without_it() {
        List<JoinGroupResponse> members = twoMembers();
        LeaveGroupResponse left = protocol().leave(GROUP, List.of(members.get(1).memberId(), "nobody"));
        assertEquals(Errors.NONE, left.errorOf(members.get(1).memberId()));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, left.errorOf("nobody"), "each member of the batch has its answer");

        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(members.get(0)));
        JoinGroupResponse alone = rejoin(members.get(0)).join();
        assertEquals(3, alone.generationId());
        assertEquals(1, alone.members().size());
    }

    @Test
    void a_member_silent_past_its_session_timeout_is_removed_and_the_group_rebalances() {
        List<JoinGroupResponse> members = twoMembers();
        protocol().advance(Duration.ofMillis(SESSION_MS - 1000));
        assertEquals(Errors.NONE, heartbeat(members.get(0)), "anna keeps her session; ben says nothing");
        protocol().advance(Duration.ofMillis(2000));

        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(members.get(0)));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(members.get(1)), "ben was removed");
        JoinGroupResponse alone = rejoin(members.get(0)).join();
        assertEquals(List.of(members.get(0).memberId()),
                alone.members().stream().map(JoinGroupResponse.Member::memberId).toList());
    }

    @Test
    void at_the_rebalance_timeout_the_barrier_opens_without_the_members_that_did_not_join_again() {
        JoinGroupResponse anna = joinNew("anna", 60_000, 5_000).join();
        sync(anna, Map.of()).join();
        CompletableFuture<JoinGroupResponse> ben = joinNew("ben", 60_000, 5_000);
        protocol().advance(Duration.ofMillis(4_000));
        assertFalse(ben.isDone(), "the barrier waits for anna");
        protocol().advance(Duration.ofMillis(1_000));

        JoinGroupResponse benJoined = ben.join();
        assertEquals(2, benJoined.generationId());
        assertTrue(benJoined.isLeader(), "anna, who did not join again, is gone; ben leads");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(anna));
    }

    @Test
    void a_leader_that_never_sends_the_assignment_is_removed_at_the_rebalance_timeout() {
        JoinGroupResponse anna = joinNew("anna", 60_000, 5_000).join();
        sync(anna, Map.of()).join();
        CompletableFuture<JoinGroupResponse> benJoin = joinNew("ben", 60_000, 5_000);
        JoinGroupResponse annaAgain = joining(request("anna", anna.memberId(), 60_000, 5_000, "consumer", true,
                "range")).join();
        CompletableFuture<SyncGroupResponse> benSync = sync(benJoin.join(), Map.of());
        protocol().advance(Duration.ofMillis(4_000));
        assertEquals(Errors.NONE, heartbeat(annaAgain), "anna is alive, but sends no assignment");
        assertFalse(benSync.isDone());
        protocol().advance(Duration.ofMillis(1_000));

        assertTrue(benSync.isDone(), "at the rebalance timeout ben's sync is answered");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, benSync.join().error(), "ben is told to join again");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(annaAgain));
        JoinGroupResponse benAlone = joining(request("ben", benJoin.join().memberId(), 60_000, 5_000,
                "consumer", true, "range")).join();
        assertTrue(benAlone.isLeader());
    }

    @Test
    void the_initial_delay_lets_members_that_start_together_share_one_first_rebalance() {
        protocol = open(new GroupConfig(Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofMinutes(30)));
        CompletableFuture<JoinGroupResponse> anna = joinNew("anna");
        protocol().advance(Duration.ofSeconds(2));
        CompletableFuture<JoinGroupResponse> ben = joinNew("ben");
        protocol().advance(Duration.ofSeconds(2));
        assertFalse(anna.isDone(), "ben's arrival put the end of the delay 3 s after it");
        protocol().advance(Duration.ofSeconds(1));
        assertEquals(1, anna.join().generationId(), "one rebalance for both");
        assertEquals(1, ben.join().generationId());
    }

    @Test
    void commits_are_fenced_by_generation_and_member_id_and_a_refused_one_changes_nothing() {
        List<JoinGroupResponse> members = twoMembers();
        JoinGroupResponse anna = members.get(0);
        assertEquals(Errors.NONE, commit(anna, anna.generationId(), 3));
        assertEquals(Errors.ILLEGAL_GENERATION, commit(anna, anna.generationId() - 1, 7));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, protocol().commit(new OffsetCommitRequest(GROUP, anna.generationId(),
                "nobody", new TreeMap<>(Map.of(ORDERS_0, 7L)))));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, protocol().commit(OffsetCommitRequest.standalone(GROUP,
                Map.of(ORDERS_0, 7L))), "a group with members takes no commit from outside its generation");
        assertEquals(Map.of(ORDERS_0, 3L), committed());
    }

    @Test
    void a_commit_waits_out_the_assignment_of_a_new_generation() {
        JoinGroupResponse anna = joinNew("anna").join();
        assertEquals(GroupState.COMPLETING_REBALANCE, protocol().describe(GROUP).state());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, commit(anna, anna.generationId(), 3),
                "until the leader's assignment is out, nobody knows who owns what");
        sync(anna, Map.of()).join();
        assertEquals(Errors.NONE, commit(anna, anna.generationId(), 3));
    }

    @Test
    void a_member_that_missed_a_rebalance_cannot_commit_its_old_position_over_the_new_owners() {
        List<JoinGroupResponse> members = twoMembers();
        JoinGroupResponse anna = members.get(0);
        JoinGroupResponse ben = members.get(1);
        protocol().advance(Duration.ofMillis(SESSION_MS - 1000));
        heartbeat(ben); // anna stalls (a long garbage collection)
        protocol().advance(Duration.ofMillis(2000));
        JoinGroupResponse benAlone = rejoin(ben).join();
        sync(benAlone, Map.of(ben.memberId(), assignment(ORDERS_0))).join();
        assertEquals(Errors.NONE, commit(benAlone, benAlone.generationId(), 10));

        assertEquals(Errors.UNKNOWN_MEMBER_ID, commit(anna, anna.generationId(), 5), "anna was removed");
        assertEquals(Map.of(ORDERS_0, 10L), committed(), "the group's offset never goes back to anna's");
    }

    @Test
    void a_member_still_in_the_group_but_a_generation_behind_cannot_commit() {
        List<JoinGroupResponse> members = twoMembers();
        JoinGroupResponse anna = members.get(0);
        CompletableFuture<JoinGroupResponse> carl = joinNew("carl");
        CompletableFuture<JoinGroupResponse> annaNext = rejoin(anna);
        CompletableFuture<JoinGroupResponse> benNext = rejoin(members.get(1));
        carl.join();
        sync(annaNext.join(), Map.of()).join();
        sync(benNext.join(), Map.of()).join();
        assertEquals(Errors.ILLEGAL_GENERATION, commit(anna, anna.generationId(), 5));
        assertEquals(Map.of(), committed());
    }

    @Test
    void a_group_without_members_takes_commits_from_outside_any_generation() {
        assertEquals(Errors.NONE, protocol().commit(OffsetCommitRequest.standalone(GROUP, Map.of(ORDERS_0, 4L))));
        assertEquals(Map.of(ORDERS_0, 4L), committed());
    }

    @Test
    void a_member_must_offer_a_protocol_every_member_supports_and_the_groups_protocol_type() {
        joinNew("anna", "range", "roundrobin").join();
        JoinGroupResponse other = joining(request("ben", "", SESSION_MS, REBALANCE_MS, "consumer", false,
                "sticky")).join();
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, other.error());
        JoinGroupResponse connect = joining(request("ben", "", SESSION_MS, REBALANCE_MS, "connect", false,
                "range")).join();
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, connect.error(), "a connect worker in a consumer group");
        JoinGroupResponse none = joining(new JoinGroupRequest("empty-handed", "", "ben", "", SESSION_MS,
                REBALANCE_MS, "consumer", List.of(), false)).join();
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, none.error(), "a member must offer some protocol");
    }

    @Test
    void the_protocol_chosen_is_the_one_most_members_prefer_among_those_all_support() {
        JoinGroupResponse anna = joinNew("anna", "range", "roundrobin").join();
        sync(anna, Map.of()).join();
        CompletableFuture<JoinGroupResponse> ben = joinNew("ben", "roundrobin", "range");
        CompletableFuture<JoinGroupResponse> carl = joinNew("carl", "roundrobin", "sticky", "range");
        joining(request("anna", anna.memberId(), SESSION_MS, REBALANCE_MS, "consumer", true, "range",
                "roundrobin")).join();
        assertEquals("roundrobin", ben.join().protocolName());
        assertEquals("roundrobin", carl.join().protocolName());
    }

    @Test
    void a_session_timeout_outside_the_brokers_bounds_is_refused() {
        assertEquals(Errors.INVALID_SESSION_TIMEOUT, joining(request("anna", "", 5_999, REBALANCE_MS,
                "consumer", true, "range")).join().error());
        assertEquals(Errors.INVALID_SESSION_TIMEOUT, joining(request("anna", "", 1_800_001, REBALANCE_MS,
                "consumer", true, "range")).join().error());
    }

    @Test
    void a_sync_from_an_old_generation_or_during_a_rebalance_is_refused() {
        List<JoinGroupResponse> members = twoMembers();
        joinNew("carl");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, sync(members.get(0), Map.of()).join().error());
        protocol().leave(GROUP, List.of(members.get(1).memberId()));
        JoinGroupResponse annaNext = rejoin(members.get(0)).join();
        assertEquals(Errors.ILLEGAL_GENERATION, sync(members.get(0), Map.of()).join().error());
        assertEquals(Errors.NONE, sync(annaNext, Map.of()).join().error());
    }

    @Test
    @DisplayName("describe and list show each group's state, protocol and members")
    void describe_and_list_show_each_groups_state_protocol_and_members() {
        List<JoinGroupResponse> members = twoMembers();
        DescribedGroup described = protocol().describe(GROUP);
        assertEquals(GroupState.STABLE, described.state());
        assertEquals("consumer", described.protocolType());
        assertEquals("range", described.protocol());
        assertEquals(Set.of(members.get(0).memberId(), members.get(1).memberId()),
                Set.copyOf(described.members().stream().map(DescribedGroup.Member::memberId).toList()));
        assertEquals(GroupState.DEAD, protocol().describe("nobody-here").state(), "as Kafka describes an unknown group");

        assertEquals(List.of(new ListedGroup(GROUP, "consumer", GroupState.STABLE.kafkaName(), "classic")), protocol().list(Set.of()));
        assertEquals(List.of(), protocol().list(Set.of(GroupState.EMPTY)));
    }

    @Test
    void members_carry_on_in_their_generation_after_a_restart_and_one_silent_since_is_removed() {
        List<JoinGroupResponse> members = twoMembers();
        int generation = members.get(0).generationId();
        protocol().restart();

        assertEquals(Errors.NONE, heartbeat(members.get(0)), "anna is still a member of her generation");
        assertEquals(Errors.NONE, commit(members.get(1), generation, 12), "ben commits without joining again");
        assertEquals(Map.of(ORDERS_0, 12L), committed());
        assertEquals(Errors.NONE, sync(members.get(1), Map.of()).join().error(), "a sync of the kept generation");
        DescribedGroup described = protocol().describe(GROUP);
        assertEquals(GroupState.STABLE, described.state());
        assertEquals(generation, described.generation());
        assertEquals(members.get(0).memberId(), described.leader());

        // each session started again at the restart: ben, silent since, is removed when his runs out
        protocol().advance(Duration.ofMillis(SESSION_MS - 1000));
        assertEquals(Errors.NONE, heartbeat(members.get(0)));
        protocol().advance(Duration.ofMillis(2000));
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(members.get(0)));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(members.get(1)));
    }

    @Test
    void a_group_left_empty_comes_back_empty_with_its_protocol_type() {
        List<JoinGroupResponse> members = twoMembers();
        protocol().leave(GROUP, List.of(members.get(0).memberId(), members.get(1).memberId()));
        protocol().restart();
        assertEquals(GroupState.EMPTY, protocol().describe(GROUP).state(), "left empty, loaded empty");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(members.get(0)));
        assertEquals(List.of(new ListedGroup(GROUP, "consumer", GroupState.EMPTY.kafkaName(), "classic")),
                protocol().list(Set.of()), "an empty group keeps its protocol type, as Kafka's does");
    }

    @Test
    void offsets_come_back_after_a_restart() {
        assertEquals(Errors.NONE, protocol().commit(OffsetCommitRequest.standalone(GROUP,
                Map.of(ORDERS_0, 4L, ORDERS_1, 9L))));
        protocol().restart();
        assertEquals(Map.of(ORDERS_0, 4L, ORDERS_1, 9L), committed());
        assertEquals(List.of(new ListedGroup(GROUP, "", GroupState.EMPTY.kafkaName(), "classic")), protocol().list(Set.of()),
                "a group known only by its offsets is Empty");
    }
}
