package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.streams.DescribedStreamsGroup;
import toykafka.broker.group.streams.StreamsGroupHeartbeat;
import toykafka.broker.group.streams.StreamsGroupSettings;
import toykafka.broker.group.streams.StreamsTopology;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * A streams group written to the offsets store as it changes, then replayed by a restarted coordinator: the same
 * epochs, topology, members and tasks, a reconciliation under way finishes with no rebalance, and each member's
 * session starts again at the restart and runs out as Kafka's does.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsGroupPersistenceTest {

    private static final TopicId LINES = TopicId.random();
    /** One stateful subtopology reading the four partitions of "lines", with a changelog the broker makes. */
    private static final StreamsTopology TOPOLOGY = new StreamsTopology(0, new TreeMap<>(Map.of("0",
            new StreamsTopology.Subtopology("0", List.of("lines"), List.of(), List.of(), List.of(),
                    List.of(new StreamsTopology.TopicInfo("app-counts-changelog", 0, (short) 1, Map.of())),
                    List.of()))));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryOffsetStore store = new MemoryOffsetStore();
    private GroupCoordinator coordinator = started();

    /** A coordinator over the store, as a broker starts one: it replays what the store holds. */
    private GroupCoordinator started() {
        GroupCoordinator started = new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY, store, event -> { },
                topic -> topic.equals("lines") ? new TopicLookup.Topic(LINES, 4)
                        : topic.equals("app-counts-changelog") ? new TopicLookup.Topic(
                        new TopicId(1, 1), 4) : null);
        started.takeStreamsSettingsFrom(group -> new StreamsGroupSettings.Settings(5000, 45000, 0, 0, 60000, 10000));
        started.replay();
        return started;
    }

    private StreamsGroupHeartbeat.Response join(String member) {
        return coordinator.streamsGroupHeartbeat(new StreamsGroupHeartbeat.Request("app", member, 0, 0, null,
                "rack-" + member, 60_000, TOPOLOGY, Map.of(), Map.of(), Map.of(), "process-" + member,
                new StreamsGroupHeartbeat.Endpoint("host-" + member, 8080), Map.of("zone", "z-" + member), false,
                member, "/127.0.0.1"));
    }

    private StreamsGroupHeartbeat.Response beat(String member, int epoch, List<Integer> owned) {
        return coordinator.streamsGroupHeartbeat(new StreamsGroupHeartbeat.Request("app", member, epoch, 0, null,
                null, -1, null, Map.of("0", owned), Map.of(), Map.of(), null, null, null, false, member,
                "/127.0.0.1"));
    }

    private static Set<Integer> active(StreamsGroupHeartbeat.Response response) {
        return response.tasks().active().getOrDefault("0", new TreeSet<>());
    }

    private Errors commit(String member, int epoch, int partition) {
        return coordinator.commitOffsets(new OffsetCommitRequest("app", epoch, member, new TreeMap<>(Map.of(
                new TopicPartition("lines", partition), new OffsetAndMetadata(10, -1, ""))), null));
    }

    @Test
    void a_group_replayed_in_the_middle_of_a_revocation_is_the_group_that_was_written_and_finishes_it() {
        assertEquals(Set.of(0, 1, 2, 3), active(join("m1")));
        StreamsGroupHeartbeat.Response second = join("m2");
        assertEquals(3, second.memberEpoch());
        StreamsGroupHeartbeat.Response giving = beat("m1", 2, List.of(0, 1, 2, 3));
        assertEquals(Set.of(0, 1), active(giving), "m1 is asked to give 2 and 3 up");
        assertEquals(Errors.NONE, commit("m1", 2, 3));
        DescribedStreamsGroup before = coordinator.describeStreamsGroup("app");
        assertEquals("Reconciling", before.state());

        clock.advance(Duration.ofSeconds(10));
        coordinator = started();
        assertEquals(before, coordinator.describeStreamsGroup("app"),
                "epochs, topology, members and their tasks now and in their targets, as they were");
        assertEquals(Map.of(new TopicPartition("lines", 3), 10L), coordinator.fetchOffsets("app", null).offsets());

        assertEquals(Errors.NONE, commit("m1", 2, 2), "m1 may commit for a task it had at its epoch");
        StreamsGroupHeartbeat.Response gaveUp = beat("m1", 2, List.of(0, 1));
        assertEquals(Errors.NONE, gaveUp.error(), "its next heartbeat at its epoch is taken");
        assertEquals(3, gaveUp.memberEpoch(), "it reached the target's epoch once it gave the tasks up");
        assertEquals(Set.of(2, 3), active(beat("m2", 3, List.of())), "m2 takes what m1 let go");
        DescribedStreamsGroup after = coordinator.describeStreamsGroup("app");
        assertEquals("Stable", after.state());
        assertEquals(3, after.groupEpoch(), "no rebalance for the restart");
        assertEquals(new StreamsGroupHeartbeat.Endpoint("host-m2", 8080), after.members().get(1).userEndpoint());
        assertEquals(Map.of("zone", "z-m2"), after.members().get(1).clientTags());
    }

    @Test
    void a_heartbeat_that_changes_nothing_writes_nothing_and_a_replayed_group_writes_nothing_until_it_changes() {
        join("m1");
        beat("m1", 2, List.of());
        int written = store.streamsGroupRecordsWritten();
        beat("m1", 2, List.of(0, 1, 2, 3));
        assertEquals(written, store.streamsGroupRecordsWritten(), "a heartbeat that only says it lives");

        coordinator = started();
        beat("m1", 2, List.of(0, 1, 2, 3));
        assertEquals(written, store.streamsGroupRecordsWritten(), "what was replayed is what the store holds");
    }

    @Test
    void a_change_the_store_could_not_take_is_written_at_the_groups_next_call() {
        join("m1");
        store.failing = true;
        assertEquals(Errors.NONE, join("m2").error(), "the member is answered; the write waits");
        store.failing = false;
        beat("m1", 2, List.of(0, 1, 2, 3));
        DescribedStreamsGroup before = coordinator.describeStreamsGroup("app");
        assertEquals(2, before.members().size());

        coordinator = started();
        assertEquals(before, coordinator.describeStreamsGroup("app"), "m2's join went with m1's next heartbeat");
    }

    @Test
    void a_replayed_member_silent_past_its_session_is_fenced_and_a_deleted_group_stays_deleted() {
        join("m1");
        clock.advance(Duration.ofMinutes(5)); // down longer than a session: the restart starts it again
        coordinator = started();
        clock.advance(Duration.ofSeconds(40));
        assertEquals(Errors.NONE, beat("m1", 2, List.of(0, 1, 2, 3)).error());
        clock.advance(Duration.ofSeconds(46));
        coordinator.tick();
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("m1", 2, List.of(0, 1, 2, 3)).error(),
                "fenced once silent past its session, as Kafka schedules it when it loads the group");
        assertEquals("Empty", coordinator.describeStreamsGroup("app").state());

        coordinator = started();
        assertEquals("Empty", coordinator.describeStreamsGroup("app").state(), "the fencing was written too");
        assertEquals(Errors.NONE, coordinator.deleteGroups(List.of("app")).get("app"));
        coordinator = started();
        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.describeStreamsGroup("app").error());
        assertNull(coordinator.listGroups().stream().filter(group -> group.groupId().equals("app")).findFirst()
                .orElse(null));
    }
}
