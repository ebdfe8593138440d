package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.OffsetDeleteResponse;
import toykafka.broker.group.base.OffsetFetchResponse;
import toykafka.broker.group.classic.ClassicMembers;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

/**
 * What a group decides that the protocol's contract does not reach: the leader's rejoin, ids handed out and
 * never used, protocol checks on a sync, what a group shows before its first generation, and the offsets that
 * OffsetDelete, OffsetFetch and a deleted topic touch.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClassicGroupDecisionsTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition MENU_0 = new TopicPartition("menu", 0);
    private static final TopicPartition CUPS_0 = new TopicPartition("cups", 0);

    private final GroupCoordinatorTest.InProcess group = new GroupCoordinatorTest.InProcess(GroupProtocolContract.NO_DELAY);

    private static JoinGroupRequest join(String memberId, boolean v4, String... topics) {
        return new JoinGroupRequest("kitchen", memberId, "anna", "", 10_000, 30_000, "consumer",
                List.of(new JoinGroupRequest.Protocol("range", ConsumerProtocol.CODEC.subscription(List.of(topics)))), v4);
    }

    /** Anna joins kitchen alone, subscribed to orders, and takes her assignment: the group is Stable. */
    private JoinGroupResponse annaStable() {
        JoinGroupResponse anna = group.join(join("", false, "orders")).join();
        assertEquals(Errors.NONE, group.sync(new SyncGroupRequest("kitchen", anna.generationId(), anna.memberId(),
                null, null, Map.of())).join().error());
        return anna;
    }

    @Test
    void a_leader_that_joins_a_stable_group_again_starts_a_new_generation() {
        JoinGroupResponse anna = annaStable();
        JoinGroupResponse again = group.join(join(anna.memberId(), false, "orders")).join();
        assertEquals(anna.generationId() + 1, again.generationId(), "the leader may want to assign again");
        assertEquals(GroupState.COMPLETING_REBALANCE, group.describe("kitchen").state());
    }

    @Test
    void a_follower_that_joins_a_stable_group_again_unchanged_is_told_the_current_generation() {
        JoinGroupResponse anna = group.join(join("", false, "orders")).join();
        var ben = group.join(join("", false, "orders"));
        JoinGroupResponse annaAgain = group.join(join(anna.memberId(), false, "orders")).join();
        JoinGroupResponse benJoined = ben.join();
        group.sync(new SyncGroupRequest("kitchen", benJoined.generationId(), benJoined.memberId(), null, null, Map.of()));
        assertEquals(Errors.NONE, group.sync(new SyncGroupRequest("kitchen", annaAgain.generationId(),
                annaAgain.memberId(), null, null, Map.of())).join().error());
        String follower = annaAgain.leader().equals(anna.memberId()) ? benJoined.memberId() : anna.memberId();

        JoinGroupResponse rejoined = group.join(join(follower, false, "orders")).join();
        assertEquals(Errors.NONE, rejoined.error());
        assertEquals(annaAgain.generationId(), rejoined.generationId(), "no rebalance for an unchanged follower");
        assertEquals(GroupState.STABLE, group.describe("kitchen").state());
    }

    @Test
    void an_id_handed_out_and_never_used_takes_no_place_in_the_group_and_lapses_with_its_session() {
        GroupCoordinatorTest.InProcess small = new GroupCoordinatorTest.InProcess(new GroupConfig(Duration.ZERO,
                Duration.ofSeconds(6), Duration.ofMinutes(30), 2, Duration.ofDays(7)));
        JoinGroupResponse anna = small.join(join("", false, "orders")).join();
        assertEquals(Errors.NONE, anna.error());
        JoinGroupResponse ben = small.join(join("", true, "orders")).join();
        JoinGroupResponse cleo = small.join(join("", true, "orders")).join();
        assertEquals(Errors.MEMBER_ID_REQUIRED, ben.error());
        assertEquals(Errors.MEMBER_ID_REQUIRED, cleo.error(), "ids handed out count for nothing, as in Kafka");

        small.join(join(cleo.memberId(), true, "orders")); // cleo takes the second place; the group rebalances
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, small.join(join(ben.memberId(), true, "orders")).join().error(),
                "anna and cleo fill a group of two");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, small.join(join(ben.memberId(), true, "orders")).join().error(),
                "refused, ben's id is gone: he starts again with a first join");
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, small.join(join("", true, "orders")).join().error());

        GroupCoordinatorTest.InProcess other = new GroupCoordinatorTest.InProcess(new GroupConfig(Duration.ZERO,
                Duration.ofSeconds(6), Duration.ofMinutes(30), 2, Duration.ofDays(7)));
        JoinGroupResponse dan = other.join(join("", true, "orders")).join();
        other.advance(Duration.ofMillis(10_001)); // dan's id lapses with his session timeout
        assertEquals(Errors.UNKNOWN_MEMBER_ID, other.join(join(dan.memberId(), true, "orders")).join().error());
    }

    @Test
    void a_flood_of_first_joins_never_keeps_a_real_consumer_out() {
        GroupCoordinatorTest.InProcess group = new GroupCoordinatorTest.InProcess(new GroupConfig(Duration.ZERO,
                Duration.ofSeconds(6), Duration.ofMinutes(30), 10, Duration.ofDays(7)));
        List<String> parked = new ArrayList<>();
        for (int i = 0; i < ClassicMembers.MAX_PENDING_MEMBERS + 5; i++) { // one client, ids it never uses
            parked.add(group.join(join("", true, "orders")).join().memberId());
        }
        JoinGroupResponse real = group.join(join("", true, "orders")).join();
        assertEquals(Errors.MEMBER_ID_REQUIRED, real.error());
        CompletableFuture<JoinGroupResponse> in = group.join(join(real.memberId(), true, "orders"));
        assertFalse(in.isDone(), "the real consumer comes back with its id and is in, waiting at the barrier"
                + (in.isDone() ? ": " + in.join().error() : ""));
        assertEquals(List.of(real.memberId()), group.describe("kitchen").members().stream()
                .map(DescribedGroup.Member::memberId).toList());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, group.join(join(parked.get(0), true, "orders")).join().error(),
                "past " + ClassicMembers.MAX_PENDING_MEMBERS + " ids waiting, the oldest was forgotten");
    }

    @Test
    void a_sync_naming_another_protocol_type_or_name_is_refused() {
        JoinGroupResponse anna = group.join(join("", false, "orders")).join();
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, group.sync(new SyncGroupRequest("kitchen",
                anna.generationId(), anna.memberId(), "connect", null, Map.of())).join().error());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, group.sync(new SyncGroupRequest("kitchen",
                anna.generationId(), anna.memberId(), "consumer", "roundrobin", Map.of())).join().error());
        assertEquals(Errors.NONE, group.sync(new SyncGroupRequest("kitchen", anna.generationId(), anna.memberId(),
                "consumer", "range", Map.of())).join().error());
    }

    @Test
    void a_group_before_its_first_generation_shows_no_protocol_leader_or_metadata() {
        JoinGroupResponse anna = annaStable();
        group.join(join("", false, "orders")); // ben waits at the barrier: the group prepares a rebalance
        DescribedGroup rebalancing = group.describe("kitchen");
        assertEquals(GroupState.PREPARING_REBALANCE, rebalancing.state());
        assertEquals("range", rebalancing.protocol(), "the last generation's protocol stands until the next");

        group.leave("kitchen", List.of(anna.memberId()));
        DescribedGroup ben = group.describe("kitchen");
        assertEquals(1, ben.members().size());
        assertEquals(GroupState.COMPLETING_REBALANCE, ben.state());

        GroupCoordinatorTest.InProcess fresh = new GroupCoordinatorTest.InProcess(new GroupConfig(Duration.ofSeconds(3),
                Duration.ofSeconds(6), Duration.ofMinutes(30)));
        fresh.join(join("", false, "orders")); // waits out the initial delay
        DescribedGroup first = fresh.describe("kitchen");
        assertEquals(GroupState.PREPARING_REBALANCE, first.state());
        assertEquals("", first.protocol());
        assertEquals(0, first.members().get(0).metadata().length, "no protocol chosen yet, so no metadata shown");
    }

    @Test
    void an_empty_group_shows_no_leader() {
        JoinGroupResponse anna = annaStable();
        assertEquals(anna.memberId(), group.describe("kitchen").leader());
        group.leave("kitchen", List.of(anna.memberId()));
        assertEquals("", group.describe("kitchen").leader());
    }

    @Test
    void leaving_a_group_the_coordinator_does_not_know_makes_every_member_unknown() {
        LeaveGroupResponse left = group.leave("nowhere", List.of("anna", "ben"));
        assertEquals(Errors.NONE, left.error());
        assertEquals(List.of(new LeaveGroupResponse.Left(LeavingMember.dynamic("anna"), Errors.UNKNOWN_MEMBER_ID),
                new LeaveGroupResponse.Left(LeavingMember.dynamic("ben"), Errors.UNKNOWN_MEMBER_ID)), left.members());
    }

    @Test
    void offset_delete_keeps_the_offsets_of_topics_a_member_reads_and_deletes_the_rest() {
        JoinGroupResponse anna = annaStable();
        assertEquals(Errors.NONE, group.commit(new OffsetCommitRequest("kitchen", anna.generationId(), anna.memberId(),
                new TreeMap<>(Map.of(ORDERS_0, 4L, MENU_0, 2L)))));
        OffsetDeleteResponse deleted = group.coordinator.deleteOffsets("kitchen",
                List.of(ORDERS_0, MENU_0, CUPS_0));
        assertEquals(Errors.NONE, deleted.error());
        assertEquals(Map.of(ORDERS_0, Errors.GROUP_SUBSCRIBED_TO_TOPIC, MENU_0, Errors.NONE, CUPS_0, Errors.NONE),
                deleted.partitions());
        assertEquals(Map.of(ORDERS_0, 4L), group.fetch("kitchen").offsets());
        group.restart();
        assertEquals(Map.of(ORDERS_0, 4L), group.fetch("kitchen").offsets(), "deleted from the store too");
    }

    @Test
    void offset_delete_of_a_groups_last_offsets_leaves_it_empty_until_the_cleanup_drops_it() {
        group.commit(OffsetCommitRequest.standalone("quiet", Map.of(MENU_0, 2L)));
        assertEquals(Map.of(MENU_0, Errors.NONE), group.coordinator.deleteOffsets("quiet", List.of(MENU_0)).partitions());
        assertEquals(GroupState.EMPTY, group.describe("quiet").state(), "as Kafka keeps it: listed, and deletable");
        assertEquals(List.of(new ListedGroup("quiet", "", GroupState.EMPTY.kafkaName(), "classic")), group.list(Set.of()));
        group.advance(GroupConfig.KAFKA_CLEANUP_INTERVAL);
        assertEquals(0, group.coordinator.groupCount());
        assertEquals(Errors.GROUP_ID_NOT_FOUND, group.coordinator.deleteOffsets("quiet", List.of(MENU_0)).error());
        assertEquals(Errors.INVALID_GROUP_ID, group.coordinator.deleteOffsets(" ", List.of(MENU_0)).error());
    }

    @Test
    void a_group_of_another_kind_subscribes_to_nothing_the_coordinator_can_read() {
        JoinGroupRequest connect = new JoinGroupRequest("workers", "", "w", "", 10_000, 30_000, "connect",
                List.of(new JoinGroupRequest.Protocol("default", ConsumerProtocol.CODEC.subscription(List.of("orders")))),
                false);
        JoinGroupResponse worker = group.join(connect).join();
        group.sync(new SyncGroupRequest("workers", worker.generationId(), worker.memberId(), null, null, Map.of()));
        group.commit(new OffsetCommitRequest("workers", worker.generationId(), worker.memberId(),
                new TreeMap<>(Map.of(ORDERS_0, 1L))));
        assertEquals(Map.of(ORDERS_0, Errors.NONE),
                group.coordinator.deleteOffsets("workers", List.of(ORDERS_0)).partitions());
    }

    @Test
    void offset_fetch_gives_the_epoch_and_metadata_committed_with_each_offset_for_the_partitions_asked() {
        group.commit(new OffsetCommitRequest("quiet", -1, "", new TreeMap<>(Map.of(
                ORDERS_0, new OffsetAndMetadata(4, 0, "cooked"), MENU_0, new OffsetAndMetadata(2, 3, ""))), null));
        OffsetFetchResponse all = group.fetch("quiet");
        assertEquals("cooked", all.metadataOf(ORDERS_0));
        assertEquals(0, all.leaderEpochOf(ORDERS_0), "the epoch the client committed");
        assertEquals(3, all.leaderEpochOf(MENU_0));
        OffsetFetchResponse some = group.coordinator.fetchOffsets("quiet", List.of(MENU_0, CUPS_0));
        assertEquals(Map.of(MENU_0, new OffsetAndMetadata(2, 3, "")), some.committed());
        group.commit(new OffsetCommitRequest("quiet", -1, "", new TreeMap<>(Map.of(ORDERS_0, 5L))));
        assertEquals(new OffsetAndMetadata(5, -1, ""), group.fetch("quiet").committed().get(ORDERS_0),
                "a commit without epoch or metadata replaces both");
    }

    @Test
    void a_deleted_topics_offsets_are_gone_at_once_not_only_after_a_restart() {
        group.commit(OffsetCommitRequest.standalone("kitchen", Map.of(ORDERS_0, 1L, MENU_0, 2L)));
        group.coordinator.forgetTopic("orders");
        assertEquals(Map.of(MENU_0, 2L), group.fetch("kitchen").offsets());
    }

    @Test
    void a_deleted_group_is_gone_with_its_offsets_and_a_commit_makes_it_anew() {
        group.commit(OffsetCommitRequest.standalone("quiet", Map.of(ORDERS_0, 1L)));
        assertEquals(Map.of("quiet", Errors.NONE), group.coordinator.deleteGroups(List.of("quiet")));
        assertEquals(Map.of("quiet", Errors.GROUP_ID_NOT_FOUND), group.coordinator.deleteGroups(List.of("quiet")));
        assertEquals(Map.of(), group.fetch("quiet").offsets());
        assertFalse(group.list(java.util.Set.of()).stream().anyMatch(g -> g.groupId().equals("quiet")));
        group.commit(OffsetCommitRequest.standalone("quiet", Map.of(MENU_0, 3L)));
        assertEquals(Map.of(MENU_0, 3L), group.fetch("quiet").offsets());
    }
}
