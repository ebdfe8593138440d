package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * Kafka 4's consumer groups in the coordinator, beside classic ones: one group id space, offsets fenced by member
 * epoch, ListGroups and the describe calls, static members, and the session. The rules are Kafka 4.1's
 * ({@code GroupMetadataManager}, {@code ConsumerGroup.validateOffsetCommit}); busy groups changing type are
 * {@link GroupMigrationTest}'s.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerGroupCoordinatorTest {

    private static final TopicId ORDERS_ID = new TopicId(7, 7);
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final int SESSION_MS = 45_000;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryOffsetStore store = new MemoryOffsetStore();
    private final GroupCoordinator coordinator = OneTopicCoordinators.over(clock, store, "orders", ORDERS_ID, 6);

    private ConsumerGroupHeartbeat.Response beat(String group, String member, int epoch, String instanceId) {
        boolean join = epoch == ConsumerGroupHeartbeat.JOIN;
        return coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(group, member, epoch, instanceId,
                null, join ? 300_000 : -1, join ? List.of("orders") : null, null, join ? Map.of() : null, member,
                "/127.0.0.1"));
    }

    /** A heartbeat saying what the member owns now: how it acknowledges a revocation. */
    private ConsumerGroupHeartbeat.Response owning(String group, String member, int epoch, Set<Integer> owned) {
        return coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(group, member, epoch, null,
                null, -1, null, null, Map.of(ORDERS_ID, owned), member, "/127.0.0.1"));
    }

    private ConsumerGroupHeartbeat.Response join(String group, String member) {
        return beat(group, member, ConsumerGroupHeartbeat.JOIN, null);
    }

    private static OffsetCommitRequest commit(String group, String member, int epoch, long offset, boolean v9) {
        return new OffsetCommitRequest(group, epoch, member, new TreeMap<>(Map.of(ORDERS_0, OffsetAndMetadata.of(offset))),
                null, v9);
    }

    /** A TxnOffsetCommit, as producer 9 at epoch 0 sends it for the consumer's offsets: the coordinator's answer. */
    private Errors commitInTransaction(OffsetCommitRequest request) {
        return coordinator.commitTransactionalOffsets(9, (short) 0, request);
    }

    private JoinGroupResponse classicJoin(String group) throws Exception {
        return coordinator.joinGroup(new JoinGroupRequest(group, "", "till", "/127.0.0.1", 10_000, 10_000, "consumer",
                List.of(new JoinGroupRequest.Protocol("range", new byte[0])), false)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void a_member_commits_at_its_own_epoch_only_and_with_a_request_that_knows_member_epochs() {
        ConsumerGroupHeartbeat.Response anna = join("kitchen", "anna");
        assertEquals(2, anna.memberEpoch());
        assertEquals(Errors.NONE, coordinator.commitOffsets(commit("kitchen", "anna", 2, 5, true)));
        assertEquals(Errors.STALE_MEMBER_EPOCH, coordinator.commitOffsets(commit("kitchen", "anna", 0, 6, true)));
        assertEquals(Errors.UNSUPPORTED_VERSION, coordinator.commitOffsets(commit("kitchen", "anna", 2, 6, false)),
                "OffsetCommit below v9 cannot carry a member epoch");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, coordinator.commitOffsets(commit("kitchen", "ghost", 2, 6, true)));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, coordinator.commitOffsets(commit("kitchen", "", -1, 6, true)),
                "a commit from outside the group is refused while it has members");
        assertEquals(Map.of(ORDERS_0, 5L), coordinator.fetchOffsets("kitchen", null).offsets(),
                "the refused commits left the offset where the member's own put it");

        assertEquals(Errors.NONE, coordinator.fetchOffsets("kitchen", "anna", 2, null).error());
        assertEquals(Errors.STALE_MEMBER_EPOCH, coordinator.fetchOffsets("kitchen", "anna", 0, null).error());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, coordinator.fetchOffsets("kitchen", "ghost", 2, null).error());

        beat("kitchen", "anna", ConsumerGroupHeartbeat.LEAVE, null);
        assertEquals(Errors.NONE, coordinator.commitOffsets(commit("kitchen", "", -1, 9, true)),
                "once empty, a tool may reset its offsets");
    }

    /** Kafka's OffsetMetadataManager.validateOffsetCommit and ConsumerGroup.validateOffsetCommit, 4.1.1. */
    @Test
    void a_consumer_that_only_assigns_commits_with_its_own_member_id_and_a_group_nobody_joined_is_named_missing() {
        assertEquals(Errors.NONE, coordinator.commitOffsets(commit("by-hand", "its-own-id", -1, 5, true)),
                "generation -1: a commit from outside any generation, whatever member id it names");
        assertEquals(Map.of(ORDERS_0, 5L), coordinator.fetchOffsets("by-hand", null).offsets());
        assertEquals(Errors.NONE, coordinator.commitOffsets(commit("by-hand", "its-own-id", -1, 6, true)),
                "and again, to the group the first one made");

        assertEquals(Errors.GROUP_ID_NOT_FOUND, coordinator.commitOffsets(commit("nobody-joined", "m", 3, 1, true)));
        assertEquals(Errors.ILLEGAL_GENERATION, coordinator.commitOffsets(commit("nobody-joined", "m", 3, 1, false)),
                "before v9, Kafka's older answer");
        assertEquals(Errors.ILLEGAL_GENERATION, commitInTransaction(commit("nobody-joined", "m", 3, 1, false)),
                "TxnOffsetCommit before v6");
        assertEquals(Errors.GROUP_ID_NOT_FOUND, commitInTransaction(commit("nobody-joined", "m", 3, 1, true)),
                "from v6, as Kafka 4.4 answers it");
    }

    /**
     * A rebalance between a consumer's poll and its producer's sendOffsetsToTransaction: a producer before
     * TxnOffsetCommit v6 knows ILLEGAL_GENERATION there (CommitFailedException, and the abort works), not
     * STALE_MEMBER_EPOCH; from v6 Kafka 4.4 answers STALE_MEMBER_EPOCH, which its producer fails the commit with too.
     */
    @Test
    void a_transactional_commit_at_a_stale_member_epoch_is_an_illegal_generation_before_v6_as_in_kafka() {
        assertEquals(2, join("kitchen", "anna").memberEpoch());
        assertEquals(Errors.ILLEGAL_GENERATION, commitInTransaction(commit("kitchen", "anna", 0, 5, false)), "v5");
        assertEquals(Errors.STALE_MEMBER_EPOCH, commitInTransaction(commit("kitchen", "anna", 0, 5, true)), "v6");
        assertEquals(Errors.STALE_MEMBER_EPOCH, commitInTransaction(commit("kitchen", "anna", 3, 5, true)),
                "an epoch it never had, v6");
        assertEquals(Errors.NONE, commitInTransaction(commit("kitchen", "anna", 2, 5, false)),
                "its own epoch, by any version");
    }

    /**
     * Kafka 4.3's assignment epoch per partition (ConsumerGroup.validateOffsetCommit in 4.4): a commit at an epoch
     * older than the member's counts for the partitions it has held since that epoch, and only for those.
     */
    @Test
    void a_commit_at_an_older_epoch_counts_for_the_partitions_held_since_then_and_a_zombies_does_not() {
        assertEquals(2, join("kitchen", "anna").memberEpoch(), "anna owns orders-0 to 5 from epoch 2");
        join("kitchen", "ben"); // group epoch 3: anna gives half to ben
        Set<Integer> all = Set.of(0, 1, 2, 3, 4, 5);
        Set<Integer> kept = Set.copyOf(owning("kitchen", "anna", 2, all).assignment().get(ORDERS_ID));
        assertEquals(3, kept.size());
        assertEquals(3, owning("kitchen", "anna", 2, kept).memberEpoch(), "anna let the other half go");
        int held = kept.iterator().next();
        int lost = all.stream().filter(p -> !kept.contains(p)).findFirst().orElseThrow();

        assertEquals(Errors.NONE, coordinator.commitOffsets(commitOf("anna", 2, held, true)),
                "sent at epoch 2 before the heartbeat that moved anna on: it has held the partition since");
        assertEquals(Errors.STALE_MEMBER_EPOCH, coordinator.commitOffsets(commitOf("anna", 2, lost, true)),
                "a zombie's commit for a partition it gave up");
        assertEquals(Map.of(new TopicPartition("orders", held), 10L), coordinator.fetchOffsets("kitchen", null)
                .offsets(), "the older epoch's commit is in force, the zombie's is not");
        assertEquals(Errors.STALE_MEMBER_EPOCH, coordinator.commitOffsets(commitOf("anna", 4, held, true)),
                "an epoch newer than its own");

        beat("kitchen", "ben", ConsumerGroupHeartbeat.LEAVE, null); // group epoch 4: anna takes everything back
        assertEquals(4, owning("kitchen", "anna", 3, kept).memberEpoch());
        assertEquals(Errors.STALE_MEMBER_EPOCH, coordinator.commitOffsets(commitOf("anna", 3, lost, true)),
                "a partition it got only at epoch 4");
        assertEquals(Errors.NONE, coordinator.commitOffsets(commitOf("anna", 3, held, true)));
        assertEquals(Errors.NONE, commitInTransaction(commitOf("anna", 2, held, true)),
                "a transactional commit is fenced alike, and no longer aborts its transaction");
        assertEquals(Errors.STALE_MEMBER_EPOCH, commitInTransaction(commitOf("anna", 3, lost, true)),
                "TxnOffsetCommit v6");
        assertEquals(Errors.ILLEGAL_GENERATION, commitInTransaction(commitOf("anna", 3, lost, false)),
                "TxnOffsetCommit v5");

        GroupCoordinator restarted = OneTopicCoordinators.over(clock, store, "orders", ORDERS_ID, 6);
        restarted.replay();
        assertEquals(Errors.NONE, restarted.commitOffsets(commitOf("anna", 3, held, true)),
                "the offsets topic keeps each partition's epoch, so a restart changes no answer");
        assertEquals(Errors.STALE_MEMBER_EPOCH, restarted.commitOffsets(commitOf("anna", 3, lost, true)));
    }

    @Test
    void a_replayed_member_that_does_not_come_back_is_removed_when_its_groups_own_session_runs_out() {
        join("kitchen", "anna");
        join("kitchen", "ben");
        GroupCoordinator restarted = OneTopicCoordinators.over(clock, store, "orders", ORDERS_ID, 6);
        restarted.takeTimingsFrom(group -> new ConsumerGroupTimings.Timing(1000, 6000)); // the group's own configs
        restarted.replay();
        assertEquals(2, restarted.describeConsumerGroup("kitchen").members().size(), "a restart keeps both members");

        clock.advance(Duration.ofSeconds(7)); // past the group's 6 s session, well inside the broker's 45 s
        restarted.tick();
        assertEquals(List.of(), restarted.describeConsumerGroup("kitchen").members(),
                "neither came back, so the group's session, not the broker's, removed them");
    }

    private static OffsetCommitRequest commitOf(String member, int epoch, int partition, boolean v9) {
        return new OffsetCommitRequest("kitchen", epoch, member, new TreeMap<>(Map.of(
                new TopicPartition("orders", partition), OffsetAndMetadata.of(10))), null, v9);
    }

    @Test
    void one_id_names_one_group_and_an_empty_group_becomes_the_other_type_keeping_its_offsets() throws Exception {
        assertEquals(Errors.NONE, coordinator.commitOffsets(OffsetCommitRequest.standalone("tills",
                Map.of(ORDERS_0, 3L))));
        assertEquals(Set.of("classic"), Set.copyOf(coordinator.groupType("tills").stream().toList()));
        assertEquals(2, join("tills", "anna").memberEpoch(), "an offsets-only classic group takes a new member");
        assertEquals("consumer", coordinator.groupType("tills").orElseThrow());
        assertEquals(Map.of(ORDERS_0, 3L), coordinator.fetchOffsets("tills", null).offsets(), "its offsets stayed");

        JoinGroupResponse inside = coordinator.joinGroup(new JoinGroupRequest("tills", "", "till", "/127.0.0.1",
                10_000, 10_000, "consumer", List.of(new JoinGroupRequest.Protocol("range",
                        ConsumerProtocol.CODEC.subscription(List.of("orders")))), false)).get(5, TimeUnit.SECONDS);
        assertEquals(Errors.NONE, inside.error(), "a busy consumer group takes a classic member in, as Kafka's does");
        assertEquals("consumer", coordinator.groupType("tills").orElseThrow());
        coordinator.leaveGroup("tills", List.of(inside.memberId()));

        beat("tills", "anna", ConsumerGroupHeartbeat.LEAVE, null);
        assertEquals(Errors.NONE, classicJoin("tills").error(), "an empty one gives it to a classic member");
        assertEquals("classic", coordinator.groupType("tills").orElseThrow());
        assertEquals(Map.of(ORDERS_0, 3L), coordinator.fetchOffsets("tills", null).offsets());

        assertEquals(Errors.GROUP_ID_NOT_FOUND, beat("tills", "ben", 2, null).error(),
                "a heartbeat that is not a join is not taken by a busy classic group (GroupMigrationTest converts it)");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("nowhere", "ben", 4, null).error(),
                "a member of a group this coordinator does not know joins again");
    }

    @Test
    void a_classic_group_that_became_a_consumer_group_and_was_deleted_does_not_come_back_after_a_restart()
            throws Exception {
        JoinGroupResponse till = classicJoin("tills");
        coordinator.syncGroup(new SyncGroupRequest("tills", till.generationId(), till.memberId(), "consumer", "range",
                Map.of())).get(5, TimeUnit.SECONDS);
        coordinator.leaveGroup("tills", List.of(till.memberId())); // kept: a classic group, empty
        assertEquals(2, join("tills", "anna").memberEpoch(), "the empty classic group becomes a consumer group");
        beat("tills", "anna", ConsumerGroupHeartbeat.LEAVE, null);
        assertEquals(Errors.NONE, coordinator.deleteGroups(List.of("tills")).get("tills"));

        GroupCoordinator restarted = new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY, store, event -> { },
                name -> null);
        restarted.replay();
        assertEquals(List.of(), restarted.listGroups(Set.of(), Set.of()), "the conversion wrote the classic group's"
                + " tombstone, so nothing brings it back");
    }

    @Test
    void list_and_describe_show_each_group_by_its_type_and_kafkas_states() throws Exception {
        classicJoin("tills");
        join("kitchen", "anna");
        assertEquals(List.of(new ListedGroup("kitchen", "consumer", "Stable", "consumer")),
                coordinator.listGroups(Set.of(), Set.of("CONSUMER")), "types compare without case, as in Kafka");
        join("kitchen", "ben");
        assertEquals(List.of(new ListedGroup("kitchen", "consumer", "Reconciling", "consumer")),
                coordinator.listGroups(Set.of("reconciling"), Set.of()), "ben waits for anna's partitions");
        assertEquals(List.of("tills"), coordinator.listGroups(Set.of(), Set.of("classic")).stream()
                .map(ListedGroup::groupId).toList());

        DescribedConsumerGroup kitchen = coordinator.describeConsumerGroup("kitchen");
        assertEquals(Errors.NONE, kitchen.error());
        assertEquals(3, kitchen.groupEpoch());
        assertEquals(3, kitchen.assignmentEpoch());
        assertEquals("uniform", kitchen.assignor(), "the first of group.consumer.assignors");
        assertEquals(List.of("anna", "ben"), kitchen.members().stream().map(DescribedConsumerGroup.Member::memberId)
                .toList());
        assertEquals("orders", kitchen.topicNames().get(ORDERS_ID));
        DescribedConsumerGroup.Member ben = kitchen.members().get(1);
        assertEquals(Map.of(), ben.assignment(), "ben owns nothing yet");
        assertEquals(3, ben.target().get(ORDERS_ID).size(), "but is to own half");

        assertEquals("Group tills is not a consumer group.", coordinator.describeConsumerGroup("tills").errorMessage());
        assertEquals("Group nobody not found.", coordinator.describeConsumerGroup("nobody").errorMessage());
        assertEquals(GroupState.DEAD, coordinator.describeGroup("kitchen").state(),
                "DescribeGroups knows classic groups only, as Kafka's");
        assertEquals(Map.of("kitchen", Errors.NON_EMPTY_GROUP), coordinator.deleteGroups(List.of("kitchen")));
    }

    @Test
    void a_silent_member_is_fenced_at_the_session_timeout_and_its_partitions_go_to_the_others() {
        join("kitchen", "anna");
        join("kitchen", "ben");
        clock.advance(Duration.ofMillis(SESSION_MS / 2));
        beat("kitchen", "ben", 3, null);
        clock.advance(Duration.ofMillis(SESSION_MS / 2 + 1));
        ConsumerGroupHeartbeat.Response ben = beat("kitchen", "ben", 3, null);
        assertEquals(Errors.NONE, ben.error());
        assertEquals(4, ben.memberEpoch(), "anna's silence moved the group on");
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), ben.assignment().get(ORDERS_ID), "ben owns all six");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("kitchen", "anna", 3, null).error(), "anna must join again");
    }

    @Test
    void a_static_member_leaves_for_a_moment_and_its_next_instance_takes_its_place_without_a_new_epoch() {
        join("kitchen", "ben");
        ConsumerGroupHeartbeat.Response grill = beat("kitchen", "grill-1", ConsumerGroupHeartbeat.JOIN, "grill");
        assertEquals(3, grill.memberEpoch());
        ConsumerGroupHeartbeat.Response keep = beat("kitchen", "ben", 2, null);
        assertEquals(Errors.NONE, keep.error());
        owning("kitchen", "ben", 2, keep.assignment().get(ORDERS_ID)); // ben gives up the half that is grill's
        Set<Integer> grills = beat("kitchen", "grill-1", 3, null).assignment().get(ORDERS_ID);
        assertEquals(3, grills.size(), "grill took its half once ben let it go");
        assertEquals("Stable", coordinator.describeConsumerGroup("kitchen").state());
        ConsumerGroupHeartbeat.Response other = beat("kitchen", "grill-2", ConsumerGroupHeartbeat.JOIN, "grill");
        assertEquals(Errors.UNRELEASED_INSTANCE_ID, other.error(), "the instance id is still grill-1's");

        assertEquals(ConsumerGroupHeartbeat.STATIC_LEAVE,
                beat("kitchen", "grill-1", ConsumerGroupHeartbeat.STATIC_LEAVE, "grill").memberEpoch());
        assertEquals("Reconciling", coordinator.describeConsumerGroup("kitchen").state(),
                "a static member away is not at its target, as Kafka counts it, though nothing moved for ben");
        ConsumerGroupHeartbeat.Response back = beat("kitchen", "grill-2", ConsumerGroupHeartbeat.JOIN, "grill");
        assertEquals(Errors.NONE, back.error());
        assertEquals(3, back.memberEpoch(), "the old instance's epoch, not a new one");
        assertEquals(3, coordinator.describeConsumerGroup("kitchen").groupEpoch(), "the group did not rebalance");
        assertEquals(grills, back.assignment().get(ORDERS_ID), "it got the old instance's partitions back at once");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("kitchen", "grill-1", 3, null).error());
        assertEquals(Errors.FENCED_INSTANCE_ID,
                beat("kitchen", "grill-1", ConsumerGroupHeartbeat.LEAVE, "grill").error());

        // a next instance that subscribes to something else does move the group on, as any change of subscription
        beat("kitchen", "grill-2", ConsumerGroupHeartbeat.STATIC_LEAVE, "grill");
        ConsumerGroupHeartbeat.Response changed = coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "kitchen", "grill-3", ConsumerGroupHeartbeat.JOIN, "grill", null, 300_000, List.of("orders", "drinks"),
                null, Map.of(), "grill-3", "/127.0.0.1"));
        assertEquals(Errors.NONE, changed.error());
        assertEquals(4, coordinator.describeConsumerGroup("kitchen").groupEpoch(), "a new subscription, a new epoch");
    }

    @Test
    void names_and_an_expression_together_are_given_the_names_first_and_the_matches_a_heartbeat_later() {
        Map<String, TopicLookup.Topic> made = new HashMap<>(Map.of("menu-fish", new TopicLookup.Topic(
                new TopicId(1, 1), 2), "drinks", new TopicLookup.Topic(new TopicId(2, 2), 1)));
        GroupCoordinator menus = new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY, store, event -> { },
                new MapTopicLookup(made));
        ConsumerGroupHeartbeat.Response joined = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "readers", "cleo", 0, null, null, 30_000, List.of("drinks"), "menu-.*", null, Map.of(), "cleo",
                "/127.0.0.1"));
        assertEquals(Map.of(new TopicId(2, 2), Set.of(0)), Map.copyOf(joined.assignment()), "the named topic first");
        ConsumerGroupHeartbeat.Response next = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "readers", "cleo", joined.memberEpoch(), null, null, -1, null, null, null, "cleo", "/127.0.0.1"));
        assertEquals(Map.of(new TopicId(1, 1), Set.of(0, 1), new TopicId(2, 2), Set.of(0)),
                Map.copyOf(next.assignment()), "then what the expression matched");

        // the last member with the expression leaves: brought back, it is new to the group again
        menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("readers", "cleo",
                ConsumerGroupHeartbeat.LEAVE, null, null, -1, null, null, null, "cleo", "/127.0.0.1"));
        ConsumerGroupHeartbeat.Response back = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "readers", "cleo-again", 0, null, null, 30_000, List.of("drinks"), "menu-.*", null, Map.of(),
                "cleo-again", "/127.0.0.1"));
        assertEquals(Map.of(new TopicId(2, 2), Set.of(0)), Map.copyOf(back.assignment()),
                "the named topic first again, as after the expression was first brought");

        // an expression the group has resolved already is matched in the heartbeat that brings it
        ConsumerGroupHeartbeat.Response ann = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "tasters", "ann", 0, null, null, 30_000, List.of(), "menu-.*", null, Map.of(), "ann", "/127.0.0.1"));
        menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("tasters", "ann", ann.memberEpoch(), null,
                null, -1, null, null, null, "ann", "/127.0.0.1"));
        ConsumerGroupHeartbeat.Response bob = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "tasters", "bob", 0, null, null, 30_000, List.of(), "menu-.*", null, Map.of(), "bob", "/127.0.0.1"));
        assertEquals(Errors.NONE, bob.error(), bob.errorMessage());
        DescribedConsumerGroup.Member bobAsDescribed = menus.describeConsumerGroup("tasters").members().stream()
                .filter(member -> member.memberId().equals("bob")).findFirst().orElseThrow();
        assertEquals(Map.of(new TopicId(1, 1), Set.of(1)), Map.copyOf(bobAsDescribed.target()),
                "bob is aimed at half of menu-fish at once");
    }

    @Test
    void a_regular_expression_matches_whole_topic_names_with_re2j_and_takes_in_a_topic_made_later() {
        Map<String, TopicLookup.Topic> made = new HashMap<>(Map.of("menu-fish", new TopicLookup.Topic(
                new TopicId(1, 1), 2), "old-menu-fish", new TopicLookup.Topic(new TopicId(2, 2), 2)));
        TopicLookup lookup = new MapTopicLookup(made);
        GroupCoordinator menus = new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY, store, event -> { },
                lookup);
        ConsumerGroupHeartbeat.Response joined = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "readers", "cleo", 0, null, null, 30_000, List.of(), "menu-.*", null, Map.of(), "cleo", "/127.0.0.1"));
        assertEquals(Map.of(), Map.copyOf(joined.assignment()),
                "an expression new to the group is resolved after the heartbeat that brought it, as Kafka's is");
        ConsumerGroupHeartbeat.Response resolved = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "readers", "cleo", joined.memberEpoch(), null, null, -1, null, null, null, "cleo", "/127.0.0.1"));
        assertEquals(Map.of(new TopicId(1, 1), Set.of(0, 1)), Map.copyOf(resolved.assignment()),
                "menu-fish, and not old-menu-fish: the whole name must match");
        assertEquals(3, resolved.memberEpoch(), "the expression's matches move the group on");
        made.put("menu-pies", new TopicLookup.Topic(new TopicId(3, 3), 1));
        ConsumerGroupHeartbeat.Response later = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "readers", "cleo", 3, null, null, -1, null, null, null, "cleo", "/127.0.0.1"));
        assertEquals(4, later.memberEpoch(), "a topic the expression matches was made: the group moves on");
        assertEquals(Set.of(0), later.assignment().get(new TopicId(3, 3)));
        assertEquals("menu-.*", menus.describeConsumerGroup("readers").members().get(0).subscribedTopicRegex());

        ConsumerGroupHeartbeat.Response bad = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "readers", "dan", 0, null, null, 30_000, null, "menu-(", null, Map.of(), "dan", "/127.0.0.1"));
        assertEquals(Errors.INVALID_REGULAR_EXPRESSION, bad.error());
        assertTrue(bad.errorMessage().startsWith("SubscribedTopicRegex `menu-(` is not a valid regular expression: "),
                bad.errorMessage());
        ConsumerGroupHeartbeat.Response java = menus.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request(
                "readers", "dan", 0, null, null, 30_000, null, "(menu)-\\1", null, Map.of(), "dan", "/127.0.0.1"));
        assertEquals(Errors.INVALID_REGULAR_EXPRESSION, java.error(), "Java takes a backreference; RE2/J does not");
    }

    /** Eleven such members once took 86 MB each and the Kafka listener with them. */
    @Test
    void a_costly_expression_is_refused_at_every_join_and_takes_no_member_in() {
        for (int i = 0; i < 11; i++) {
            ConsumerGroupHeartbeat.Response refused = coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat
                    .Request("costly", "m" + i, 0, null, null, 30_000, null, "(a{1000}){1000}", null, Map.of(), "m" + i,
                    "/127.0.0.1"));
            assertEquals(Errors.INVALID_REGULAR_EXPRESSION, refused.error());
        }
        assertEquals(List.of(), coordinator.describeConsumerGroup("costly").members(), "no member was taken in");
    }

    /**
     * Fifteen KB of {@code (a?…a?)a…a} compile to a small program, but RE2/J's matcher recursed through its optional
     * parts until the handler thread's stack ran out, at the heartbeat that resolved it: the member was never answered.
     * The heartbeats run here on a thread with a small stack, so that it runs out.
     */
    @Test
    void an_expression_too_deep_for_re2js_matcher_matches_nothing_and_every_heartbeat_is_answered() throws Exception {
        int n = 5_000;
        String deep = "(" + "a?".repeat(n) + ")" + "a".repeat(n);
        TopicLookup lookup = new MapTopicLookup(Map.of("orders", new TopicLookup.Topic(ORDERS_ID, 2)));
        GroupCoordinator deepGroups = new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY, store, event -> { },
                lookup);
        List<ConsumerGroupHeartbeat.Response> answers = new ArrayList<>();
        SmallStack.run(() -> {
            ConsumerGroupHeartbeat.Response joined = deepGroups.consumerGroupHeartbeat(new ConsumerGroupHeartbeat
                    .Request("deep", "eve", 0, null, null, 30_000, List.of("orders"), deep, null, Map.of(), "eve",
                    "/127.0.0.1"));
            answers.add(joined);
            answers.add(deepGroups.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("deep", "eve",
                    joined.memberEpoch(), null, null, -1, null, null, null, "eve", "/127.0.0.1")));
            answers.add(deepGroups.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("deep", "fay", 0,
                    null, null, 30_000, List.of(), "ord.*", null, Map.of(), "fay", "/127.0.0.1")));
            answers.add(deepGroups.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("deep", "fay",
                    answers.get(2).memberEpoch(), null, null, -1, null, null, null, "fay", "/127.0.0.1")));
        });

        assertEquals(List.of(Errors.NONE, Errors.NONE, Errors.NONE, Errors.NONE),
                answers.stream().map(ConsumerGroupHeartbeat.Response::error).toList());
        assertEquals(Map.of(ORDERS_ID, Set.of(0, 1)), Map.copyOf(answers.get(0).assignment()),
                "eve reads the topic she named");
        assertNull(answers.get(1).assignment(), "and nothing more once her expression is resolved: it matched nothing");
        DescribedConsumerGroup.Member fay = deepGroups.describeConsumerGroup("deep").members().stream()
                .filter(member -> member.memberId().equals("fay")).findFirst().orElseThrow();
        assertEquals(Set.of(ORDERS_ID), fay.target().keySet(),
                "an expression RE2/J can match still resolves: fay's ord.* takes in orders");
    }

    @Test
    void a_flood_of_joins_is_refused_at_group_consumer_max_size_and_at_the_coordinators_memory_bound() {
        GroupConfig small = GroupProtocolContract.NO_DELAY.withConsumer(new ConsumerGroupConfig(
                Duration.ofSeconds(5), Duration.ofSeconds(45), ConsumerGroupConfig.KNOWN_ASSIGNORS, 2));
        GroupCoordinator bounded = new GroupCoordinator(clock, small, store, event -> { },
                OneTopicCoordinators.only("orders", ORDERS_ID, 6));
        for (String member : List.of("anna", "ben")) {
            assertEquals(Errors.NONE, bounded.consumerGroupHeartbeat(joining("kitchen", member)).error());
        }
        ConsumerGroupHeartbeat.Response third = bounded.consumerGroupHeartbeat(joining("kitchen", "cleo"));
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, third.error());
        assertEquals("The consumer group has reached its maximum capacity of 2 members.", third.errorMessage());
        assertEquals(Errors.NONE, bounded.consumerGroupHeartbeat(joining("kitchen", "anna")).error(),
                "a member already in may join again");

        GroupConfig tight = new GroupConfig(Duration.ZERO, Duration.ofSeconds(6), Duration.ofMinutes(30),
                Integer.MAX_VALUE, Duration.ofDays(7), 2_000);
        GroupCoordinator full = new GroupCoordinator(clock, tight, new MemoryOffsetStore(), event -> { },
                OneTopicCoordinators.only("orders", ORDERS_ID, 6));
        int taken = 0;
        ConsumerGroupHeartbeat.Response refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            ConsumerGroupHeartbeat.Response answer = full.consumerGroupHeartbeat(joining("flood", "member-" + i));
            if (answer.error() == Errors.NONE) {
                taken++;
            } else {
                refused = answer;
            }
        }
        assertTrue(taken > 0 && refused != null, "some joins fit in 2000 bytes, and then no more: " + taken);
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, refused.error());
        assertTrue(refused.errorMessage().contains(GroupConfig.MEMORY_MAX_BYTES), refused.errorMessage());
        assertTrue(full.stateBytes() <= 2_000 + 1_000, "the bound held, within one member: " + full.stateBytes());
    }

    private static ConsumerGroupHeartbeat.Request joining(String group, String member) {
        return new ConsumerGroupHeartbeat.Request(group, member, ConsumerGroupHeartbeat.JOIN, null, null, 30_000,
                List.of("orders"), null, Map.of(), member, "/127.0.0.1");
    }

    @Test
    void a_join_with_no_member_id_is_given_one_and_a_blank_group_id_is_refused() {
        ConsumerGroupHeartbeat.Response given = join("kitchen", "");
        assertEquals(Errors.NONE, given.error());
        assertTrue(given.memberId() != null && !given.memberId().isEmpty(), "version 0 lets the coordinator choose");
        assertEquals(Errors.INVALID_REQUEST, join("", "anna").error());
        assertNull(coordinator.groupType("").orElse(null));
    }
}
