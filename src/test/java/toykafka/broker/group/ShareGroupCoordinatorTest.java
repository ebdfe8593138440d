package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.share.DescribedShareGroup;
import toykafka.broker.group.share.ShareGroupHeartbeat;

/**
 * A share group through the coordinator: a partition is assigned once its share state is initialized, at the
 * heartbeat after the one that first saw it; members take their part of the target at once, several may read one
 * partition, epochs fence stale heartbeats, silence past the session fences a member, another type's group keeps its
 * id, the group is listed and deleted once empty (the broker hears of that, and of no member's leaving), and it
 * commits no offsets.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareGroupCoordinatorTest {

    private static final TopicId ORDERS = TopicId.random();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final GroupCoordinator coordinator = OneTopicCoordinators.over(clock, "orders", ORDERS, 2);
    private final List<String> deleted = new ArrayList<>();

    ShareGroupCoordinatorTest() {
        coordinator.takeShareTimingsFrom(group -> new ConsumerGroupTimings.Timing(1000, 6000));
        coordinator.tellShareGroupsTo(deleted::add);
    }

    private ShareGroupHeartbeat.Response beat(String member, int epoch, List<String> topics) {
        return coordinator.shareGroupHeartbeat(new ShareGroupHeartbeat.Request("line", member, epoch, null, topics,
                member, "/127.0.0.1"));
    }

    private static SortedSet<Integer> partitions(ShareGroupHeartbeat.Response response) {
        return response.assignment() == null ? null : new TreeSet<>(response.assignment().getOrDefault(ORDERS,
                new TreeSet<>()));
    }

    @Test
    void a_partition_is_assigned_at_the_heartbeat_after_the_one_that_has_its_share_state_initialized() {
        ShareGroupHeartbeat.Response joined = beat("m1", 0, List.of("orders"));
        assertEquals(2, joined.memberEpoch());
        assertEquals(Set.of(), partitions(joined), "nothing yet: the partitions' share state is being initialized");
        ShareGroupHeartbeat.Response second = beat("m2", 0, List.of("orders"));
        assertEquals(3, second.memberEpoch());
        assertEquals(1, partitions(second).size(), "a member joining once they are initialized takes its part at once");
        ShareGroupHeartbeat.Response next = beat("m1", 2, null);
        assertEquals(3, next.memberEpoch(), "the first member's next heartbeat carries its part");
        assertEquals(1, partitions(next).size());
        assertTrue(java.util.Collections.disjoint(partitions(next), partitions(second)));
    }

    @Test
    void the_next_heartbeat_of_a_lone_member_bumps_the_epoch_for_the_partitions_just_initialized() {
        assertEquals(Set.of(), partitions(beat("m1", 0, List.of("orders"))));
        ShareGroupHeartbeat.Response next = beat("m1", 2, null);
        assertEquals(3, next.memberEpoch(), "the target is worked out again, at a new epoch");
        assertEquals(Set.of(0, 1), partitions(next));
        ShareGroupHeartbeat.Response after = beat("m1", 3, null);
        assertEquals(3, after.memberEpoch(), "then nothing changes");
        assertNull(after.assignment());
    }

    @Test
    void members_take_their_part_at_once_and_more_members_than_partitions_share_them() {
        ShareGroupHeartbeat.Response first = beat("m1", 0, List.of("orders"));
        assertEquals(Errors.NONE, first.error(), first.errorMessage());
        assertEquals(2, first.memberEpoch());
        assertEquals(1000, first.heartbeatIntervalMs(), "the group's heartbeat interval");
        ShareGroupHeartbeat.Response initialized = beat("m1", 2, null);
        assertEquals(3, initialized.memberEpoch());
        assertEquals(Set.of(0, 1), partitions(initialized), "the only member reads both partitions");

        ShareGroupHeartbeat.Response second = beat("m2", 0, List.of("orders"));
        assertEquals(4, second.memberEpoch(), "a join bumps the group epoch, and the member takes its part at once");
        ShareGroupHeartbeat.Response third = beat("m3", 0, List.of("orders"));
        assertEquals(5, third.memberEpoch());

        ShareGroupHeartbeat.Response firstAgain = beat("m1", 3, null);
        assertEquals(5, firstAgain.memberEpoch(), "nothing to give up first: the old member moves to the new epoch");
        assertEquals(5, beat("m2", 4, null).memberEpoch());
        SortedSet<Integer> all = new TreeSet<>();
        int readers = 0;
        for (DescribedShareGroup.Member member : coordinator.describeShareGroup("line").members()) {
            SortedSet<Integer> part = member.assigned().getOrDefault(ORDERS, new TreeSet<>());
            all.addAll(part);
            readers += part.size();
        }
        assertEquals(Set.of(0, 1), all, "every partition is read");
        assertTrue(readers >= 3, "three members, two partitions: each member reads one, so one partition has two"
                + " readers (" + readers + ")");

        DescribedShareGroup described = coordinator.describeShareGroup("line");
        assertEquals("Stable", described.state());
        assertEquals(3, described.members().size());
        assertEquals(5, described.groupEpoch());
        assertEquals(5, described.assignmentEpoch());
    }

    @Test
    void two_members_of_two_partitions_read_one_each_once_the_first_has_heard_of_the_second() {
        beat("m1", 0, List.of("orders"));
        assertEquals(Set.of(0, 1), partitions(beat("m1", 2, null)));
        SortedSet<Integer> second = partitions(beat("m2", 0, List.of("orders")));
        assertEquals(1, second.size(), "the joining member takes one partition, not both: " + second);
        SortedSet<Integer> first = partitions(beat("m1", 3, null));
        assertEquals(1, first.size(), "the first member gives up the other at its next heartbeat: " + first);
        assertTrue(java.util.Collections.disjoint(first, second), first + " and " + second);
        for (DescribedShareGroup.Member member : coordinator.describeShareGroup("line").members()) {
            assertEquals(1, member.assigned().getOrDefault(ORDERS, new TreeSet<>()).size(), member.toString());
        }
    }

    @Test
    void stale_and_unknown_heartbeats_are_fenced_with_kafkas_errors() {
        beat("m1", 0, List.of("orders"));
        beat("m2", 0, List.of("orders"));
        assertEquals(Errors.NONE, beat("m1", 2, null).error(), "the epoch just before the member's own is taken");
        ShareGroupHeartbeat.Response ahead = beat("m1", 9, null);
        assertEquals(Errors.FENCED_MEMBER_EPOCH, ahead.error());
        assertTrue(ahead.errorMessage().contains("greater member epoch (9)"), ahead.errorMessage());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("stranger", 5, null).error());
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.shareGroupHeartbeat(new ShareGroupHeartbeat.Request(
                "nobody", "m1", 3, null, null, "m1", "/127.0.0.1")).error(), "only a join makes a group");
    }

    @Test
    void silence_past_the_session_fences_a_member_and_the_broker_hears_nothing_of_it() {
        beat("m1", 0, List.of("orders"));
        beat("m2", 0, List.of("orders"));
        clock.advance(Duration.ofSeconds(4));
        assertEquals(3, beat("m1", 2, null).memberEpoch());
        clock.advance(Duration.ofSeconds(4)); // m2 silent for 8 s, past its 6 s session
        coordinator.tick();
        ShareGroupHeartbeat.Response after = beat("m1", 3, null);
        assertEquals(4, after.memberEpoch(), "m2's fencing bumped the group epoch");
        assertEquals(Set.of(0, 1), partitions(after), "the one left reads both partitions again");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("m2", 3, null).error());

        assertEquals(ShareGroupHeartbeat.LEAVE, beat("m1", ShareGroupHeartbeat.LEAVE, null).memberEpoch());
        assertEquals("Empty", coordinator.describeShareGroup("line").state());
    }

    @Test
    void another_types_group_keeps_its_id_and_a_share_group_keeps_its_own() {
        coordinator.commitOffsets(new OffsetCommitRequest("kitchen", -1, "", new java.util.TreeMap<>(Map.of(
                new TopicPartition("orders", 0), new OffsetAndMetadata(3, -1, ""))), null));
        ShareGroupHeartbeat.Response refused = coordinator.shareGroupHeartbeat(new ShareGroupHeartbeat.Request(
                "kitchen", "m1", 0, null, List.of("orders"), "m1", "/127.0.0.1"));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, refused.error());
        assertEquals("Group kitchen is not a share group.", refused.errorMessage());

        beat("m1", 0, List.of("orders"));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.commitOffsets(new OffsetCommitRequest("line", -1, "",
                new java.util.TreeMap<>(Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(3, -1, ""))),
                null)), "a share group commits no offsets: what it read is in its share partitions");
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.describeStreamsGroup("line").error());
    }

    @Test
    void an_empty_share_group_is_listed_kept_through_cleanups_and_deleted_with_its_state() {
        beat("m1", 0, List.of("orders"));
        assertEquals(Errors.NON_EMPTY_GROUP, coordinator.deleteGroups(List.of("line")).get("line"));
        assertEquals(Errors.NON_EMPTY_GROUP, coordinator.admitShareOffsetChange("line", true).error());
        beat("m1", ShareGroupHeartbeat.LEAVE, null);
        assertEquals(Errors.NONE, coordinator.admitShareOffsetChange("line", true).error());

        clock.advance(Duration.ofDays(8)); // past offsets.retention.minutes and every cleanup
        coordinator.tick();
        List<ListedGroup> listed = coordinator.listGroups(Set.of(), Set.of("share"));
        assertEquals(1, listed.size(), "Kafka keeps an empty share group: " + listed);
        assertEquals("share", listed.get(0).type());
        assertEquals("Empty", listed.get(0).state());

        assertEquals(Errors.NONE, coordinator.deleteGroups(List.of("line")).get("line"));
        assertEquals(List.of("line"), deleted, "the share partitions are told, to drop what it read");
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.describeShareGroup("line").error());
        assertNull(coordinator.groupType("line").orElse(null));
    }
}
