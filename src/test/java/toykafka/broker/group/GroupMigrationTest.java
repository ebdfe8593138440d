package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.broker.group.base.ConsumerGroupMigrationPolicy;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.consumer.DescribedConsumerGroup;

/**
 * A busy group changing type member by member, as {@code group.consumer.migration.policy} allows, by Kafka's rules
 * ({@code GroupMetadataManager.validateOnlineUpgrade}, {@code convertToConsumerGroup},
 * {@code validateOnlineDowngradeWithFencedMembers}, {@code convertToClassicGroup}): a classic group becomes a
 * consumer group at a consumer-protocol member's join, keeping its members' partitions and its offsets, and turns
 * back when that member leaves.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupMigrationTest {

    private static final TopicId ORDERS_ID = new TopicId(7, 7);
    private static final Set<Integer> ALL = Set.of(0, 1, 2, 3, 4, 5);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryOffsetStore store = new MemoryOffsetStore();
    /** What the coordinators tell the broker's event log. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private GroupCoordinator coordinator = coordinator(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, Integer.MAX_VALUE);

    private GroupCoordinator coordinator(ConsumerGroupMigrationPolicy policy, int consumerMaxSize) {
        return new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY.withConsumer(new ConsumerGroupConfig(
                Duration.ofSeconds(5), Duration.ofSeconds(45), ConsumerGroupConfig.KNOWN_ASSIGNORS, consumerMaxSize,
                policy)), store, events::add,
                OneTopicCoordinators.only("orders", ORDERS_ID, 6));
    }

    private JoinGroupResponse classicJoin(String memberId, String protocolType, Set<Integer> owned) throws Exception {
        return coordinator.joinGroup(new JoinGroupRequest("kitchen", memberId, "till", "/127.0.0.1", 10_000, 20_000,
                protocolType, List.of(new JoinGroupRequest.Protocol("range", ConsumerGroupClassicMembersTest
                        .subscription(List.of("orders"), owned.stream().sorted()
                                .map(p -> new TopicPartition("orders", p)).toList()))), false))
                .get(5, TimeUnit.SECONDS);
    }

    /** till leads a classic group of one and gives itself all six partitions: Stable at generation 1. */
    private String stableClassicGroup(String protocolType) throws Exception {
        JoinGroupResponse till = classicJoin("", protocolType, Set.of());
        assertEquals(1, till.generationId());
        byte[] all = ConsumerProtocol.CODEC.assignment(ALL.stream().map(p -> new TopicPartition("orders", p)).toList());
        coordinator.syncGroup(new SyncGroupRequest("kitchen", 1, till.memberId(), protocolType, "range",
                Map.of(till.memberId(), all))).get(5, TimeUnit.SECONDS);
        assertEquals(GroupState.STABLE, coordinator.describeGroup("kitchen").state());
        assertEquals(Errors.NONE, coordinator.commitOffsets(new OffsetCommitRequest("kitchen", 1, till.memberId(),
                new java.util.TreeMap<>(Map.of(new TopicPartition("orders", 0), OffsetAndMetadata.of(42))), null,
                true)));
        return till.memberId();
    }

    private ConsumerGroupHeartbeat.Response carlJoins() {
        return coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "carl",
                ConsumerGroupHeartbeat.JOIN, null, null, 300_000, List.of("orders"), null, Map.of(), "carl",
                "/127.0.0.1"));
    }

    private ConsumerGroupHeartbeat.Response carl(int epoch, Set<Integer> owned) {
        return coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "carl", epoch, null,
                null, -1, null, null, owned == null ? null : Map.of(ORDERS_ID, owned), "carl", "/127.0.0.1"));
    }

    private Set<Integer> synced(String memberId, int generation) throws Exception {
        SyncGroupResponse synced = coordinator.syncGroup(new SyncGroupRequest("kitchen", generation, memberId,
                "consumer", "range", Map.of())).get(5, TimeUnit.SECONDS);
        assertEquals(Errors.NONE, synced.error());
        return ConsumerProtocol.CODEC.partitions(synced.assignment()).stream().map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }

    @Test
    void the_policy_takes_kafkas_four_values_in_any_case_and_refuses_others_naming_them() {
        assertEquals(List.of("bidirectional", "upgrade", "downgrade", "disabled"), ConsumerGroupMigrationPolicy.names());
        assertEquals(ConsumerGroupMigrationPolicy.UPGRADE, ConsumerGroupMigrationPolicy.parse("Upgrade"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ConsumerGroupMigrationPolicy.parse("sideways"));
        assertEquals("group.consumer.migration.policy must be one of [bidirectional, upgrade, downgrade, disabled]"
                + " (any case), was sideways", refused.getMessage());
        assertEquals(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, ConsumerGroupConfig.KAFKA_DEFAULTS.migrationPolicy(),
                "Kafka's default");
    }

    @Test
    void a_consumer_protocol_join_upgrades_a_stable_classic_group_whose_member_keeps_its_partitions_until_it_rejoins()
            throws Exception {
        String till = stableClassicGroup("consumer");
        ConsumerGroupHeartbeat.Response carl = carlJoins();
        assertEquals(Errors.NONE, carl.error());
        assertEquals(2, carl.memberEpoch(), "the group epoch goes on from the classic generation");
        assertEquals(Map.of(), carl.assignment(), "all six are till's until it gives some up");
        assertEquals("consumer", coordinator.groupType("kitchen").orElseThrow());
        assertEquals(Map.of(new TopicPartition("orders", 0), 42L), coordinator.fetchOffsets("kitchen", null).offsets(),
                "the offsets went with the group");
        DescribedConsumerGroup described = coordinator.describeConsumerGroup("kitchen");
        DescribedConsumerGroup.Member tillNow = described.members().stream()
                .filter(member -> member.memberId().equals(till)).findFirst().orElseThrow();
        assertTrue(tillNow.classic());
        assertEquals(1, tillNow.memberEpoch(), "at its classic generation");
        assertEquals(ALL, tillNow.assignment().get(ORDERS_ID), "with the partitions its leader gave it");

        assertEquals(Errors.REBALANCE_IN_PROGRESS, coordinator.heartbeat(new HeartbeatRequest("kitchen", 1, till)));
        assertEquals(1, classicJoin(till, "consumer", ALL).generationId(), "giving three up first");
        Set<Integer> kept = synced(till, 1);
        assertEquals(3, kept.size());
        assertEquals(2, classicJoin(till, "consumer", kept).generationId());
        Set<Integer> carls = carl(2, Set.of()).assignment().get(ORDERS_ID);
        assertEquals(ALL, IntStream.range(0, 6).boxed().filter(p -> kept.contains(p) || carls.contains(p))
                .collect(Collectors.toSet()), "the two share the six");
        assertTrue(carls.stream().noneMatch(kept::contains));

        coordinator = coordinator(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, Integer.MAX_VALUE);
        coordinator.replay();
        assertEquals("consumer", coordinator.groupType("kitchen").orElseThrow(), "the conversion's records outlive"
                + " a restart, and the classic group's tombstone keeps it from coming back");
        assertEquals(2, coordinator.describeConsumerGroup("kitchen").members().size());
    }

    /**
     * A rolling move's first restart: a member leaves the classic group, whose rebalance has begun, and the same
     * consumer's join of the new protocol comes before the others have joined again. Kafka converts the group at
     * once ({@code convertToConsumerGroup} sends the waiting joins back with REBALANCE_IN_PROGRESS), so each classic
     * member rebalances once, into the consumer group's epoch; it does not finish the classic rebalance first and
     * then rebalance again.
     */
    @Test
    void a_classic_group_in_the_middle_of_a_rebalance_is_upgraded_at_once_and_its_members_rebalance_once()
            throws Exception {
        String till = stableClassicGroup("consumer");
        CompletableFuture<JoinGroupResponse> tomWaits = coordinator.joinGroup(new JoinGroupRequest("kitchen", "",
                "tom", "/127.0.0.1", 10_000, 20_000, "consumer", List.of(new JoinGroupRequest.Protocol("range",
                ConsumerGroupClassicMembersTest.subscription(List.of("orders"), List.of()))), false));
        assertEquals(GroupState.PREPARING_REBALANCE, coordinator.describeGroup("kitchen").state());
        assertFalse(tomWaits.isDone(), "tom waits at the classic barrier for till to join again");

        ConsumerGroupHeartbeat.Response carl = carlJoins();
        assertEquals(Errors.NONE, carl.error(), "upgraded in the middle of its rebalance: " + carl.errorMessage());
        assertEquals("consumer", coordinator.groupType("kitchen").orElseThrow());
        assertEquals(2, carl.memberEpoch(), "the group epoch goes on from the classic generation");
        JoinGroupResponse tomSentBack = tomWaits.get(5, TimeUnit.SECONDS);
        assertEquals(Errors.REBALANCE_IN_PROGRESS, tomSentBack.error(), "to join the consumer group instead");
        String tom = tomSentBack.memberId();
        assertEquals(Set.of(till, tom, "carl"), coordinator.describeConsumerGroup("kitchen").members().stream()
                .map(DescribedConsumerGroup.Member::memberId).collect(Collectors.toSet()));

        assertEquals(Errors.REBALANCE_IN_PROGRESS, coordinator.heartbeat(new HeartbeatRequest("kitchen", 1, till)));
        JoinGroupResponse tillRejoins = classicJoin(till, "consumer", Set.of()); // eager: it gave everything up
        assertEquals(2, tillRejoins.generationId(), "one rebalance takes till to the consumer group's epoch");
        Set<Integer> tills = synced(till, 2);
        JoinGroupResponse tomRejoins = classicJoin(tom, "consumer", Set.of());
        assertEquals(2, tomRejoins.generationId(), "and tom, whose classic join never finished, likewise");
        Set<Integer> toms = synced(tom, 2);
        Set<Integer> carls = carl(2, Set.of()).assignment().get(ORDERS_ID);
        assertEquals(List.of(2, 2, 2), List.of(tills.size(), toms.size(), carls.size()), "two each");
        assertEquals(ALL, IntStream.range(0, 6).boxed().filter(p -> tills.contains(p) || toms.contains(p)
                || carls.contains(p)).collect(Collectors.toSet()), "the three share the six");
        assertEquals(Errors.NONE, coordinator.heartbeat(new HeartbeatRequest("kitchen", 2, till)),
                "till is done: no second rebalance");
        assertEquals(Errors.NONE, coordinator.heartbeat(new HeartbeatRequest("kitchen", 2, tom)));
    }

    @Test
    void an_upgrade_is_refused_in_kafkas_words_when_the_policy_the_protocol_type_or_the_size_forbid_it()
            throws Exception {
        for (ConsumerGroupMigrationPolicy policy : List.of(ConsumerGroupMigrationPolicy.DISABLED,
                ConsumerGroupMigrationPolicy.DOWNGRADE)) {
            coordinator = coordinator(policy, Integer.MAX_VALUE);
            stableClassicGroup("consumer");
            ConsumerGroupHeartbeat.Response refused = carlJoins();
            assertEquals(Errors.GROUP_ID_NOT_FOUND, refused.error(), policy.toString());
            assertEquals("Cannot upgrade classic group kitchen to consumer group because online upgrade is disabled.",
                    refused.errorMessage());
            assertEquals("classic", coordinator.groupType("kitchen").orElseThrow());
        }
        coordinator = coordinator(ConsumerGroupMigrationPolicy.UPGRADE, 1);
        classicJoin("", "consumer", Set.of());
        coordinator.joinGroup(new JoinGroupRequest("kitchen", "", "till-2", "/127.0.0.1", 10_000, 20_000, "consumer",
                List.of(new JoinGroupRequest.Protocol("range", ConsumerProtocol.CODEC.subscription(List.of("orders")))),
                false)); // a second member, whose join waits for the first to join again
        ConsumerGroupHeartbeat.Response tooMany = carlJoins();
        assertEquals(Errors.GROUP_ID_NOT_FOUND, tooMany.error());
        assertEquals("Cannot upgrade classic group kitchen to consumer group because the group size exceeds the"
                + " consumer group maximum size.", tooMany.errorMessage());
    }

    @Test
    void under_disabled_a_consumer_group_with_members_refuses_a_classic_join_as_kafka_4_4_does_but_an_empty_one_not()
            throws Exception {
        coordinator = coordinator(ConsumerGroupMigrationPolicy.DISABLED, Integer.MAX_VALUE);
        assertEquals(2, carlJoins().memberEpoch());
        for (int attempt = 0; attempt < 2; attempt++) {
            JoinGroupResponse refused = classicJoin("", "consumer", Set.of());
            assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, refused.error());
            assertEquals("", refused.memberId(), "no member id is handed out, as Kafka answers");
            assertEquals(-1, refused.generationId());
        }
        DescribedConsumerGroup described = coordinator.describeConsumerGroup("kitchen");
        assertEquals(List.of("carl"), described.members().stream().map(DescribedConsumerGroup.Member::memberId)
                .toList(), "the refused join left nothing behind");
        assertEquals(2, described.groupEpoch());
        assertEquals(List.of("a classic join by till@/127.0.0.1 is refused with INCONSISTENT_GROUP_PROTOCOL: Cannot"
                + " join the consumer group kitchen with the classic protocol because the group migration is disabled."
                + " (told once for this member and reason)"), events.stream()
                .filter(event -> event.contains("classic join")).toList(), "Kafka's reason, told once");

        assertEquals(Errors.NONE, carl(ConsumerGroupHeartbeat.LEAVE, null).error());
        JoinGroupResponse taken = classicJoin("", "consumer", Set.of());
        assertEquals(Errors.NONE, taken.error(), "an empty consumer group gives its id to a classic group");
        assertEquals("classic", coordinator.groupType("kitchen").orElseThrow());
    }

    @Test
    void every_policy_but_disabled_takes_a_classic_member_into_a_consumer_group_with_members() throws Exception {
        for (ConsumerGroupMigrationPolicy policy : List.of(ConsumerGroupMigrationPolicy.BIDIRECTIONAL,
                ConsumerGroupMigrationPolicy.UPGRADE, ConsumerGroupMigrationPolicy.DOWNGRADE)) {
            coordinator = coordinator(policy, Integer.MAX_VALUE);
            carlJoins();
            JoinGroupResponse taken = classicJoin("", "consumer", Set.of());
            assertEquals(Errors.NONE, taken.error(), policy.toString());
            assertEquals(2, coordinator.describeConsumerGroup("kitchen").members().size(), policy.toString());
            assertEquals("consumer", coordinator.groupType("kitchen").orElseThrow(), policy.toString());
        }
    }

    @Test
    void a_classic_member_of_a_consumer_group_restarted_under_disabled_is_refused_when_it_joins_again_but_still_heard()
            throws Exception {
        String till = stableClassicGroup("consumer");
        carlJoins(); // upgraded under bidirectional, till a classic member at epoch 1
        coordinator = coordinator(ConsumerGroupMigrationPolicy.DISABLED, Integer.MAX_VALUE);
        coordinator.replay();
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, classicJoin(till, "consumer", ALL).error(),
                "a rejoin is refused as a first join is: Kafka looks at the policy before the member");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, coordinator.heartbeat(new HeartbeatRequest("kitchen", 1, till)),
                "its heartbeats are still answered: only JoinGroup asks the policy");
        assertFalse(coordinator.describeConsumerGroup("kitchen").members().stream()
                .filter(member -> member.memberId().equals(till)).findFirst().orElseThrow().assignment().isEmpty(),
                "it keeps its partitions until its session runs out or it leaves");
    }

    @Test
    void a_group_that_is_not_of_consumers_is_not_upgraded() throws Exception {
        stableClassicGroup("connect");
        ConsumerGroupHeartbeat.Response refused = carlJoins();
        assertEquals(Errors.GROUP_ID_NOT_FOUND, refused.error());
        assertEquals("Cannot upgrade classic group kitchen to consumer group because the group does not use the"
                + " consumer embedded protocol.", refused.errorMessage());
    }

    @Test
    void when_the_last_consumer_protocol_member_leaves_the_group_turns_classic_again_and_rebalances() throws Exception {
        String till = stableClassicGroup("consumer");
        carlJoins();
        assertEquals(Errors.NONE, carl(ConsumerGroupHeartbeat.LEAVE, null).error());
        assertEquals(List.of(), store.consumerGroupRecordsLeft("kitchen"), "the consumer group's tombstones");
        assertEquals("classic", coordinator.groupType("kitchen").orElseThrow());
        DescribedGroup described = coordinator.describeGroup("kitchen");
        assertEquals(GroupState.PREPARING_REBALANCE, described.state(), "it rebalances at once, as Kafka's does");
        assertEquals(List.of(till), described.members().stream().map(DescribedGroup.Member::memberId).toList());
        assertEquals(3, described.generation(), "the generation is the group epoch, moved on by carl's leave");
        assertEquals(Errors.ILLEGAL_GENERATION, coordinator.heartbeat(new HeartbeatRequest("kitchen", 1, till)),
                "till never caught up with carl's join: it joins again, as a classic client does on this error");
        assertEquals(Errors.REBALANCE_IN_PROGRESS, coordinator.heartbeat(new HeartbeatRequest("kitchen", 3, till)));
        JoinGroupResponse rejoined = classicJoin(till, "consumer", Set.of());
        assertEquals(Errors.NONE, rejoined.error());
        assertEquals(4, rejoined.generationId());
        assertTrue(rejoined.isLeader(), "a classic group again: its leader assigns");
        assertEquals(Map.of(new TopicPartition("orders", 0), 42L), coordinator.fetchOffsets("kitchen", null).offsets());
    }

    @Test
    void a_consumer_protocol_member_whose_session_runs_out_downgrades_the_group_too_but_not_under_upgrade_only()
            throws Exception {
        String till = stableClassicGroup("consumer");
        carlJoins();
        classicJoin(till, "consumer", ALL); // till catches up with carl's join, giving three up
        assertEquals(2, classicJoin(till, "consumer", synced(till, 1)).generationId());
        synced(till, 2); // within its rebalance timeout, or it is fenced
        for (int second = 5; second <= 50; second += 5) { // till keeps its own 10 s session; carl is silent
            clock.advance(Duration.ofSeconds(5));
            coordinator.heartbeat(new HeartbeatRequest("kitchen", 2, till));
        }
        coordinator.tick();
        assertEquals("classic", coordinator.groupType("kitchen").orElseThrow(), "carl's session ran out");

        coordinator = coordinator(ConsumerGroupMigrationPolicy.UPGRADE, Integer.MAX_VALUE);
        stableClassicGroup("consumer");
        carlJoins();
        carl(ConsumerGroupHeartbeat.LEAVE, null);
        assertEquals("consumer", coordinator.groupType("kitchen").orElseThrow(),
                "upgrade only: the group keeps its classic members as a consumer group");
    }
}
