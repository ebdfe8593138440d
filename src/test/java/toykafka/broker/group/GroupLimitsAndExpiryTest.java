package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.classic.GroupMember;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.common.Errors;
import toykafka.common.KafkaStorageException;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

/**
 * What keeps the coordinator's groups bounded: a refused request makes no group, group ids and members per
 * group have limits, and an empty group's offsets expire with offsets.retention.minutes, taking the group.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupLimitsAndExpiryTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition MENU_0 = new TopicPartition("menu", 0);
    private static final GroupConfig SMALL = new GroupConfig(Duration.ZERO, Duration.ofSeconds(6),
            Duration.ofMinutes(30), 2, Duration.ofDays(7));

    private final GroupCoordinatorTest.InProcess group = new GroupCoordinatorTest.InProcess(SMALL);

    private static JoinGroupRequest join(String groupId, String memberId, String protocolType) {
        return new JoinGroupRequest(groupId, memberId, "anna", "", 10_000, 30_000, protocolType,
                List.of(new JoinGroupRequest.Protocol("range", new byte[] {1})), false);
    }

    /** Anna joins kitchen alone and takes her assignment: the group is Stable, and she may commit. */
    private static JoinGroupResponse joinAndSync(GroupCoordinatorTest.InProcess coordinator) {
        JoinGroupResponse anna = coordinator.join(join("kitchen", "", "consumer")).join();
        assertEquals(Errors.NONE, coordinator.sync(new SyncGroupRequest("kitchen", anna.generationId(), anna.memberId(),
                "consumer", "range", Map.of())).join().error());
        return anna;
    }

    @Test
    void a_refused_request_makes_no_group() {
        for (int i = 0; i < 1000; i++) {
            String id = "g" + i;
            assertEquals(Errors.UNKNOWN_MEMBER_ID, group.heartbeat(new HeartbeatRequest(id, 1, "m")));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, group.join(join(id, "m", "consumer")).join().error());
            assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, group.join(join(id, "", "")).join().error());
            assertEquals(Errors.UNKNOWN_MEMBER_ID, group.sync(new SyncGroupRequest(id, 1, "m", "consumer", "range",
                    Map.of())).join().error());
            assertEquals(Errors.GROUP_ID_NOT_FOUND, group.commit(new OffsetCommitRequest(id, 1, "m",
                    new TreeMap<>(Map.of(ORDERS_0, 1L)))));
            group.leave(id, List.of("m"));
            group.describe(id);
            group.fetch(id);
        }
        group.store.failing = true;
        assertThrows(KafkaStorageException.class, () -> group.commit(OffsetCommitRequest.standalone("stored", Map.of(ORDERS_0, 1L))));
        group.store.failing = false;
        assertEquals(Errors.NONE, group.commit(OffsetCommitRequest.standalone("nothing", Map.of())));
        assertEquals(0, group.coordinator.groupCount(), "no refused request left a group behind");
    }

    @Test
    void a_group_id_is_at_most_255_characters() {
        String longest = "g".repeat(Group.MAX_NAME_LENGTH);
        String tooLong = longest + "g";
        assertEquals(Errors.INVALID_GROUP_ID, group.join(join(tooLong, "", "consumer")).join().error());
        assertEquals(Errors.INVALID_GROUP_ID, group.commit(OffsetCommitRequest.standalone(tooLong, Map.of(ORDERS_0, 1L))));
        assertEquals(Errors.NONE, group.commit(OffsetCommitRequest.standalone(longest, Map.of(ORDERS_0, 1L))));
        assertEquals(1, group.coordinator.groupCount());
    }

    @Test
    void a_member_id_is_built_from_at_most_255_characters_of_the_client_id() {
        JoinGroupRequest request = new JoinGroupRequest("kitchen", "", "c".repeat(100_000), "", 10_000, 30_000,
                "consumer", List.of(new JoinGroupRequest.Protocol("range", new byte[] {1})), false);
        JoinGroupResponse joined = group.join(request).join();
        assertEquals(Errors.NONE, joined.error());
        assertEquals(Group.MAX_NAME_LENGTH + 1 + 36, joined.memberId().length(), "client id, '-', a UUID");
    }

    @Test
    void group_max_size_refuses_the_member_past_it() {
        assertEquals(Errors.NONE, group.join(join("kitchen", "", "consumer")).join().error());
        group.join(join("kitchen", "", "consumer")); // the second waits at the barrier: a member all the same
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, group.join(join("kitchen", "", "consumer")).join().error());
        assertEquals(81, Errors.GROUP_MAX_SIZE_REACHED.code(), "Kafka's code");
    }

    @Test
    void an_empty_groups_offsets_expire_at_the_first_cleanup_a_retention_after_its_last_session_ran_out_and_the_group_goes() {
        JoinGroupResponse anna = joinAndSync(group);
        assertEquals(Errors.NONE, group.commit(new OffsetCommitRequest("kitchen", anna.generationId(), anna.memberId(),
                new TreeMap<>(Map.of(ORDERS_0, 5L)))));
        group.advance(Duration.ofSeconds(11)); // anna's 10 s session runs out: the group is empty from now
        group.advance(Duration.ofDays(7).minusSeconds(1));
        assertEquals(Map.of(ORDERS_0, 5L), group.fetch("kitchen").offsets(), "a second short of 7 days' retention");
        group.advance(GroupConfig.KAFKA_CLEANUP_INTERVAL);
        assertEquals(Map.of(), group.fetch("kitchen").offsets(), "at the first cleanup 7 days after her session ran out");
        assertEquals(0, group.coordinator.groupCount());
        group.restart();
        assertEquals(Map.of(), group.fetch("kitchen").offsets(), "the offsets are deleted from the store too");
    }

    @Test
    void an_empty_group_keeps_its_offsets_until_the_retention_has_passed() {
        JoinGroupResponse anna = joinAndSync(group);
        group.commit(new OffsetCommitRequest("kitchen", anna.generationId(), anna.memberId(), new TreeMap<>(Map.of(ORDERS_0, 5L))));
        group.leave("kitchen", List.of(anna.memberId()));
        group.advance(Duration.ofDays(7).minusMinutes(1));
        assertEquals(Map.of(ORDERS_0, 5L), group.fetch("kitchen").offsets());
        group.advance(Duration.ofMinutes(1));
        assertEquals(Map.of(ORDERS_0, 5L), group.fetch("kitchen").offsets(), "expired, but no cleanup has run since");
        group.advance(GroupConfig.KAFKA_CLEANUP_INTERVAL);
        assertEquals(Map.of(), group.fetch("kitchen").offsets());
    }

    @Test
    void a_group_with_members_keeps_its_offsets_however_old_they_are() {
        GroupCoordinatorTest.InProcess shortRetention = new GroupCoordinatorTest.InProcess(new GroupConfig(Duration.ZERO,
                Duration.ofSeconds(6), Duration.ofMinutes(30), 10, Duration.ofMinutes(1)));
        JoinGroupResponse anna = joinAndSync(shortRetention);
        shortRetention.commit(new OffsetCommitRequest("kitchen", anna.generationId(), anna.memberId(),
                new TreeMap<>(Map.of(ORDERS_0, 5L))));
        for (int i = 0; i < 60; i++) { // five minutes of heartbeats, five times the retention
            shortRetention.advance(Duration.ofSeconds(5));
            assertEquals(Errors.NONE, shortRetention.heartbeat(new HeartbeatRequest("kitchen", anna.generationId(),
                    anna.memberId())));
        }
        assertEquals(Map.of(ORDERS_0, 5L), shortRetention.fetch("kitchen").offsets());
    }

    @Test
    void offsets_committed_from_outside_any_generation_expire_each_the_retention_after_its_commit() {
        group.commit(OffsetCommitRequest.standalone("tool", Map.of(ORDERS_0, 1L)));
        group.advance(Duration.ofDays(3));
        group.commit(OffsetCommitRequest.standalone("tool", Map.of(MENU_0, 2L)));
        group.advance(Duration.ofDays(4));
        assertEquals(Map.of(MENU_0, 2L), group.fetch("tool").offsets(), "7 days after the first, 4 after the second");
        group.advance(Duration.ofDays(3));
        assertEquals(Map.of(), group.fetch("tool").offsets());
        assertEquals(0, group.coordinator.groupCount());
    }

    @Test
    void offsets_loaded_at_start_keep_the_whole_retention_from_the_start() {
        group.commit(OffsetCommitRequest.standalone("tool", Map.of(ORDERS_0, 1L)));
        group.advance(Duration.ofDays(6));
        group.restart();
        group.advance(Duration.ofDays(6));
        assertEquals(Map.of(ORDERS_0, 1L), group.fetch("tool").offsets(), "the store keeps no commit times");
        group.advance(Duration.ofDays(1));
        assertEquals(Map.of(), group.fetch("tool").offsets());
    }

    /** A commit from outside any generation of these partitions, each with {@code metadata} beside its offset. */
    private static OffsetCommitRequest commitWithMetadata(String groupId, int partitions, long offset, String metadata) {
        TreeMap<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            committed.put(new TopicPartition("orders", p), new OffsetAndMetadata(offset, -1, metadata));
        }
        return new OffsetCommitRequest(groupId, -1, "", committed, null);
    }

    @Test
    void commits_that_would_grow_the_offsets_past_their_memory_bound_are_refused_and_moving_kept_ones_is_not() {
        long oneCommit = 10 * CoordinatorMemory.offsetBytes("orders", "m".repeat(1000))
                + CoordinatorMemory.GROUP_BYTES + "g0".length(); // and the group it makes
        GroupCoordinatorTest.InProcess bounded = new GroupCoordinatorTest.InProcess(new GroupConfig(Duration.ZERO,
                Duration.ofSeconds(6), Duration.ofMinutes(30), 2, Duration.ofDays(7), 3 * oneCommit));
        for (int g = 0; g < 3; g++) { // each from a client of its own: none passes its share, half the bound
            assertEquals(Errors.NONE, bounded.commit(commitWithMetadata("g" + g, 10, 1, "m".repeat(1000))
                    .from("client-" + g, "10.0.0." + g)));
        }
        assertEquals(Errors.INVALID_COMMIT_OFFSET_SIZE, bounded.commit(commitWithMetadata("g3", 10, 1, "m")
                .from("client-3", "10.0.0.3")), "a fourth group's offsets would pass the bound");
        assertEquals(0, bounded.coordinator.groupCount() - 3, "the refused commit left no group");
        assertEquals(Errors.INVALID_COMMIT_OFFSET_SIZE, bounded.commit(commitWithMetadata("g0", 10, 2,
                "m".repeat(1001)).from("client-0", "10.0.0.0")), "longer metadata grows the state too");
        assertEquals(Errors.NONE, bounded.commit(commitWithMetadata("g0", 10, 2, "m".repeat(1000))
                .from("client-0", "10.0.0.0")), "moving offsets already kept adds nothing");
        assertEquals(10, bounded.fetch("g0").offsets().size());

        bounded.coordinator.deleteGroups(List.of("g1"));
        assertEquals(Errors.NONE, bounded.commit(commitWithMetadata("g3", 10, 1, "m".repeat(1000))
                .from("client-3", "10.0.0.3")), "a deleted group's bytes are free again");
        bounded.restart();
        assertEquals(Errors.INVALID_COMMIT_OFFSET_SIZE, bounded.commit(commitWithMetadata("g4", 1, 1, "")
                .from("client-4", "10.0.0.4")), "offsets loaded at start count as they did before");
        assertEquals(Map.of(new TopicPartition("orders", 0), 2L), new TreeMap<>(bounded.fetch("g0").offsets())
                .headMap(new TopicPartition("orders", 1)));
    }

    @Test
    void joins_that_would_grow_the_members_past_the_memory_bound_are_refused_and_a_dead_group_gives_its_bytes_back() {
        byte[] megabyte = new byte[1 << 20];
        JoinGroupRequest big = new JoinGroupRequest("g3", "", "anna-3", "10.0.0.3", 10_000, 30_000, "consumer",
                List.of(new JoinGroupRequest.Protocol("range", megabyte)), false);
        GroupCoordinatorTest.InProcess bounded = new GroupCoordinatorTest.InProcess(new GroupConfig(Duration.ZERO,
                Duration.ofSeconds(6), Duration.ofMinutes(30), 10, Duration.ofDays(7), 3 * (GroupMember
                .bytesOf(big) + CoordinatorMemory.GROUP_BYTES + "g0".length())));
        List<JoinGroupResponse> joined = new java.util.ArrayList<>();
        for (int g = 0; g < 3; g++) { // each from a client of its own: none passes its share, half the bound
            JoinGroupRequest request = new JoinGroupRequest("g" + g, "", "anna-" + g, "10.0.0." + g, 10_000, 30_000,
                    "consumer", List.of(new JoinGroupRequest.Protocol("range", megabyte)), false);
            joined.add(bounded.join(request).join());
            assertEquals(Errors.NONE, joined.get(g).error());
        }
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, bounded.join(big).join().error(), "a fourth megabyte");
        assertEquals(Errors.NONE, bounded.join(new JoinGroupRequest("g0", joined.get(0).memberId(), "anna-0",
                "10.0.0.0", 10_000, 30_000, "consumer", List.of(new JoinGroupRequest.Protocol("range", megabyte)),
                false))
                .join().error(), "a member joining again as it was adds nothing");

        bounded.leave("g1", List.of(joined.get(1).memberId()));
        assertEquals(Errors.NONE, bounded.join(big).join().error(), "the member that left gave its bytes back");
        bounded.advance(Duration.ofSeconds(11)); // every session runs out: the groups are empty
        assertEquals(4, bounded.coordinator.groupCount(), "an empty group stays until the cleanup");
        bounded.advance(GroupConfig.KAFKA_CLEANUP_INTERVAL);
        assertEquals(0, bounded.coordinator.groupCount());
        assertEquals(0, bounded.coordinator.stateBytes(), "nothing is kept of a group that died");
    }
}
