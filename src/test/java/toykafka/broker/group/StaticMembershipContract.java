package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;

/**
 * Static membership (KIP-345), as the classic protocol's coordinator keeps it: a member that names itself with a
 * {@code group.instance.id} is known by that name across restarts. It comes back with no member id, takes its old
 * place under a new one without a rebalance, and whatever still speaks with the old id is fenced. The rules are
 * Kafka 4.1's ({@code GroupMetadataManager}, {@code ClassicGroup.validateMember}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class StaticMembershipContract {

    private static final String GROUP = "kitchen";
    private static final int SESSION_MS = 10_000;
    private static final int REBALANCE_MS = 30_000;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final byte[] FOR_ANNA = {0, 1, 2};
    private static final byte[] FOR_BEN = {3, 4, 5};

    private GroupProtocol protocol;

    /** A broker, or a coordinator, speaking the protocol with these group settings. */
    protected abstract GroupProtocol open(GroupConfig config);

    private GroupProtocol protocol() {
        if (protocol == null) {
            protocol = open(GroupProtocolContract.NO_DELAY);
        }
        return protocol;
    }

    @AfterEach
    void close() {
        if (protocol != null) {
            protocol.close();
        }
    }

    private static JoinGroupRequest join(String memberId, String instance, String... protocolNames) {
        return new JoinGroupRequest(GROUP, memberId, "cook", "/127.0.0.1", SESSION_MS, REBALANCE_MS, "consumer",
                Arrays.stream(protocolNames).map(name -> new JoinGroupRequest.Protocol(name, new byte[] {7})).toList(),
                true, instance);
    }

    private CompletableFuture<JoinGroupResponse> joining(String memberId, String instance) {
        return protocol().join(join(memberId, instance, "range")).orTimeout(10, TimeUnit.SECONDS);
    }

    private SyncGroupResponse sync(JoinGroupResponse joined, String instance, Map<String, byte[]> assignments) {
        return protocol().sync(new SyncGroupRequest(GROUP, joined.generationId(), joined.memberId(), null, null,
                assignments, instance)).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private Errors heartbeat(JoinGroupResponse joined, String instance) {
        return protocol().heartbeat(new HeartbeatRequest(GROUP, joined.generationId(), joined.memberId(), instance));
    }

    /** Anna (instance till-1) leads and Ben (instance till-2) follows, each with an assignment: Stable. */
    private List<JoinGroupResponse> twoStaticMembers() {
        JoinGroupResponse anna = joining("", "till-1").join();
        sync(anna, "till-1", Map.of(anna.memberId(), FOR_ANNA));
        CompletableFuture<JoinGroupResponse> benJoining = joining("", "till-2");
        JoinGroupResponse annaAgain = joining(anna.memberId(), "till-1").join();
        JoinGroupResponse ben = benJoining.join();
        assertTrue(annaAgain.isLeader());
        CompletableFuture<SyncGroupResponse> benSync = protocol().sync(new SyncGroupRequest(GROUP, ben.generationId(),
                ben.memberId(), null, null, Map.of(), "till-2"));
        sync(annaAgain, "till-1", Map.of(anna.memberId(), FOR_ANNA, ben.memberId(), FOR_BEN));
        assertArrayEquals(FOR_BEN, benSync.join().assignment());
        return List.of(annaAgain, ben);
    }

    @Test
    void a_static_member_is_in_at_its_first_join_under_an_id_made_from_its_instance_id() {
        JoinGroupResponse anna = joining("", "till-1").join();
        assertEquals(Errors.NONE, anna.error(), "no MEMBER_ID_REQUIRED detour: the instance id already names it");
        assertTrue(anna.memberId().startsWith("till-1-"), anna.memberId());
        assertEquals(List.of("till-1"), anna.members().stream().map(JoinGroupResponse.Member::groupInstanceId).toList(),
                "the leader sees each member's instance id");
        DescribedGroup.Member described = protocol().describe(GROUP).members().get(0);
        assertEquals("till-1", described.groupInstanceId());
        assertEquals(anna.memberId(), described.memberId());
    }

    // tag::restart[]
    @Test
    void a_restarted_static_member_takes_its_old_place_without_a_rebalance_and_its_old_id_is_fenced() {
        List<JoinGroupResponse> members = twoStaticMembers();
        JoinGroupResponse anna = members.get(0);
        JoinGroupResponse ben = members.get(1);

        JoinGroupResponse restarted = joining("", "till-1").join(); // a new process: it has no member id
        assertEquals(Errors.NONE, restarted.error());
        assertNotEquals(anna.memberId(), restarted.memberId(), "a new id for the new instance");
        assertEquals(anna.generationId(), restarted.generationId(), "no new generation");
        assertEquals(anna.memberId(), restarted.leader(), "told the leader as it was, so even a leader follows");
        assertEquals(List.of(), restarted.members());
        assertArrayEquals(FOR_ANNA, sync(restarted, "till-1", Map.of()).assignment(), "its old assignment");
        assertEquals(Errors.NONE, heartbeat(ben, "till-2"), "ben never noticed");
        DescribedGroup group = protocol().describe(GROUP);
        assertEquals(GroupState.STABLE, group.state());
        assertEquals(restarted.memberId(), group.leader(), "the new id leads in the old one's place");

        assertEquals(Errors.FENCED_INSTANCE_ID, heartbeat(anna, "till-1"), "the old instance is fenced");
        assertEquals(Errors.FENCED_INSTANCE_ID, sync(anna, "till-1", Map.of()).error());
        assertEquals(Errors.FENCED_INSTANCE_ID, protocol().commit(new OffsetCommitRequest(GROUP, anna.generationId(),
                anna.memberId(), OffsetAndMetadata.of(Map.of(ORDERS_0, 5L)), "till-1")));
        assertEquals(Errors.FENCED_INSTANCE_ID, joining(anna.memberId(), "till-1").join().error());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(anna, null), "without its instance id it is just gone");
        assertEquals(Errors.NONE, protocol().commit(new OffsetCommitRequest(GROUP, restarted.generationId(),
                restarted.memberId(), OffsetAndMetadata.of(Map.of(ORDERS_0, 5L)), "till-1")));
    }
    // end::restart[]

    /** A join as JoinGroup v9 and later make it, where a restarted leader may be told to skip the assignment. */
    private CompletableFuture<JoinGroupResponse> joiningAsV9(String instance) {
        JoinGroupRequest asV8 = join("", instance, "range");
        return protocol().join(new JoinGroupRequest(asV8.groupId(), asV8.memberId(), asV8.clientId(),
                asV8.clientHost(), asV8.sessionTimeoutMs(), asV8.rebalanceTimeoutMs(), asV8.protocolType(),
                asV8.protocols(), true, instance, true)).orTimeout(10, TimeUnit.SECONDS);
    }

    @Test
    void a_restarted_static_leader_asking_join_group_v9_leads_without_assigning_and_the_group_keeps_its_assignment() {
        List<JoinGroupResponse> members = twoStaticMembers();
        JoinGroupResponse anna = members.get(0);
        JoinGroupResponse ben = members.get(1);

        JoinGroupResponse restarted = joiningAsV9("till-1").join();
        assertEquals(Errors.NONE, restarted.error());
        assertEquals(anna.generationId(), restarted.generationId(), "no new generation");
        assertTrue(restarted.isLeader(), "told it leads under its new id, as Kafka's v9 answer says");
        assertTrue(restarted.skipAssignment(), "and that the group keeps the assignment it has");
        assertEquals(List.of("till-1", "till-2"), restarted.members().stream()
                .map(JoinGroupResponse.Member::groupInstanceId).toList(), "every member, to watch their topics");
        assertArrayEquals(FOR_ANNA, sync(restarted, "till-1", Map.of()).assignment(), "its old assignment");
        assertEquals(Errors.NONE, heartbeat(ben, "till-2"), "ben never noticed");
        assertEquals(GroupState.STABLE, protocol().describe(GROUP).state());
        assertEquals(Errors.FENCED_INSTANCE_ID, heartbeat(anna, "till-1"), "the old instance is fenced");

        JoinGroupResponse benRestarted = joiningAsV9("till-2").join();
        assertEquals(restarted.memberId(), benRestarted.leader(), "a follower back from a restart still follows");
        assertFalse(benRestarted.skipAssignment());
        assertEquals(List.of(), benRestarted.members());
        assertArrayEquals(FOR_BEN, sync(benRestarted, "till-2", Map.of()).assignment());
    }

    @Test
    void a_static_member_that_comes_back_preferring_another_protocol_starts_a_rebalance() {
        JoinGroupResponse anna = joining("", "till-1").join();
        sync(anna, "till-1", Map.of());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, protocol().join(join("", "till-1", "roundrobin"))
                .orTimeout(10, TimeUnit.SECONDS).join().error(), "as in Kafka, its old self still counts: no protocol"
                + " in common");
        JoinGroupResponse changed = protocol().join(join("", "till-1", "roundrobin", "range"))
                .orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(anna.generationId() + 1, changed.generationId());
        assertEquals("roundrobin", changed.protocolName());
        assertTrue(changed.isLeader(), "alone, it leads the new generation under its new id");
    }

    @Test
    void an_instance_replaced_while_it_waits_at_the_barrier_is_answered_fenced_instance_id() {
        List<JoinGroupResponse> members = twoStaticMembers();
        JoinGroupResponse anna = members.get(0);
        JoinGroupResponse ben = members.get(1);
        CompletableFuture<JoinGroupResponse> cleo = joining("", "till-3"); // a newcomer: everyone joins again
        CompletableFuture<JoinGroupResponse> oldAnna = joining(anna.memberId(), "till-1");
        assertFalse(oldAnna.isDone(), "anna waits at the barrier for ben");

        CompletableFuture<JoinGroupResponse> newAnna = joining("", "till-1");
        assertEquals(Errors.FENCED_INSTANCE_ID, oldAnna.join().error(), "a newer instance took its place");
        assertFalse(newAnna.isDone(), "the new instance waits at the barrier in the old one's place");
        JoinGroupResponse benJoined = joining(ben.memberId(), "till-2").join();

        JoinGroupResponse leader = newAnna.join();
        assertEquals(anna.generationId() + 1, leader.generationId());
        assertEquals(leader.generationId(), benJoined.generationId());
        assertEquals(leader.generationId(), cleo.join().generationId());
        assertTrue(leader.isLeader(), "the new id leads, as the old one did");
        assertEquals(List.of("till-1", "till-2", "till-3"), leader.members().stream()
                .map(JoinGroupResponse.Member::groupInstanceId).sorted().toList());
    }

    @Test
    void at_the_rebalance_timeout_a_static_member_that_did_not_join_again_is_kept_and_a_dynamic_one_removed() {
        JoinGroupResponse anna = joining("", "till-1").join();
        sync(anna, "till-1", Map.of());
        String benId = joining("", null).join().memberId(); // a dynamic member: MEMBER_ID_REQUIRED first
        CompletableFuture<JoinGroupResponse> benJoining = joining(benId, null);
        JoinGroupResponse annaAgain = joining(anna.memberId(), "till-1").join();
        JoinGroupResponse ben = benJoining.join();
        CompletableFuture<SyncGroupResponse> benSync = protocol().sync(new SyncGroupRequest(GROUP, ben.generationId(),
                benId, null, null, Map.of(), null));
        sync(annaAgain, "till-1", Map.of());
        assertEquals(Errors.NONE, benSync.orTimeout(10, TimeUnit.SECONDS).join().error());

        CompletableFuture<JoinGroupResponse> cleo = joining("", "till-3"); // a newcomer: everyone must join again
        assertFalse(cleo.isDone());
        for (int waited = 0; waited <= REBALANCE_MS; waited += SESSION_MS / 2) { // anna and ben stay alive, unjoined
            heartbeat(annaAgain, "till-1");
            heartbeat(ben, null);
            protocol().advance(Duration.ofMillis(SESSION_MS / 2));
        }
        JoinGroupResponse cleoJoined = cleo.join();
        assertEquals(Errors.NONE, cleoJoined.error());
        assertEquals(annaAgain.memberId(), cleoJoined.leader(), "anna is still a member, and still leads");
        DescribedGroup group = protocol().describe(GROUP);
        assertEquals(List.of(annaAgain.memberId(), cleoJoined.memberId()), group.members().stream()
                .map(DescribedGroup.Member::memberId).toList(), "ben, dynamic and silent at the barrier, is gone");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat(ben, null));
        assertEquals(GroupState.COMPLETING_REBALANCE, group.state(), "waiting for anna, who leads, to assign");
    }

    @Test
    void a_static_member_whose_session_runs_out_is_removed_and_the_group_rebalances() {
        List<JoinGroupResponse> members = twoStaticMembers();
        JoinGroupResponse ben = members.get(1);
        for (int waited = 0; waited <= SESSION_MS; waited += SESSION_MS / 4) {
            heartbeat(ben, "till-2");
            protocol().advance(Duration.ofMillis(SESSION_MS / 4));
        }
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(ben, "till-2"));
        assertEquals(List.of("till-2"), protocol().describe(GROUP).members().stream()
                .map(DescribedGroup.Member::groupInstanceId).toList(), "a static member's session ends as any other's");
    }

    @Test
    void leave_group_removes_a_static_member_named_by_its_instance_id_alone_and_fences_an_old_id() {
        List<JoinGroupResponse> members = twoStaticMembers();
        JoinGroupResponse anna = members.get(0);
        JoinGroupResponse restarted = joining("", "till-1").join();
        LeaveGroupResponse left = protocol().leaveMembers(GROUP, List.of(new LeavingMember(anna.memberId(), "till-1"),
                new LeavingMember("", "till-9"), new LeavingMember("", "till-2")));
        assertEquals(List.of(Errors.FENCED_INSTANCE_ID, Errors.UNKNOWN_MEMBER_ID, Errors.NONE),
                left.members().stream().map(LeaveGroupResponse.Left::error).toList());
        assertEquals(List.of(restarted.memberId()), protocol().describe(GROUP).members().stream()
                .map(DescribedGroup.Member::memberId).toList(), "ben went; the restarted anna stays");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, heartbeat(restarted, "till-1"));
    }
}
