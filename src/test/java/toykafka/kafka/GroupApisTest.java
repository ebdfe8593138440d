package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The group APIs, written and read by Kafka's own message classes in the versions served: the dance of
 * JoinGroup, SyncGroup and Heartbeat, fenced commits, and the admin calls. One broker; a group a test.
 */
class GroupApisTest {

    private static final int SESSION_MS = 10_000;

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    private static JoinGroupRequestData join(String group, String memberId, byte[] metadata) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(metadata));
        return new JoinGroupRequestData().setGroupId(group).setMemberId(memberId).setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(SESSION_MS).setProtocolType("consumer").setProtocols(protocols)
                .setReason("starting"); // v8's, left out of older versions
    }

    /** Joins as a new member, joining again with the id handed out where the version asks for that. */
    private JoinGroupResponseData joinNew(KafkaWire wire, String group, int version, byte[] metadata) {
        JoinGroupResponseData first = wire.send(join(group, "", metadata), version);
        if (version < 4) {
            return first;
        }
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode(), "v4+ hands out an id first");
        assertFalse(first.memberId().isEmpty());
        return wire.send(join(group, first.memberId(), metadata), version);
    }

    private static SyncGroupResponseData sync(KafkaWire wire, String group, JoinGroupResponseData joined,
                                              Map<String, byte[]> assignments, int version) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(group).setGenerationId(joined.generationId())
                .setMemberId(joined.memberId());
        assignments.forEach((member, bytes) -> request.assignments().add(
                new SyncGroupRequestAssignment().setMemberId(member).setAssignment(bytes)));
        return wire.send(request, version);
    }

    private static OffsetCommitRequestData commit(String group, int generation, String memberId, String topic,
                                                  long offset, String metadata) {
        return new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(generation)
                .setMemberId(memberId).setTopics(List.of(new OffsetCommitRequestTopic().setName(topic).setPartitions(
                        List.of(new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset)
                                .setCommittedMetadata(metadata)))));
    }

    /** A commit from outside any generation (-1), as a tool sends it: {@code offsets[i]} for partition i of the topic. */
    private static OffsetCommitRequestData commitFromOutside(String group, String topic, long... offsets) {
        List<OffsetCommitRequestPartition> partitions = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            partitions.add(new OffsetCommitRequestPartition().setPartitionIndex(i).setCommittedOffset(offsets[i]));
        }
        return new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(-1)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName(topic).setPartitions(partitions)));
    }

    private void topic(String name, int partitions) {
        broker.broker().createTopic(name, partitions, Map.of(), OnDuplicate.FAIL);
    }

    /** Each group API at the version a client of this JoinGroup version would pair with it, up to the newest served. */
    @ParameterizedTest(name = "JoinGroup v{0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void a_lone_member_joins_leads_syncs_heartbeats_commits_and_leaves(int version) {
        String group = "alone-v" + version;
        topic(group, 1);
        byte[] metadata = {0, 0, 0, 0, 0, 1, 0, 1, 'x', -1, -1, -1, -1};
        try (KafkaWire wire = new KafkaWire(broker)) {
            JoinGroupResponseData joined = joinNew(wire, group, version, metadata);
            assertEquals(Errors.NONE.code(), joined.errorCode());
            assertEquals(1, joined.generationId());
            assertEquals("range", joined.protocolName());
            assertEquals(version >= 7 ? "consumer" : null, joined.protocolType(), "named from v7");
            assertEquals(joined.memberId(), joined.leader(), "the only member leads");
            assertFalse(joined.skipAssignment(), "a first leader assigns");
            assertEquals(1, joined.members().size());
            assertArrayEquals(metadata, joined.members().get(0).metadata(), "the coordinator relays the bytes unread");

            byte[] assignment = {0, 0, 0, 0, 0, 1, 0, 1, 'x', 0, 0, 0, 1, 0, 0, 0, 0, -1, -1, -1, -1};
            SyncGroupResponseData synced = sync(wire, group, joined, Map.of(joined.memberId(), assignment),
                    Math.min(version, 5));
            assertEquals(Errors.NONE.code(), synced.errorCode());
            assertArrayEquals(assignment, synced.assignment());
            assertEquals(version >= 5 ? List.of("consumer", "range") : java.util.Arrays.asList(null, null),
                    java.util.Arrays.asList(synced.protocolType(), synced.protocolName()), "named from SyncGroup v5");

            HeartbeatResponseData beat = wire.send(new HeartbeatRequestData().setGroupId(group)
                    .setGenerationId(joined.generationId()).setMemberId(joined.memberId()), Math.min(version, 4));
            assertEquals(Errors.NONE.code(), beat.errorCode());

            OffsetCommitResponseData committed = wire.send(commit(group, joined.generationId(), joined.memberId(),
                    group, 7, "checkpoint"), 7);
            assertEquals(Errors.NONE.code(), committed.topics().get(0).partitions().get(0).errorCode());

            LeaveGroupRequestData leave = version >= 3
                    ? new LeaveGroupRequestData().setGroupId(group).setMembers(List.of(
                            new LeaveGroupRequestData.MemberIdentity().setMemberId(joined.memberId())
                                    .setReason("closing")))
                    : new LeaveGroupRequestData().setGroupId(group).setMemberId(joined.memberId());
            LeaveGroupResponseData left = wire.send(leave, Math.min(version, 5));
            assertEquals(Errors.NONE.code(), left.errorCode());
            assertEquals("Empty", describe(wire, group).groupState(), "the group is empty, and keeps its offsets");
            assertEquals(7, fetch(wire, group, group, 9).offset());
        }
    }

    @Test
    void the_leader_hears_every_members_metadata_and_a_follower_waits_for_the_leaders_assignment() throws Exception {
        String group = "pair";
        topic(group, 1);
        try (KafkaWire first = new KafkaWire(broker); KafkaWire second = new KafkaWire(broker)) {
            JoinGroupResponseData leader = leaderAlone(first, group);
            SecondGeneration next = secondJoins(first, second, group, leader);
            JoinGroupResponseData rejoined = next.leader();
            JoinGroupResponseData follower = next.follower();

            assertEquals(2, rejoined.generationId());
            assertEquals(rejoined.generationId(), follower.generationId());
            assertEquals(leader.memberId(), follower.leader());
            assertEquals(2, rejoined.members().size(), "the leader gets every member with its metadata");
            assertEquals(0, follower.members().size(), "a follower gets none");

            CompletableFuture<SyncGroupResponseData> followerSync = CompletableFuture.supplyAsync(
                    () -> sync(second, group, follower, Map.of(), 3));
            Thread.sleep(200);
            assertFalse(followerSync.isDone(), "a follower's sync waits for the leader's");
            sync(first, group, rejoined, Map.of(rejoined.memberId(), new byte[] {7}, follower.memberId(),
                    new byte[] {8}), 3);
            assertArrayEquals(new byte[] {8}, followerSync.get(10, TimeUnit.SECONDS).assignment());

            OffsetCommitResponseData stale = first.send(commit(group, leader.generationId(), leader.memberId(),
                    "pair", 1, null), 7);
            assertEquals(Errors.ILLEGAL_GENERATION.code(), stale.topics().get(0).partitions().get(0).errorCode(),
                    "a commit from the generation before is fenced");
        }
    }

    @Test
    void a_rebalancing_group_is_described_with_no_protocol_or_metadata_and_each_members_last_assignment() throws Exception {
        String group = "midway";
        topic(group, 1);
        try (KafkaWire first = new KafkaWire(broker); KafkaWire second = new KafkaWire(broker)) {
            JoinGroupResponseData leader = leaderAlone(first, group);
            DescribeGroupsResponseData.DescribedGroup stable = describe(first, group);
            assertEquals("range", stable.protocolData());
            assertArrayEquals(new byte[] {1}, stable.members().get(0).memberMetadata());

            SecondGeneration next = secondJoins(first, second, group, leader);
            JoinGroupResponseData rejoined = next.leader();
            JoinGroupResponseData follower = next.follower();

            // as Kafka's describeGroups answers a group that is not Stable
            DescribeGroupsResponseData.DescribedGroup completing = describe(first, group);
            assertEquals("CompletingRebalance", completing.groupState());
            assertEquals("", completing.protocolData(), "no protocol is named until the group is Stable");
            Map<String, byte[]> assignments = new java.util.HashMap<>();
            for (DescribeGroupsResponseData.DescribedGroupMember member : completing.members()) {
                assertEquals(0, member.memberMetadata().length, "no metadata until the group is Stable");
                assignments.put(member.memberId(), member.memberAssignment());
            }
            assertArrayEquals(new byte[] {9}, assignments.get(leader.memberId()),
                    "the leader's assignment is the last generation's until the new one is synced");
            assertArrayEquals(new byte[0], assignments.get(follower.memberId()), "the newcomer never had one");

            CompletableFuture<SyncGroupResponseData> followerSync = CompletableFuture.supplyAsync(
                    () -> sync(second, group, follower, Map.of(), 3));
            sync(first, group, rejoined, Map.of(rejoined.memberId(), new byte[] {7}, follower.memberId(),
                    new byte[] {8}), 3);
            followerSync.get(10, TimeUnit.SECONDS);
            DescribeGroupsResponseData.DescribedGroup again = describe(first, group);
            assertEquals("Stable", again.groupState());
            assertEquals("range", again.protocolData());
        }
    }

    @Test
    void a_static_member_restarts_into_its_old_place_and_every_api_fences_its_old_id() {
        topic("statics", 1);
        byte[] assignment = {0, 1, 2, 3};
        try (KafkaWire wire = new KafkaWire(broker)) {
            JoinGroupResponseData first = wire.send(join("statics", "", new byte[0]).setGroupInstanceId("till-1"), 5);
            assertEquals(Errors.NONE.code(), first.errorCode(), "a static member skips MEMBER_ID_REQUIRED");
            assertEquals("till-1", first.members().get(0).groupInstanceId());
            SyncGroupRequestData firstSync = new SyncGroupRequestData().setGroupId("statics")
                    .setGenerationId(first.generationId()).setMemberId(first.memberId()).setGroupInstanceId("till-1");
            firstSync.assignments().add(new SyncGroupRequestAssignment().setMemberId(first.memberId())
                    .setAssignment(assignment));
            assertEquals(Errors.NONE.code(), wire.<SyncGroupResponseData>send(firstSync, 3).errorCode());

            JoinGroupResponseData restarted = wire.send(join("statics", "", new byte[0]).setGroupInstanceId("till-1"), 5);
            assertEquals(Errors.NONE.code(), restarted.errorCode());
            assertEquals(first.generationId(), restarted.generationId(), "no rebalance");
            assertEquals(first.memberId(), restarted.leader(), "the leader it replaced: before v9 it follows");
            SyncGroupResponseData synced = wire.send(new SyncGroupRequestData().setGroupId("statics")
                    .setGenerationId(restarted.generationId()).setMemberId(restarted.memberId())
                    .setGroupInstanceId("till-1"), 3);
            assertArrayEquals(assignment, synced.assignment(), "the assignment it had before the restart");

            HeartbeatResponseData oldHeartbeat = wire.send(new HeartbeatRequestData().setGroupId("statics")
                    .setGenerationId(first.generationId()).setMemberId(first.memberId()).setGroupInstanceId("till-1"), 3);
            assertEquals(Errors.FENCED_INSTANCE_ID.code(), oldHeartbeat.errorCode());
            OffsetCommitResponseData oldCommit = wire.send(commit("statics", first.generationId(), first.memberId(),
                    "statics", 1, "").setGroupInstanceId("till-1"), 7);
            assertEquals(Errors.FENCED_INSTANCE_ID.code(), oldCommit.topics().get(0).partitions().get(0).errorCode());
            OffsetCommitResponseData newCommit = wire.send(commit("statics", restarted.generationId(),
                    restarted.memberId(), "statics", 1, "").setGroupInstanceId("till-1"), 7);
            assertEquals(Errors.NONE.code(), newCommit.topics().get(0).partitions().get(0).errorCode());

            DescribeGroupsResponseData.DescribedGroupMember member = describeOnce("statics").members().get(0);
            assertEquals("till-1", member.groupInstanceId());
            assertEquals(restarted.memberId(), member.memberId());

            LeaveGroupResponseData left = wire.send(new LeaveGroupRequestData().setGroupId("statics").setMembers(List.of(
                    new LeaveGroupRequestData.MemberIdentity().setGroupInstanceId("till-1"),
                    new LeaveGroupRequestData.MemberIdentity().setGroupInstanceId("till-9"))), 3);
            assertEquals(List.of(Errors.NONE.code(), Errors.UNKNOWN_MEMBER_ID.code()), left.members().stream()
                    .map(LeaveGroupResponseData.MemberResponse::errorCode).toList());
            assertEquals("till-1", left.members().get(0).groupInstanceId());
        }
        assertEquals("Empty", describeOnce("statics").groupState(), "removed by its instance id alone");
    }

    /** KIP-814: from JoinGroup v9 a restarted static leader leads again, told to keep the group's assignment. */
    @ParameterizedTest(name = "JoinGroup v{0}")
    @ValueSource(ints = {8, 9})
    void a_restarted_static_leader_skips_the_assignment_from_v9_and_follows_the_leader_it_replaced_before(int version) {
        String group = "static-leader-v" + version;
        topic(group, 1);
        byte[] metadata = {0, 0, 0, 0, 0, 1, 0, 1, 'x', -1, -1, -1, -1};
        byte[] assignment = {0, 1, 2, 3};
        try (KafkaWire wire = new KafkaWire(broker)) {
            JoinGroupResponseData first = wire.send(join(group, "", metadata).setGroupInstanceId("grill"), version);
            assertFalse(first.skipAssignment(), "a first leader assigns");
            SyncGroupRequestData firstSync = new SyncGroupRequestData().setGroupId(group)
                    .setGenerationId(first.generationId()).setMemberId(first.memberId()).setGroupInstanceId("grill");
            firstSync.assignments().add(new SyncGroupRequestAssignment().setMemberId(first.memberId())
                    .setAssignment(assignment));
            assertEquals(Errors.NONE.code(), wire.<SyncGroupResponseData>send(firstSync, 5).errorCode());

            JoinGroupResponseData restarted = wire.send(join(group, "", metadata).setGroupInstanceId("grill"), version);
            assertEquals(Errors.NONE.code(), restarted.errorCode());
            assertEquals(first.generationId(), restarted.generationId(), "no rebalance");
            if (version >= 9) {
                assertEquals(restarted.memberId(), restarted.leader(), "it leads under its new id");
                assertTrue(restarted.skipAssignment());
                assertEquals(List.of(restarted.memberId()), restarted.members().stream()
                        .map(JoinGroupResponseData.JoinGroupResponseMember::memberId).toList());
                assertArrayEquals(metadata, restarted.members().get(0).metadata());
            } else {
                assertEquals(first.memberId(), restarted.leader(), "the leader it replaced: it follows");
                assertFalse(restarted.skipAssignment(), "v8 has no such field");
                assertEquals(List.of(), restarted.members());
            }
            SyncGroupResponseData synced = wire.send(new SyncGroupRequestData().setGroupId(group)
                    .setGenerationId(restarted.generationId()).setMemberId(restarted.memberId())
                    .setGroupInstanceId("grill"), 5);
            assertArrayEquals(assignment, synced.assignment(), "no assignment sent, the one it had handed back");
        }
    }

    @ParameterizedTest(name = "OffsetCommit v{0}")
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8, 9})
    void a_commit_from_outside_any_generation_keeps_its_epoch_and_metadata_for_every_fetch_version(int version) {
        String group = "tills-v" + version;
        topic(group, 2);
        try (KafkaWire wire = new KafkaWire(broker)) {
            OffsetCommitRequestData request = commit(group, -1, "", group, 42, "till 3, shift 2");
            request.topics().get(0).partitions().get(0).setCommittedLeaderEpoch(0); // sent from v6, left out before
            OffsetCommitResponseData answer = wire.send(request, version);
            assertEquals(Errors.NONE.code(), answer.topics().get(0).partitions().get(0).errorCode());
            for (int fetchVersion = 1; fetchVersion <= 9; fetchVersion++) {
                Fetched fetched = fetch(wire, group, group, fetchVersion);
                assertEquals(42, fetched.offset(), "v" + fetchVersion);
                assertEquals("till 3, shift 2", fetched.metadata(), "v" + fetchVersion);
                assertEquals(version >= 6 && fetchVersion >= 5 ? 0 : -1, fetched.leaderEpoch(),
                        "the epoch committed by v" + version + ", fetched by v" + fetchVersion);
            }
            OffsetFetchResponseData.OffsetFetchResponsePartition none = wire.<OffsetFetchResponseData>send(
                    new OffsetFetchRequestData().setGroupId(group).setTopics(List.of(new OffsetFetchRequestTopic()
                            .setName(group).setPartitionIndexes(List.of(1)))), 5).topics().get(0).partitions().get(0);
            assertEquals(-1, none.committedOffset(), "a partition with no commit is -1");
            assertEquals(-1, none.committedLeaderEpoch());
            assertEquals("", none.metadata());
        }
    }

    @Test
    void each_partition_of_a_commit_is_answered_on_its_own() {
        topic("menu", 1);
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId("cooks")
                .setGenerationIdOrMemberEpoch(-1).setTopics(List.of(
                        new OffsetCommitRequestTopic().setName("menu").setPartitions(List.of(
                                new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(3),
                                new OffsetCommitRequestPartition().setPartitionIndex(4).setCommittedOffset(3),
                                new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(3)
                                        .setCommittedMetadata("x".repeat(4097)))),
                        new OffsetCommitRequestTopic().setName("no-such-topic").setPartitions(List.of(
                                new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1)))));
        try (KafkaWire wire = new KafkaWire(broker)) {
            OffsetCommitResponseData answer = wire.send(request, 7);
            List<OffsetCommitResponseData.OffsetCommitResponsePartition> menu = answer.topics().get(0).partitions();
            assertEquals(Errors.NONE.code(), menu.get(0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), menu.get(1).errorCode(), "menu has one partition");
            assertEquals(Errors.OFFSET_METADATA_TOO_LARGE.code(), menu.get(2).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), answer.topics().get(1).partitions().get(0).errorCode());
            assertEquals(3, fetch(wire, "cooks", "menu", 9).offset(), "the good partition was committed");

            OffsetCommitResponseData empty = wire.send(new OffsetCommitRequestData().setGroupId("nobody")
                    .setGenerationIdOrMemberEpoch(-1), 7);
            assertTrue(empty.topics().isEmpty(), "an empty commit is answered at once, with nothing");
        }
    }

    /**
     * Kafka 4.1's broker would store the negative offset and give it back; this one refuses it, because a stored
     * one would make the replay of __consumer_offsets refuse to start the broker (Api08OffsetCommit says why).
     */
    @Test
    void a_negative_offset_is_refused_and_its_partition_keeps_the_offset_it_had() {
        topic("specials", 2);
        try (KafkaWire wire = new KafkaWire(broker)) {
            OffsetCommitResponseData first = wire.send(commit("chefs", -1, "", "specials", 7, ""), 7);
            assertEquals(Errors.NONE.code(), first.topics().get(0).partitions().get(0).errorCode());
            OffsetCommitResponseData answer = wire.send(commitFromOutside("chefs", "specials", -1, 3), 7);
            List<OffsetCommitResponseData.OffsetCommitResponsePartition> specials = answer.topics().get(0).partitions();
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), specials.get(0).errorCode(), "a negative offset");
            assertEquals(Errors.NONE.code(), specials.get(1).errorCode(), "the other partition of the same commit");

            OffsetFetchResponseData fetched = wire.send(new OffsetFetchRequestData().setGroupId("chefs").setTopics(
                    List.of(new OffsetFetchRequestTopic().setName("specials").setPartitionIndexes(List.of(0, 1)))), 5);
            List<OffsetFetchResponseData.OffsetFetchResponsePartition> committed = fetched.topics().get(0).partitions();
            assertEquals(7, committed.get(0).committedOffset(), "the refused partition keeps its commit");
            assertEquals(3, committed.get(1).committedOffset());
        }
        assertThrows(IllegalArgumentException.class, () -> new OffsetAndMetadata(-1),
                "Kafka's Java client refuses a negative offset before any request is made");
    }

    @Test
    void list_groups_from_v4_answers_and_filters_by_state_and_from_v5_by_type_without_regard_to_case() {
        topic("croissants", 1);
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(commitFromOutside("laminators", "croissants", 5), 7);

            assertTrue(listed(wire, new ListGroupsRequestData(), 3).containsKey("laminators"));
            ListGroupsResponseData.ListedGroup v5 = listed(wire, new ListGroupsRequestData(), 5).get("laminators");
            assertEquals(List.of("laminators", "", "Empty", "classic"),
                    List.of(v5.groupId(), v5.protocolType(), v5.groupState(), v5.groupType()), v5.toString());

            for (List<String> states : List.of(List.of("Empty"), List.of("empty", "Stable"))) {
                assertTrue(listed(wire, new ListGroupsRequestData().setStatesFilter(states), 4).containsKey("laminators"),
                        "states " + states);
            }
            for (List<String> states : List.of(List.of("Stable"), List.of("Sleeping"))) {
                assertFalse(listed(wire, new ListGroupsRequestData().setStatesFilter(states), 4).containsKey("laminators"),
                        "states " + states + ": the group is not in it");
            }
            assertTrue(listed(wire, new ListGroupsRequestData().setTypesFilter(List.of("Classic")), 5)
                    .containsKey("laminators"));
            assertEquals(Map.of(), listed(wire, new ListGroupsRequestData().setTypesFilter(List.of("consumer")), 5),
                    "no group here is of KIP-848's type");
        }
    }

    private static Map<String, ListGroupsResponseData.ListedGroup> listed(KafkaWire wire, ListGroupsRequestData request,
                                                                        int version) {
        ListGroupsResponseData answer = wire.send(request, version);
        assertEquals(Errors.NONE.code(), answer.errorCode());
        Map<String, ListGroupsResponseData.ListedGroup> byId = new TreeMap<>();
        answer.groups().forEach(group -> byId.put(group.groupId(), group));
        return byId;
    }

    @Test
    void groups_are_listed_described_and_deleted_and_offsets_deleted_one_partition_at_a_time() {
        topic("pastry", 2);
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(commitFromOutside("bakers", "pastry", 5, 6), 7);

            ListGroupsResponseData listed = wire.send(new ListGroupsRequestData(), 2);
            assertTrue(listed.groups().stream().anyMatch(g -> g.groupId().equals("bakers")), listed.toString());
            DescribeGroupsResponseData.DescribedGroup described = describe(wire, "bakers");
            assertEquals("Empty", described.groupState());
            int groupOperations = 0;
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS)) {
                groupOperations |= 1 << operation.code();
            }
            assertEquals(groupOperations, wire.<DescribeGroupsResponseData>send(new DescribeGroupsRequestData()
                    .setGroups(List.of("bakers")).setIncludeAuthorizedOperations(true), 4).groups().get(0)
                    .authorizedOperations(), "every operation Kafka 4.4 supports on a group, group configs' included,"
                    + " as it answers with no authorizer");

            OffsetDeleteRequestData deleteOne = new OffsetDeleteRequestData().setGroupId("bakers");
            deleteOne.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("pastry")
                    .setPartitions(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
            OffsetDeleteResponseData deleted = wire.send(deleteOne, 0);
            assertEquals(Errors.NONE.code(), deleted.errorCode());
            assertEquals(-1, fetch(wire, "bakers", "pastry", 8).offset(), "partition 0's offset is gone");
            OffsetFetchResponseData all = wire.send(new OffsetFetchRequestData().setGroupId("bakers").setTopics(null), 5);
            assertEquals(List.of(1), all.topics().get(0).partitions().stream()
                    .map(OffsetFetchResponseData.OffsetFetchResponsePartition::partitionIndex).toList(),
                    "partition 1's is kept, and a fetch of every partition finds it");

            DeleteGroupsResponseData gone = wire.send(new DeleteGroupsRequestData().setGroupsNames(
                    List.of("bakers", "never-was")), 1);
            assertEquals(Errors.NONE.code(), gone.results().find("bakers").errorCode());
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), gone.results().find("never-was").errorCode());
            assertEquals("Dead", describe(wire, "bakers").groupState());
        }
    }

    @Test
    void a_group_with_members_is_not_deleted() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            joinNew(wire, "busy", 5, new byte[0]);
            DeleteGroupsResponseData answer = wire.send(new DeleteGroupsRequestData().setGroupsNames(List.of("busy")), 1);
            assertEquals(Errors.NON_EMPTY_GROUP.code(), answer.results().find("busy").errorCode());
        }
    }

    @Test
    void describe_groups_v5_is_flexible_and_v6_names_a_group_it_does_not_know() throws Exception {
        topic("sauces", 1);
        try (KafkaWire wire = new KafkaWire(broker)) {
            JoinGroupResponseData joined = wire.send(join("sauces", "", new byte[] {1, 2})
                    .setGroupInstanceId("saucier"), 5);
            DescribeGroupsRequestData both = new DescribeGroupsRequestData().setGroups(List.of("sauces", "nobody"))
                    .setIncludeAuthorizedOperations(true);
            DescribeGroupsResponseData answer = wire.send(both, 5);
            DescribeGroupsResponseData.DescribedGroup known = answer.groups().get(0);
            assertEquals(Errors.NONE.code(), known.errorCode());
            assertEquals(joined.memberId(), known.members().get(0).memberId());
            assertEquals("saucier", known.members().get(0).groupInstanceId());
            assertEquals("Dead", answer.groups().get(1).groupState());
            assertEquals(Errors.NONE.code(), answer.groups().get(1).errorCode(), "before v6, Dead and no error");

            // v6 (KIP-1043) is newer than these message classes: its request is v5's, its answer read by hand
            ByteBuffer body = org.apache.kafka.common.protocol.MessageUtil.toByteBufferAccessor(
                    new DescribeGroupsRequestData().setGroups(List.of("nobody")), (short) 5).buffer();
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            wire.write(RawClient.frame((short) 15, (short) 6, true, bytes));
            ByteBuffer frame = wire.readFrame();
            frame.getInt(); // correlation id
            frame.get(); // the header's tagged fields: none
            frame.getInt(); // throttle time
            assertEquals(2, frame.get(), "one group (a compact count of 2)");
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), frame.getShort());
            byte[] message = new byte[frame.get() - 1];
            frame.get(message);
            assertEquals("Group nobody not found.", new String(message, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The group's first member, which leads it alone with metadata {1} and the assignment {9}. */
    private JoinGroupResponseData leaderAlone(KafkaWire wire, String group) {
        JoinGroupResponseData leader = joinNew(wire, group, 5, new byte[] {1});
        sync(wire, group, leader, Map.of(leader.memberId(), new byte[] {9}), 3);
        return leader;
    }

    /** The two members' joins into the group's second generation: the leader's answer, and the newcomer's. */
    private record SecondGeneration(JoinGroupResponseData leader, JoinGroupResponseData follower) {
    }

    /**
     * A second member joins a group its leader holds alone: its join starts a rebalance, the leader learns of it from
     * its heartbeat (REBALANCE_IN_PROGRESS) and joins again, and both are answered into the next generation.
     */
    private SecondGeneration secondJoins(KafkaWire first, KafkaWire second, String group, JoinGroupResponseData leader)
            throws Exception {
        CompletableFuture<JoinGroupResponseData> secondJoin = CompletableFuture.supplyAsync(
                () -> joinNew(second, group, 5, new byte[] {2}));
        HeartbeatResponseData beat;
        do {
            beat = first.send(new HeartbeatRequestData().setGroupId(group).setGenerationId(leader.generationId())
                    .setMemberId(leader.memberId()), 3);
        } while (beat.errorCode() == Errors.NONE.code());
        assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), beat.errorCode());
        JoinGroupResponseData rejoined = first.send(join(group, leader.memberId(), new byte[] {1}), 5);
        return new SecondGeneration(rejoined, secondJoin.get(10, TimeUnit.SECONDS));
    }

    private DescribeGroupsResponseData.DescribedGroup describeOnce(String group) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            return describe(wire, group);
        }
    }

    private static DescribeGroupsResponseData.DescribedGroup describe(KafkaWire wire, String group) {
        DescribeGroupsResponseData answer = wire.send(new DescribeGroupsRequestData().setGroups(List.of(group)), 4);
        return answer.groups().get(0);
    }

    /** Partition 0's committed offset, leader epoch and metadata, as OffsetFetch answers them. */
    private record Fetched(long offset, int leaderEpoch, String metadata) {
    }

    /** Partition 0 of the topic, asked for alone: from v8 in the form that names several groups. */
    private static Fetched fetch(KafkaWire wire, String group, String topic, int version) {
        if (version >= 8) {
            OffsetFetchResponseData answer = wire.send(new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic)
                                    .setPartitionIndexes(List.of(0)))))), version);
            OffsetFetchResponseData.OffsetFetchResponsePartitions partition = answer.groups().get(0).topics().get(0)
                    .partitions().get(0);
            return new Fetched(partition.committedOffset(), partition.committedLeaderEpoch(), partition.metadata());
        }
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId(group).setTopics(List.of(
                new OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(List.of(0))));
        OffsetFetchResponseData.OffsetFetchResponsePartition partition = wire.<OffsetFetchResponseData>send(request,
                version).topics().get(0).partitions().get(0);
        return new Fetched(partition.committedOffset(), partition.committedLeaderEpoch(), partition.metadata());
    }

    @Test
    void offset_fetch_v8_answers_several_groups_each_on_its_own() {
        topic("shelves", 1);
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(commit("morning", -1, "", "shelves", 3, "m"), 9);
            wire.send(commit("evening", -1, "", "shelves", 8, "e"), 8);
            OffsetFetchResponseData answer = wire.send(new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("morning").setTopics(null),
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("evening").setTopics(null),
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(" ").setTopics(null))), 8);
            assertEquals(List.of("morning", "evening", " "), answer.groups().stream()
                    .map(OffsetFetchResponseData.OffsetFetchResponseGroup::groupId).toList());
            assertEquals(3, answer.groups().get(0).topics().get(0).partitions().get(0).committedOffset());
            assertEquals(8, answer.groups().get(1).topics().get(0).partitions().get(0).committedOffset());
            assertEquals(Errors.INVALID_GROUP_ID.code(), answer.groups().get(2).errorCode(), "each group its own error");
        }
    }
}
