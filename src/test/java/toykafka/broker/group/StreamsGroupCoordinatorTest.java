package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.streams.DescribedStreamsGroup;
import toykafka.broker.group.streams.StreamsGroupHeartbeat;
import toykafka.broker.group.streams.StreamsGroupSettings;
import toykafka.broker.group.streams.StreamsTopology;

/**
 * A streams group through the coordinator: a task moves to a new member only once its owner gave it up; commits are
 * fenced by the member's epoch and the epoch each task came at; silence past the session fences a member; and the
 * group is listed, and deleted once empty, as Kafka does.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsGroupCoordinatorTest {

    private static final TopicId LINES = TopicId.random();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final GroupCoordinator coordinator = OneTopicCoordinators.over(clock, "lines", LINES, 4);

    /** streams.initial.rebalance.delay.ms, 0 unless a test sets it. */
    private int initialDelayMs;

    StreamsGroupCoordinatorTest() {
        coordinator.takeStreamsSettingsFrom(group -> new StreamsGroupSettings.Settings(5000, 45000, 0,
                initialDelayMs, 60000, 10000));
    }

    /** One stateless subtopology reading the four partitions of "lines": four tasks, no internal topics. */
    private static final StreamsTopology TOPOLOGY = new StreamsTopology(0, new TreeMap<>(Map.of("0",
            new StreamsTopology.Subtopology("0", List.of("lines"), List.of(), List.of(), List.of(), List.of(),
                    List.of()))));

    private StreamsGroupHeartbeat.Response join(String member) {
        return join(member, null, "process-" + member);
    }

    private StreamsGroupHeartbeat.Response join(String member, String instanceId, String processId) {
        return coordinator.streamsGroupHeartbeat(new StreamsGroupHeartbeat.Request("app", member, 0, 0, instanceId,
                null, 60_000, TOPOLOGY, Map.of(), Map.of(), Map.of(), processId, null, Map.of(), false, member,
                "/127.0.0.1"));
    }

    private StreamsGroupHeartbeat.Response beat(String member, int epoch, List<Integer> owned) {
        return coordinator.streamsGroupHeartbeat(new StreamsGroupHeartbeat.Request("app", member, epoch, 0, null,
                null, -1, null, owned == null ? null : Map.of("0", owned), owned == null ? null : Map.of(),
                owned == null ? null : Map.of(), null, null, null, false, member, "/127.0.0.1"));
    }

    private static Set<Integer> active(StreamsGroupHeartbeat.Response response) {
        return response.tasks().active().getOrDefault("0", new TreeSet<>());
    }

    private Errors commit(String member, int epoch, int partition, boolean transactional) {
        OffsetCommitRequest request = new OffsetCommitRequest("app", epoch, member, new TreeMap<>(Map.of(
                new TopicPartition("lines", partition), new OffsetAndMetadata(10, -1, ""))), null);
        return transactional ? coordinator.commitTransactionalOffsets(7, (short) 0, request)
                : coordinator.commitOffsets(request);
    }

    @Test
    void a_task_moves_to_a_new_member_only_after_its_owner_gave_it_up() {
        StreamsGroupHeartbeat.Response first = join("m1");
        assertEquals(2, first.memberEpoch());
        assertEquals(Set.of(0, 1, 2, 3), active(first));

        StreamsGroupHeartbeat.Response second = join("m2");
        assertEquals(3, second.memberEpoch(), "the join moved the group epoch on");
        assertEquals(Set.of(), active(second), "its tasks are still m1's");
        assertEquals("Reconciling", coordinator.listGroups().get(0).state());

        StreamsGroupHeartbeat.Response giving = beat("m1", 2, List.of(0, 1, 2, 3));
        assertEquals(2, giving.memberEpoch(), "m1's epoch waits until it gave its tasks up");
        assertEquals(Set.of(0, 1), active(giving), "it is asked to give up 2 and 3, kept by the sticky rule");
        assertNull(beat("m2", 3, List.of()).tasks(), "m2 still waits");

        StreamsGroupHeartbeat.Response gaveUp = beat("m1", 2, List.of(0, 1));
        assertEquals(3, gaveUp.memberEpoch());
        assertEquals(Set.of(2, 3), active(beat("m2", 3, List.of())), "now m2 runs them");
        assertEquals("Stable", coordinator.listGroups().get(0).state());
        assertEquals("streams", coordinator.listGroups().get(0).type());
    }

    @Test
    void a_commit_is_fenced_by_the_members_epoch_and_the_epoch_each_task_came_at() {
        join("m1");
        join("m2");
        beat("m1", 2, List.of(0, 1, 2, 3));
        beat("m1", 2, List.of(0, 1)); // m1 now at epoch 3 with tasks 0 and 1, which it has had since epoch 2
        assertEquals(Errors.NONE, commit("m1", 3, 0, false));
        assertEquals(Errors.NONE, commit("m1", 2, 0, false), "an older epoch for a task it had by then");
        assertEquals(Errors.STALE_MEMBER_EPOCH, commit("m1", 2, 3, false), "a task it no longer has");
        assertEquals(Errors.STALE_MEMBER_EPOCH, commit("m1", 4, 0, false), "an epoch it never had");
        assertEquals(Errors.STALE_MEMBER_EPOCH, commit("m1", 0, 0, true),
                "a stale epoch inside a transaction (TxnOffsetCommit v6) is STALE_MEMBER_EPOCH, as Kafka 4.4 answers");
        OffsetCommitRequest v5 = new OffsetCommitRequest("app", 0, "m1", new TreeMap<>(Map.of(
                new TopicPartition("lines", 0), new OffsetAndMetadata(10, -1, ""))), null, false);
        assertEquals(Errors.ILLEGAL_GENERATION, coordinator.commitTransactionalOffsets(7, (short) 0, v5),
                "before v6, ILLEGAL_GENERATION, the error an older producer knows");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, commit("nobody", 3, 0, false));
        OffsetCommitRequest old = new OffsetCommitRequest("app", 3, "m1", new TreeMap<>(Map.of(
                new TopicPartition("lines", 0), new OffsetAndMetadata(10, -1, ""))), null, false);
        assertEquals(Errors.UNSUPPORTED_VERSION, coordinator.commitOffsets(old), "OffsetCommit before v9");
    }

    @Test
    void a_silent_member_is_fenced_and_an_empty_group_is_deleted_with_its_offsets() {
        join("m1");
        StreamsGroupHeartbeat.Response second = join("m2");
        assertEquals(Errors.NON_EMPTY_GROUP, coordinator.deleteGroups(List.of("app")).get("app"));
        clock.advance(Duration.ofSeconds(30));
        beat("m1", 2, List.of(0, 1, 2, 3));
        clock.advance(Duration.ofSeconds(20)); // m2 silent 50 s, past its 45 s session; m1 heard 20 s ago
        StreamsGroupHeartbeat.Response alone = beat("m1", 2, List.of(0, 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("m2", second.memberEpoch(), List.of()).error());
        assertTrue(alone.memberEpoch() > second.memberEpoch(), "m2's fencing moved the epoch on again");
        assertEquals(Set.of(0, 1, 2, 3), active(alone), "m1 takes every task back");

        assertEquals(Errors.NONE, commit("m1", alone.memberEpoch(), 0, false));
        assertEquals(-1, beat("m1", -1, null).memberEpoch());
        assertEquals("Empty", coordinator.listGroups().get(0).state());
        assertEquals(Errors.NONE, coordinator.deleteGroups(List.of("app")).get("app"));
        assertTrue(coordinator.fetchOffsets("app", null).offsets().isEmpty(), "its offsets went with it");
    }

    @Test
    void a_streams_group_keeps_its_id_from_consumer_members() {
        join("m1");
        ConsumerGroupHeartbeat.Response consumer = coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat
                .Request("app", "c1", 0, null, null, 30_000, List.of("lines"), null, Map.of(), "c1", "/127.0.0.1"));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, consumer.error());
        assertEquals("Group app is not a consumer group.", consumer.errorMessage());
        assertEquals("Group app is not a consumer group.", coordinator.describeConsumerGroup("app").errorMessage());
        assertEquals("Group nothing not found.", coordinator.describeStreamsGroup("nothing").errorMessage());
    }

    @Test
    void a_group_is_never_described_without_its_topology_even_while_its_first_join_is_under_way() throws Exception {
        int groups = 3000;
        AtomicInteger joined = new AtomicInteger(-1);
        AtomicReference<String> seen = new AtomicReference<>();
        Thread describer = new Thread(() -> {
            while (joined.get() < groups - 1 && seen.get() == null) {
                String groupId = "app-" + (joined.get() + 1); // the group being made now
                DescribedStreamsGroup group = coordinator.describeStreamsGroup(groupId);
                if (group.error() == Errors.NONE && group.subtopologies() == null) {
                    seen.set(groupId);
                }
            }
        });
        describer.start();
        for (int i = 0; i < groups && seen.get() == null; i++) {
            coordinator.streamsGroupHeartbeat(new StreamsGroupHeartbeat.Request("app-" + i, "m", 0, 0, null, null,
                    60_000, TOPOLOGY, Map.of(), Map.of(), Map.of(), "p", null, Map.of(), false, "m", "/127.0.0.1"));
            joined.set(i);
        }
        describer.join();
        // Kafka's admin client cannot read a described streams group without a topology; Kafka never shows one
        assertNull(seen.get(), "described with no topology");
    }

    @Test
    void a_static_member_away_for_a_moment_comes_back_as_its_next_instance_with_its_tasks_and_no_rebalance() {
        join("m1", "instance-1", "process-1");
        StreamsGroupHeartbeat.Response away = coordinator.streamsGroupHeartbeat(new StreamsGroupHeartbeat.Request(
                "app", "m1", -2, 0, "instance-1", null, -1, null, null, null, null, null, null, null, false, "m1",
                "/127.0.0.1"));
        assertEquals(-2, away.memberEpoch());
        StreamsGroupHeartbeat.Response taken = join("m1-again", "other", "process-2");
        assertEquals(Errors.NONE, taken.error(), "another instance id joins as any member");
        StreamsGroupHeartbeat.Response back = join("m1-next", "instance-1", "process-1");
        assertEquals(2, back.memberEpoch(), "its old epoch");
        assertTrue(active(back).size() >= 2, "its tasks, kept for it: " + back.tasks());
        assertEquals(Errors.UNRELEASED_INSTANCE_ID, join("m1-third", "instance-1", "process-1").error(),
                "the instance id is in use again");
    }

    @Test
    void a_member_that_does_not_give_tasks_up_within_its_rebalance_timeout_is_fenced() {
        join("m1");
        join("m2");
        beat("m1", 2, List.of(0, 1, 2, 3)); // asked to give up 2 and 3, with 60 s to do it
        clock.advance(Duration.ofSeconds(30));
        beat("m2", 3, List.of());
        assertEquals(2, beat("m1", 2, List.of(0, 1, 2, 3)).memberEpoch(), "still giving up, its epoch waits");
        clock.advance(Duration.ofSeconds(31)); // heard 31 s ago, within its session; past its rebalance timeout
        StreamsGroupHeartbeat.Response alone = beat("m2", 3, List.of());
        assertEquals(Set.of(0, 1, 2, 3), active(alone), "m1 was fenced, and m2 runs everything");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("m1", 2, List.of(0, 1, 2, 3)).error());
    }

    @Test
    void the_first_members_tasks_wait_out_the_initial_rebalance_delay_which_the_clock_ends() {
        initialDelayMs = 3000;
        StreamsGroupHeartbeat.Response first = join("m1");
        assertEquals(StreamsGroupHeartbeat.Status.ASSIGNMENT_DELAYED, first.statuses().get(0).status());
        assertEquals(Set.of(), active(first));
        StreamsGroupHeartbeat.Response second = join("m2");
        assertEquals(Set.of(), active(second), "the delay is the first member's join's, and holds for all");
        clock.advance(Duration.ofSeconds(3));
        coordinator.tick();
        assertEquals("Reconciling", coordinator.listGroups().get(0).state(), "the tasks are assigned");
        StreamsGroupHeartbeat.Response m1 = beat("m1", first.memberEpoch(), List.of());
        StreamsGroupHeartbeat.Response m2 = beat("m2", second.memberEpoch(), List.of());
        assertEquals(2, active(m1).size());
        assertEquals(2, active(m2).size());
        assertEquals(List.of(), m2.statuses());
    }
}
