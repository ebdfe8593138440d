package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.share.DescribedShareGroup;
import toykafka.broker.group.share.ShareGroupHeartbeat;
import toykafka.broker.group.share.ShareGroupRecord;
import toykafka.broker.group.share.ShareGroupRecord.Part;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.TopicId;

/**
 * A share group across a restart of its coordinator: written to the offsets topic part by part as it changes, and
 * replayed, so its members carry on at their epochs with the partitions they had, and one that does not come back is
 * removed when the group's session runs out.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareGroupRestartTest {

    private static final TopicId ORDERS = TopicId.random();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryOffsetStore store = new MemoryOffsetStore();
    /** The partitions of the broker's one topic, which a test may change while the coordinator is down. */
    private int partitions = 4;
    private GroupCoordinator coordinator = started();

    /** A coordinator over the store, with the share groups' 6 s session, replayed as a broker's at its start. */
    private GroupCoordinator started() {
        GroupCoordinator started = OneTopicCoordinators.over(clock, store, "orders", ORDERS, partitions);
        started.takeShareTimingsFrom(group -> new ConsumerGroupTimings.Timing(1000, 6000));
        started.replay();
        return started;
    }

    private void restart() {
        coordinator = started();
    }

    private ShareGroupHeartbeat.Response beat(String member, int epoch, List<String> topics) {
        return coordinator.shareGroupHeartbeat(new ShareGroupHeartbeat.Request("line", member, epoch,
                epoch == ShareGroupHeartbeat.JOIN ? "rack-" + member : null, topics, "client-" + member,
                "/127.0.0.1"));
    }

    @Test
    void a_member_carries_on_at_its_epoch_with_its_partitions_after_a_restart() {
        beat("m1", ShareGroupHeartbeat.JOIN, List.of("orders"));
        beat("m2", ShareGroupHeartbeat.JOIN, List.of("orders"));
        ShareGroupHeartbeat.Response first = beat("m1", 2, null);
        DescribedShareGroup before = coordinator.describeShareGroup("line");
        assertEquals(3, before.groupEpoch());

        restart();
        assertEquals(before, coordinator.describeShareGroup("line"), "the same epochs, members, racks, clients,"
                + " topics and partitions");
        ShareGroupHeartbeat.Response again = beat("m1", first.memberEpoch(), null);
        assertEquals(Errors.NONE, again.error(), again.errorMessage());
        assertEquals(3, again.memberEpoch(), "no new epoch for the restart");
        assertNull(again.assignment(), "nothing changed, so nothing is sent");
        assertEquals(Errors.NONE, beat("m2", 3, null).error());
        assertEquals(3, coordinator.describeShareGroup("line").groupEpoch());
    }

    @Test
    void a_member_that_does_not_come_back_is_removed_when_the_groups_session_runs_out_and_stays_removed() {
        beat("m1", ShareGroupHeartbeat.JOIN, List.of("orders"));
        beat("m2", ShareGroupHeartbeat.JOIN, List.of("orders"));
        beat("m1", 2, null);
        clock.advance(Duration.ofMinutes(10)); // the broker is down for longer than any session

        restart();
        assertEquals(2, coordinator.describeShareGroup("line").members().size(), "a restart starts each session again");
        clock.advance(Duration.ofSeconds(4));
        assertEquals(Errors.NONE, beat("m1", 3, null).error());
        clock.advance(Duration.ofSeconds(3)); // m2 silent for 7 s since the restart, past the group's 6 s session
        coordinator.tick();
        ShareGroupHeartbeat.Response alone = beat("m1", 3, null);
        assertEquals(4, alone.memberEpoch(), "m2's removal bumped the group epoch");
        assertEquals(Set.of(0, 1, 2, 3), alone.assignment().get(ORDERS), "the one left reads every partition");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("m2", 3, null).error());

        restart();
        DescribedShareGroup after = coordinator.describeShareGroup("line");
        assertEquals(List.of("m1"), after.members().stream().map(DescribedShareGroup.Member::memberId).toList(),
                "the removal was written too");
        assertEquals(4, after.groupEpoch());
    }

    @Test
    void a_heartbeat_that_changes_nothing_writes_nothing_and_a_leave_writes_its_tombstones_in_kafkas_order() {
        beat("m1", ShareGroupHeartbeat.JOIN, List.of("orders"));
        assertEquals(List.of(Part.MEMBER, Part.GROUP_EPOCH, Part.TARGET, Part.ASSIGNMENT_EPOCH, Part.CURRENT),
                store.shareGroupRecords().stream().map(ShareGroupRecord::part).toList(), "a join, as Kafka writes it");
        beat("m1", 2, null); // takes the partitions initialized since, at epoch 3
        int written = store.shareGroupRecords().size();
        beat("m1", 3, null);
        assertEquals(written, store.shareGroupRecords().size(), "a heartbeat that only says the member lives");

        beat("m1", ShareGroupHeartbeat.LEAVE, null);
        List<ShareGroupRecord> leave = store.shareGroupRecords().subList(written, store.shareGroupRecords().size());
        assertEquals(List.of(new ShareGroupRecord.Removed(Part.CURRENT, "line", "m1"),
                new ShareGroupRecord.Removed(Part.TARGET, "line", "m1"),
                new ShareGroupRecord.Removed(Part.MEMBER, "line", "m1"),
                new ShareGroupRecord.Epoch(Part.GROUP_EPOCH, "line", 4),
                new ShareGroupRecord.Epoch(Part.ASSIGNMENT_EPOCH, "line", 4)), leave);

        restart();
        DescribedShareGroup empty = coordinator.describeShareGroup("line");
        assertEquals("Empty", empty.state(), "an empty share group stays, as Kafka keeps it");
        assertEquals(4, empty.groupEpoch());
        assertEquals(5, beat("m3", ShareGroupHeartbeat.JOIN, List.of("orders")).memberEpoch(),
                "the next join moves the kept epoch on");
    }

    @Test
    void partitions_added_while_the_broker_was_down_are_initialized_at_the_first_heartbeat_and_then_assigned() {
        beat("m1", ShareGroupHeartbeat.JOIN, List.of("orders"));
        beat("m2", ShareGroupHeartbeat.JOIN, List.of("orders"));
        beat("m1", 2, null);
        partitions = 6;

        restart();
        ShareGroupHeartbeat.Response first = beat("m1", 3, null);
        assertEquals(4, first.memberEpoch(), "the targets were worked out for four partitions: again, for six");
        assertEquals(Set.of(0, 1, 2, 3), coordinator.describeShareGroup("line").members().stream()
                .flatMap(member -> member.assigned().get(ORDERS).stream()).collect(Collectors.toSet()),
                "the new partitions' share state is initialized first");
        assertEquals(5, beat("m2", 3, null).memberEpoch(), "the next heartbeat hands them out");
        assertEquals(5, beat("m1", 4, null).memberEpoch());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), coordinator.describeShareGroup("line").members().stream()
                .flatMap(member -> member.assigned().get(ORDERS).stream()).collect(Collectors.toSet()));
    }

    @Test
    void a_deleted_share_group_does_not_come_back_after_a_restart() {
        beat("m1", ShareGroupHeartbeat.JOIN, List.of("orders"));
        beat("m1", ShareGroupHeartbeat.LEAVE, null);
        assertEquals(Errors.NONE, coordinator.deleteGroups(List.of("line")).get("line"));

        restart();
        assertEquals(List.of(), coordinator.listGroups(Set.of(), Set.of()));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.describeShareGroup("line").error());
    }
}
