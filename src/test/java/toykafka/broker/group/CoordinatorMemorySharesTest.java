package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.Charges;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.Owner;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;

/**
 * The coordinator's memory shared out (issue 60): no client address, client id, group or transactional id holds
 * more than half of group.coordinator.memory.max.bytes, and a refusal names who is over its share. No group's
 * offsets are ever deleted to make room (issue 74): the owner at its share is refused, and no one else.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CoordinatorMemorySharesTest {

    private static final long MAX = 1 << 20;
    private static final String METADATA = "m".repeat(4000);
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryOffsetStore store = new MemoryOffsetStore();
    private final GroupConfig config = new GroupConfig(Duration.ZERO, Duration.ofSeconds(6), Duration.ofMinutes(30),
            10, Duration.ofDays(7), MAX);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private GroupCoordinator coordinator = started();

    private GroupCoordinator started() {
        GroupCoordinator started = new GroupCoordinator(clock, config, store, events::add);
        started.replay();
        return started;
    }

    /** A commit from outside any generation of one partition with 4000 characters of metadata. */
    private static OffsetCommitRequest junk(String groupId) {
        return new OffsetCommitRequest(groupId, -1, "", new TreeMap<>(Map.of(ORDERS_0,
                new OffsetAndMetadata(1, -1, METADATA))), null);
    }

    /** Commits to new groups, one a millisecond, until refused; returns how many were taken. */
    private int flood(String clientHost, boolean newClientIdEach, String clientId) {
        for (int i = 0; i < 10_000; i++) {
            clock.advance(Duration.ofMillis(1));
            Errors answer = coordinator.commitOffsets(junk("junk-" + clientId + "@" + clientHost + "-" + i)
                    .from(newClientIdEach ? clientId + "-" + i : clientId, clientHost));
            if (answer != Errors.NONE) {
                assertEquals(Errors.INVALID_COMMIT_OFFSET_SIZE, answer);
                return i;
            }
        }
        throw new AssertionError("a flood of 10,000 commits was never refused");
    }

    /** A new member joins its own group and commits as a member of the generation it got. */
    private Errors joinAndCommit(String groupId, String clientId, String clientHost) {
        return commitAsMember(joined(groupId, clientId, clientHost), groupId, clientId, clientHost);
    }

    /** A new member's join and sync to its own group, both taken. */
    private JoinGroupResponse joined(String groupId, String clientId, String clientHost) {
        JoinGroupResponse joined = coordinator.joinGroup(new JoinGroupRequest(groupId, "", clientId, clientHost,
                10_000, 30_000, "consumer", List.of(new JoinGroupRequest.Protocol("range", new byte[] {1})),
                false)).join();
        assertEquals(Errors.NONE, joined.error(), () -> "the join: " + events);
        assertEquals(Errors.NONE, coordinator.syncGroup(new SyncGroupRequest(groupId, joined.generationId(),
                joined.memberId(), "consumer", "range", Map.of())).join().error());
        return joined;
    }

    private Errors commitAsMember(JoinGroupResponse joined, String groupId, String clientId, String clientHost) {
        return coordinator.commitOffsets(new OffsetCommitRequest(groupId, joined.generationId(), joined.memberId(),
                new TreeMap<>(Map.of(ORDERS_0, new OffsetAndMetadata(5, -1, METADATA))), null)
                .from(clientId, clientHost));
    }

    private boolean saidOnce(String words) {
        return events.stream().anyMatch(event -> event.contains(words));
    }

    @Test
    void one_address_flooding_with_a_new_client_id_each_time_stops_at_its_share_and_another_address_still_commits() {
        int taken = flood("10.0.0.66", true, "flood");

        assertTrue(coordinator.stateBytes() <= MAX / 2, "the flood holds no more than its share");
        assertTrue(coordinator.stateBytes() > MAX / 2 - 10_000, "and almost all of it: " + coordinator.stateBytes());
        assertTrue(saidOnce("client address 10.0.0.66 holds about "), events::toString);
        assertTrue(saidOnce("its share is " + MAX / 2 + " (half of " + GroupConfig.MEMORY_MAX_BYTES + "=" + MAX
                + ")"), events::toString);
        assertEquals(Errors.NONE, joinAndCommit("orders-app", "victim", "10.0.0.7"), events::toString);
        assertEquals(taken + 1, coordinator.groupCount(), "nothing of the flood had to be given back");
    }

    @Test
    void floods_never_delete_a_group_that_committed_from_the_flooded_address_and_left() {
        JoinGroupResponse member = joined("orders-app", "victim", "127.0.0.1");
        assertEquals(Errors.NONE, commitAsMember(member, "orders-app", "victim", "127.0.0.1"));
        assertEquals(Errors.NONE, coordinator.leaveGroup("orders-app", List.of(member.memberId())).error());
        flood("127.0.0.1", false, "flooder");
        assertTrue(saidOnce("client address 127.0.0.1 holds about "), events::toString);
        flood("10.0.0.66", true, "another-flood"); // together they fill the whole bound

        assertEquals(5L, coordinator.fetchOffsets("orders-app", null).offsets().get(ORDERS_0),
                "no group's offsets are deleted to make room: " + events);
        assertFalse(saidOnce("is deleted"), events::toString);
        assertEquals(Errors.INVALID_COMMIT_OFFSET_SIZE, coordinator.commitOffsets(junk("junk-more")
                .from("flooder", "127.0.0.1")), "the flooder is refused");
        assertEquals(Errors.NONE, coordinator.commitOffsets(new OffsetCommitRequest("orders-app", -1, "",
                new TreeMap<>(Map.of(ORDERS_0, new OffsetAndMetadata(6, -1, METADATA))), null)
                .from("victim", "127.0.0.1")), "moving offsets already kept is always taken");

        coordinator = started();
        assertEquals(6L, coordinator.fetchOffsets("orders-app", null).offsets().get(ORDERS_0),
                "and they are there after a restart");
    }

    @Test
    void a_flooder_at_its_share_is_at_it_after_each_restart_and_a_new_group_of_another_address_joins_and_commits() {
        flood("10.0.0.66", true, "flood");
        long flooded = coordinator.stateBytes();
        coordinator = started();
        assertEquals(flooded, coordinator.stateBytes(), "a restart loads what was kept");
        assertEquals(0, flood("10.0.0.66", true, "flood-again"), "the address is at its share after a restart");
        assertTrue(saidOnce("client address 10.0.0.66 holds about " + flooded), events::toString);
        coordinator = started();

        assertEquals(Errors.NONE, joinAndCommit("orders-app", "victim", "10.0.0.7"), events::toString);
        assertTrue(coordinator.stateBytes() <= MAX / 2 + 20_000, "the flood still holds no more than its share: "
                + coordinator.stateBytes());
    }

    @Test
    void a_kafka_4_consumer_from_another_address_joins_while_the_flooded_address_is_refused_naming_its_share() {
        flood("127.0.0.1", false, "flooder");
        List<String> topics = new java.util.ArrayList<>();
        for (int t = 0; t < 20; t++) { // about 6 kB of subscriptions: more than the flooder left of the address's share
            topics.add(("topic-" + t + "-").repeat(40).substring(0, 249));
        }
        ConsumerGroupHeartbeat.Response refused = coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat
                .Request("kip848-app", "member-1", ConsumerGroupHeartbeat.JOIN, null, null, 300_000, topics, null,
                Map.of(), "victim", "127.0.0.1"));
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, refused.error(), refused::toString);
        assertTrue(saidOnce("client address 127.0.0.1 holds about "), events::toString);

        ConsumerGroupHeartbeat.Response joined = coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat
                .Request("kip848-app", "member-2", ConsumerGroupHeartbeat.JOIN, null, null, 300_000, topics, null,
                Map.of(), "victim", "10.0.0.7"));
        assertEquals(Errors.NONE, joined.error(), () -> joined + " " + events);
    }

    @Test
    void open_transactions_of_one_transactional_id_stop_at_its_share_and_a_new_group_still_joins_and_commits() {
        int open = 0;
        while (open < 10_000) {
            Errors answer = coordinator.commitTransactionalOffsets("txn-flood", 1000 + open, (short) 0,
                    junk("txn-group-" + open).from("producer-" + open, "10.0.1." + (open % 250)));
            if (answer != Errors.NONE) {
                assertEquals(Errors.INVALID_COMMIT_OFFSET_SIZE, answer);
                break;
            }
            open++;
        }
        assertTrue(open > 10 && open < 10_000, "refused after " + open + " open transactions");
        assertTrue(saidOnce("transactional id txn-flood holds about "), events::toString);

        assertEquals(Errors.NONE, joinAndCommit("orders-app", "victim", "10.0.0.7"), events::toString);
        long victim = coordinator.stateBytes();
        for (int producer = 0; producer < open; producer++) {
            coordinator.completeTransaction(1000 + producer, false);
        }
        assertTrue(coordinator.stateBytes() < victim - MAX / 4, "aborted transactions give their bytes back");
    }

    @Test
    void bytes_given_back_are_credited_to_whom_they_were_charged_and_owners_at_nothing_are_forgotten() {
        CoordinatorMemory memory = new CoordinatorMemory(MAX);
        GroupOffsets offsets = new GroupOffsets(memory);
        Owners anna = Owners.of("10.0.0.1", "anna", "kitchen");
        Owners ben = Owners.of("10.0.0.2", "ben", "kitchen");
        offsets.committed(Map.of(ORDERS_0, new OffsetAndMetadata(1, -1, METADATA)), clock.instant(), anna);
        long one = memory.used();
        assertEquals(one, memory.shares().held(new Owner(Owner.Kind.CLIENT_ID, "anna")));
        assertEquals(one, memory.shares().held(new Owner(Owner.Kind.CLIENT_ADDRESS, "10.0.0.1")));

        offsets.committed(Map.of(ORDERS_0, new OffsetAndMetadata(2, -1, METADATA)), clock.instant(), ben);
        assertEquals(0, memory.shares().held(new Owner(Owner.Kind.CLIENT_ID, "anna")), "ben's commit replaced anna's");
        assertEquals(one, memory.shares().held(new Owner(Owner.Kind.CLIENT_ID, "ben")));
        assertEquals(3, memory.shares().owners(), "ben, his address and the group: anna's two are forgotten");

        offsets.forget(List.of(ORDERS_0));
        assertEquals(0, memory.used());
        assertEquals(0, memory.shares().owners(), "no owner at nothing is kept");

        Charges footprint = new Charges(memory);
        footprint.charge(1000, anna);
        footprint.settle(1500, Owners.group("kitchen"));
        footprint.settle(200, Owners.NONE);
        assertEquals(200, memory.used());
        footprint.releaseAll();
        assertEquals(0, memory.used());
        assertEquals(0, memory.shares().owners());

        offsets.committed(Map.of(ORDERS_0, new OffsetAndMetadata(1, -1, "")), clock.instant(), Owners.NONE);
        assertTrue(memory.used() > 0, "a replay counts toward the total");
        assertEquals(0, memory.shares().owners(), "and is charged to no owner");
    }
}
