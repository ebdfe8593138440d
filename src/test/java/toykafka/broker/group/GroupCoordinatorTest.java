package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.KafkaStorageException;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.OffsetFetchResponse;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;

/** The coordinator in process: the protocol's contract, and what only a caller in the same process sees. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupCoordinatorTest {

    /** The coordinator itself, on a manual clock, over offsets kept in memory across restarts. */
    static final class InProcess implements GroupProtocol {
        final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        final MemoryOffsetStore store = new MemoryOffsetStore();
        final GroupConfig config;
        GroupCoordinator coordinator;

        InProcess(GroupConfig config) {
            this.config = config;
            restart();
        }

        @Override
        public CompletableFuture<JoinGroupResponse> join(JoinGroupRequest request) {
            return coordinator.joinGroup(request);
        }

        @Override
        public CompletableFuture<SyncGroupResponse> sync(SyncGroupRequest request) {
            return coordinator.syncGroup(request);
        }

        @Override
        public Errors heartbeat(HeartbeatRequest request) {
            return coordinator.heartbeat(request);
        }

        @Override
        public LeaveGroupResponse leaveMembers(String groupId, List<LeavingMember> members) {
            return coordinator.leaveGroup(groupId, members);
        }

        @Override
        public Errors commit(OffsetCommitRequest request) {
            return coordinator.commitOffsets(request);
        }

        @Override
        public OffsetFetchResponse fetch(String groupId) {
            return coordinator.fetchOffsets(groupId, null);
        }

        @Override
        public DescribedGroup describe(String groupId) {
            return coordinator.describeGroup(groupId);
        }

        @Override
        public List<ListedGroup> list(Set<GroupState> states) {
            return coordinator.listGroups(states.stream().map(GroupState::kafkaName).collect(java.util.stream.Collectors.toSet()), Set.of());
        }

        @Override
        public void advance(Duration time) {
            clock.advance(time);
            coordinator.tick();
        }

        @Override
        public void restart() {
            coordinator = new GroupCoordinator(clock, config, store);
            coordinator.replay();
        }

        @Override
        public void close() {
        }
    }

    @Nested
    class Contract extends GroupProtocolContract {
        @Override
        protected GroupProtocol open(GroupConfig config) {
            return new InProcess(config);
        }
    }

    @Nested
    class StaticMembers extends StaticMembershipContract {
        @Override
        protected GroupProtocol open(GroupConfig config) {
            return new InProcess(config);
        }
    }

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private final InProcess group = new InProcess(GroupProtocolContract.NO_DELAY);

    private static JoinGroupRequest join(String memberId) {
        return new JoinGroupRequest("kitchen", memberId, "anna", "", 10_000, 30_000, "consumer",
                List.of(new JoinGroupRequest.Protocol("range", new byte[] {1})), false);
    }

    @Test
    void a_commit_the_store_cannot_take_is_not_in_force() {
        assertEquals(Errors.NONE, group.commit(OffsetCommitRequest.standalone("kitchen", Map.of(ORDERS_0, 3L))));
        group.store.failing = true;
        assertThrows(KafkaStorageException.class,
                () -> group.commit(OffsetCommitRequest.standalone("kitchen", Map.of(ORDERS_0, 8L))));
        assertEquals(Map.of(ORDERS_0, 3L), group.fetch("kitchen").offsets(), "the refused commit left nothing behind");
    }

    @Test
    void a_refused_commit_is_never_written() {
        JoinGroupResponse anna = group.join(join("")).join();
        group.commit(new OffsetCommitRequest("kitchen", anna.generationId() + 1, anna.memberId(),
                new TreeMap<>(Map.of(ORDERS_0, 3L))));
        group.restart();
        assertEquals(Map.of(), group.fetch("kitchen").offsets());
        assertEquals(0, group.store.writes());
    }

    @Test
    void an_answer_may_call_the_coordinator_straight_back() {
        List<Errors> seen = new ArrayList<>();
        JoinGroupResponse anna = group.join(join("")).join();
        group.coordinator.onRebalanceStarted(id -> group.join(join(anna.memberId())));
        group.join(join("")).thenAccept(ben -> seen.add(group.heartbeat(new HeartbeatRequest("kitchen",
                ben.generationId(), ben.memberId()))));
        assertEquals(List.of(Errors.NONE), seen, "anna rejoined from the rebalance listener, so ben's join was"
                + " answered, and its answer heartbeats without a deadlock");
    }

    @Test
    void no_lock_is_held_while_an_answer_runs() {
        JoinGroupResponse anna = group.join(join("")).join();
        List<Errors> answeredMeanwhile = new ArrayList<>();
        CompletableFuture<JoinGroupResponse> ben = group.join(join(""));
        ben.thenAccept(joined -> {
            // another thread calls the same group while this answer runs: on a held lock it would wait for ever
            CompletableFuture<Errors> heartbeat = CompletableFuture.supplyAsync(() -> group.heartbeat(
                    new HeartbeatRequest("kitchen", joined.generationId(), joined.memberId())));
            try {
                answeredMeanwhile.add(heartbeat.get(10, java.util.concurrent.TimeUnit.SECONDS));
            } catch (Exception stillWaiting) {
                answeredMeanwhile.add(Errors.UNKNOWN_SERVER_ERROR);
            }
        });
        group.join(join(anna.memberId())); // anna's join opens the barrier, and ben's answer runs in this call
        assertEquals(List.of(Errors.NONE), answeredMeanwhile, "the other thread's heartbeat was answered while"
                + " the join's answer ran");
    }

    /**
     * A coordinator without a timer thread still keeps time: each request first applies the clock to its
     * group, so a session that ran out is over before the request is answered, whoever asks first.
     */
    @Test
    void every_request_sees_a_session_that_ran_out_without_waiting_for_a_tick() {
        assertEquals(Errors.UNKNOWN_MEMBER_ID, expired((g, anna) -> g.heartbeat(
                new HeartbeatRequest("kitchen", anna.generationId(), anna.memberId()))));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, expired((g, anna) -> g.join(join(anna.memberId())).join().error()));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, expired((g, anna) -> g.sync(new SyncGroupRequest("kitchen",
                anna.generationId(), anna.memberId(), "consumer", "range", Map.of())).join().error()));
        assertEquals(List.of(Errors.UNKNOWN_MEMBER_ID), expired((g, anna) -> g.leave("kitchen",
                List.of(anna.memberId())).members().stream().map(LeaveGroupResponse.Left::error).toList()));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, expired((g, anna) -> g.commit(new OffsetCommitRequest("kitchen",
                anna.generationId(), anna.memberId(), new TreeMap<>(Map.of(ORDERS_0, 3L))))));
        assertEquals(List.of(), expired((g, anna) -> g.describe("kitchen").members()));
        assertEquals(List.of(new ListedGroup("kitchen", "consumer", GroupState.EMPTY.kafkaName(), "classic")),
                expired((g, anna) -> g.list(Set.of(GroupState.EMPTY))));
    }

    /** Anna joins a fresh coordinator, her session runs out with no tick, then {@code request} is the first to ask. */
    private static <T> T expired(java.util.function.BiFunction<InProcess, JoinGroupResponse, T> request) {
        InProcess fresh = new InProcess(GroupProtocolContract.NO_DELAY);
        JoinGroupResponse anna = fresh.join(join("")).join();
        assertEquals(Errors.NONE, anna.error());
        fresh.clock.advance(Duration.ofMillis(10_001)); // past her 10 s session; the coordinator is not told
        return request.apply(fresh, anna);
    }

    @Test
    void replay_loads_every_committed_partition_and_says_how_many() {
        group.commit(OffsetCommitRequest.standalone("kitchen", Map.of(ORDERS_0, 1L, new TopicPartition("menu", 0), 2L)));
        group.commit(OffsetCommitRequest.standalone("quiet", Map.of(ORDERS_0, 5L)));
        GroupCoordinator restarted = new GroupCoordinator(group.clock, group.config, group.store);
        assertEquals(3, restarted.replay());
        assertEquals(Map.of(ORDERS_0, 5L), restarted.fetchOffsets("quiet", null).offsets());
    }

    @Test
    void a_committed_leader_epoch_is_kept_with_its_offset_through_a_transaction_and_a_replay() {
        group.commit(new OffsetCommitRequest("kitchen", -1, "", new TreeMap<>(Map.of(
                    ORDERS_0, new OffsetAndMetadata(4, 0, "cooked"))), null));
        assertEquals(Errors.NONE, group.coordinator.commitTransactionalOffsets(7, (short) 0, new OffsetCommitRequest(
                "tills", -1, "", new TreeMap<>(Map.of(ORDERS_0, new OffsetAndMetadata(9, 2, "t"))), null)));
        group.coordinator.completeTransaction(7, true);
        GroupCoordinator restarted = new GroupCoordinator(group.clock, group.config, group.store);
        restarted.replay();
        assertEquals(Map.of(ORDERS_0, new OffsetAndMetadata(4, 0, "cooked")),
                restarted.fetchOffsets("kitchen", null).committed());
        assertEquals(Map.of(ORDERS_0, new OffsetAndMetadata(9, 2, "t")), group.coordinator.fetchOffsets("tills", null)
                .committed(), "in force once its transaction commits, epoch and all");
    }

    @Test
    void a_group_is_deleted_only_when_it_has_no_members() {
        group.join(join("")).join();
        group.commit(OffsetCommitRequest.standalone("quiet", Map.of(ORDERS_0, 1L)));
        assertEquals(Map.of("kitchen", Errors.NON_EMPTY_GROUP, "quiet", Errors.NONE, "missing", Errors.GROUP_ID_NOT_FOUND),
                group.coordinator.deleteGroups(List.of("kitchen", "quiet", "missing")));
        group.restart();
        assertEquals(Map.of(), group.fetch("quiet").offsets(), "its offsets are deleted from the store too");
    }

    @Test
    void a_deleted_group_stays_deleted_after_a_restart_and_only_a_group_that_formed_is_written() {
        JoinGroupResponse anna = group.join(join("")).join();
        group.coordinator.syncGroup(new SyncGroupRequest("kitchen", anna.generationId(), anna.memberId(), "consumer",
                anna.protocolName(), Map.of())).join();
        group.coordinator.leaveGroup("kitchen", List.of(anna.memberId()));
        assertEquals(Errors.NONE, group.coordinator.deleteGroups(List.of("kitchen")).get("kitchen"));
        group.commit(OffsetCommitRequest.standalone("quiet", Map.of(ORDERS_0, 1L)));
        group.restart();
        assertEquals(GroupState.DEAD, group.describe("kitchen").state(), "its tombstone keeps it deleted");
        assertEquals(List.of(new ListedGroup("quiet", "", GroupState.EMPTY.kafkaName(), "classic")), group.list(Set.of()),
                "a group of commits alone was never written as a group");
    }

    @Test
    void forgetting_a_topic_removes_its_offsets_from_every_group() {
        group.commit(OffsetCommitRequest.standalone("kitchen", Map.of(ORDERS_0, 1L, new TopicPartition("menu", 0), 2L)));
        group.coordinator.forgetTopic("orders");
        group.restart();
        assertEquals(Map.of(new TopicPartition("menu", 0), 2L), group.fetch("kitchen").offsets());
    }

    @Test
    void the_group_errors_carry_kafkas_codes() {
        assertEquals(27, Errors.REBALANCE_IN_PROGRESS.code());
        assertEquals(79, Errors.MEMBER_ID_REQUIRED.code());
        assertTrue(Errors.NOT_COORDINATOR.retriable(), "a client finds the coordinator again and retries");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, toykafka.common.RebalanceInProgressException.of("g", "m").error());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL,
                toykafka.common.InconsistentGroupProtocolException.of("g", "consumer", List.of("x"), "consumer",
                        Set.of("range")).error());
    }
}
