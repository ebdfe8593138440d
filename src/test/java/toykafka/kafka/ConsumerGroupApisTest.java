package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.BrokerTopics.idOf;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka 4's consumer group APIs (KIP-848), written and read by Kafka's own message classes: ConsumerGroupHeartbeat
 * from a join to a leave, ConsumerGroupDescribe, and the member epoch that OffsetCommit v9 and OffsetFetch v9 carry.
 * One broker; a group a test.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerGroupApisTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    private static Uuid topic(String name, int partitions) {
        broker.broker().createTopic(name, partitions, Map.of(), OnDuplicate.FAIL);
        return idOf(broker, name);
    }

    private static ConsumerGroupHeartbeatRequestData join(String group, String member, String topic) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of(topic)).setTopicPartitions(List.of());
    }

    private static ConsumerGroupHeartbeatRequestData beat(String group, String member, int epoch) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(epoch);
    }

    @Test
    void a_member_joins_is_given_every_partition_heartbeats_and_leaves_and_a_wrong_epoch_is_fenced() {
        Uuid id = topic("soups", 3);
        try (KafkaWire wire = new KafkaWire(broker)) {
            ConsumerGroupHeartbeatResponseData joined = wire.send(join("soup-cooks", "anna-1", "soups"), 0);
            assertEquals(Errors.NONE.code(), joined.errorCode(), String.valueOf(joined.errorMessage()));
            assertEquals("anna-1", joined.memberId(), "the member's own id, kept");
            assertEquals(2, joined.memberEpoch());
            assertEquals(5_000, joined.heartbeatIntervalMs(), "group.consumer.heartbeat.interval.ms, Kafka's 5 s");
            assertEquals(1, joined.assignment().topicPartitions().size());
            assertEquals(id, joined.assignment().topicPartitions().get(0).topicId(), "partitions by topic id");
            assertEquals(List.of(0, 1, 2), joined.assignment().topicPartitions().get(0).partitions());

            ConsumerGroupHeartbeatResponseData same = wire.send(beat("soup-cooks", "anna-1", 2), 0);
            assertEquals(2, same.memberEpoch());
            assertNull(same.assignment(), "nothing changed, so no assignment is sent");

            ConsumerGroupHeartbeatResponseData fenced = wire.send(beat("soup-cooks", "anna-1", 7), 0);
            assertEquals(Errors.FENCED_MEMBER_EPOCH.code(), fenced.errorCode());
            assertTrue(fenced.errorMessage().contains("greater member epoch (7)"), fenced.errorMessage());

            ConsumerGroupHeartbeatResponseData left = wire.send(beat("soup-cooks", "anna-1", -1), 0);
            assertEquals(Errors.NONE.code(), left.errorCode());
            assertEquals(-1, left.memberEpoch());
            ConsumerGroupHeartbeatResponseData gone = wire.send(beat("soup-cooks", "anna-1", 2), 0);
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), gone.errorCode());
        }
    }

    @Test
    void a_bad_first_heartbeat_is_refused_with_kafkas_reason_and_leaves_no_group() {
        topic("stews", 1);
        try (KafkaWire wire = new KafkaWire(broker)) {
            ConsumerGroupHeartbeatResponseData noTimeout = wire.send(join("stew-cooks", "ben-1", "stews")
                    .setRebalanceTimeoutMs(-1), 0);
            assertEquals(Errors.INVALID_REQUEST.code(), noTimeout.errorCode());
            assertEquals("RebalanceTimeoutMs must be provided in first request.", noTimeout.errorMessage());
            ConsumerGroupHeartbeatResponseData assignor = wire.send(join("stew-cooks", "ben-1", "stews")
                    .setServerAssignor("sticky"), 0);
            assertEquals(Errors.UNSUPPORTED_ASSIGNOR.code(), assignor.errorCode());
            assertEquals("ServerAssignor sticky is not supported. Supported assignors: uniform, range.",
                    assignor.errorMessage());
            ListGroupsResponseData listed = wire.send(new ListGroupsRequestData(), 5);
            assertTrue(listed.groups().stream().noneMatch(group -> group.groupId().equals("stew-cooks")),
                    "a refused join made no group: " + listed);
        }
    }

    @Test
    void describe_shows_epochs_the_assignor_and_each_members_partitions_now_and_in_its_target() {
        Uuid id = topic("salads", 4);
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(join("salad-cooks", "cleo-1", "salads"), 0);
            wire.send(join("salad-cooks", "dan-1", "salads").setServerAssignor("range"), 0);

            ConsumerGroupDescribeResponseData answer = wire.send(new ConsumerGroupDescribeRequestData()
                    .setGroupIds(List.of("salad-cooks", "nobody")), 0);
            ConsumerGroupDescribeResponseData.DescribedGroup group = answer.groups().get(0);
            assertEquals(Errors.NONE.code(), group.errorCode());
            assertEquals("Reconciling", group.groupState(), "dan waits for cleo to give up half");
            assertEquals(3, group.groupEpoch());
            assertEquals(3, group.assignmentEpoch());
            assertEquals("range", group.assignorName(), "the one member that asked chose it");
            ConsumerGroupDescribeResponseData.Member dan = group.members().stream()
                    .filter(member -> member.memberId().equals("dan-1")).findFirst().orElseThrow();
            assertEquals(List.of("salads"), dan.subscribedTopicNames());
            assertEquals(List.of(), dan.assignment().topicPartitions(), "nothing yet");
            assertEquals(id, dan.targetAssignment().topicPartitions().get(0).topicId());
            assertEquals("salads", dan.targetAssignment().topicPartitions().get(0).topicName());
            assertEquals(List.of(2, 3), dan.targetAssignment().topicPartitions().get(0).partitions(),
                    "range gives the second member the second half");

            ConsumerGroupDescribeResponseData.DescribedGroup nobody = answer.groups().get(1);
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), nobody.errorCode());
            assertEquals("Group nobody not found.", nobody.errorMessage());
        }
    }

    @Test
    void a_member_commits_and_fetches_at_its_epoch_with_version_9_and_an_older_version_is_refused() {
        topic("breads", 1);
        try (KafkaWire wire = new KafkaWire(broker)) {
            ConsumerGroupHeartbeatResponseData joined = wire.send(join("bakers", "eve-1", "breads"), 0);
            OffsetCommitResponseData v9 = wire.send(commit("eve-1", joined.memberEpoch(), 12), 9);
            assertEquals(Errors.NONE.code(), v9.topics().get(0).partitions().get(0).errorCode());
            OffsetCommitResponseData stale = wire.send(commit("eve-1", joined.memberEpoch() + 1, 13), 9);
            assertEquals(Errors.STALE_MEMBER_EPOCH.code(), stale.topics().get(0).partitions().get(0).errorCode());
            OffsetCommitResponseData v8 = wire.send(commit("eve-1", joined.memberEpoch(), 13), 8);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), v8.topics().get(0).partitions().get(0).errorCode(),
                    "a member of a consumer group must commit with v9, which knows member epochs");

            OffsetFetchResponseData mine = wire.send(fetch("eve-1", joined.memberEpoch()), 9);
            assertEquals(Errors.NONE.code(), mine.groups().get(0).errorCode());
            assertEquals(12, mine.groups().get(0).topics().get(0).partitions().get(0).committedOffset());
            OffsetFetchResponseData old = wire.send(fetch("eve-1", joined.memberEpoch() - 1), 9);
            assertEquals(Errors.STALE_MEMBER_EPOCH.code(), old.groups().get(0).errorCode());
            assertEquals(List.of(), old.groups().get(0).topics(), "a group refused as a whole has no topics");
            OffsetFetchResponseData tool = wire.send(fetch(null, -1), 9);
            assertEquals(12, tool.groups().get(0).topics().get(0).partitions().get(0).committedOffset(),
                    "anyone who does not say who they are may read them");
        }
    }

    /**
     * kafka-clients and librdkafka under group.protocol=consumer send their own member id with epoch -1 when the
     * consumer only assigns itself partitions; Kafka takes it as a commit from outside any group.
     */
    @Test
    void a_consumer_that_only_assigns_commits_under_its_own_member_id_at_epoch_minus_1() {
        topic("rolls", 1);
        try (KafkaWire wire = new KafkaWire(broker)) {
            OffsetCommitResponseData alone = wire.send(commit("assign-only", "rolls", "assigned-alone", -1, 7), 9);
            assertEquals(Errors.NONE.code(), alone.topics().get(0).partitions().get(0).errorCode());
            OffsetCommitResponseData member = wire.send(commit("assign-only", "rolls", "assigned-alone", 4, 8), 9);
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), member.topics().get(0).partitions().get(0).errorCode(),
                    "at an epoch, it claims a membership the group (with no members) does not have");
            OffsetCommitResponseData missing = wire.send(commit("nobody-joined", "rolls", "m", 4, 8), 9);
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), missing.topics().get(0).partitions().get(0).errorCode());
        }
        assertEquals(Map.of(new TopicPartition("rolls", 0), 7L),
                broker.broker().groupCoordinator().fetchOffsets("assign-only", null).offsets());
    }

    /**
     * TxnOffsetCommit at a member epoch the member may not commit at: Kafka 4.4 passes STALE_MEMBER_EPOCH through from
     * v6, and answers ILLEGAL_GENERATION, the error an older producer knows, up to v5; likewise GROUP_ID_NOT_FOUND
     * from v6 for a group it does not know (OffsetMetadataManager.validateTransactionalOffsetCommit).
     */
    @Test
    void a_transactional_commit_at_a_stale_epoch_is_stale_member_epoch_from_v6_and_illegal_generation_before() {
        Uuid pies = topic("pies", 1);
        try (KafkaWire wire = new KafkaWire(broker)) {
            ConsumerGroupHeartbeatResponseData joined = wire.send(join("pie-bakers", "fay-1", "pies"), 0);
            InitProducerIdResponseData till = wire.send(new InitProducerIdRequestData()
                    .setTransactionalId("pie-till").setTransactionTimeoutMs(60_000), 5);
            assertEquals(Errors.NONE.code(), till.errorCode());
            int stale = joined.memberEpoch() + 1;
            for (int version : new int[] {6, 5}) {
                Errors expected = version == 6 ? Errors.STALE_MEMBER_EPOCH : Errors.ILLEGAL_GENERATION;
                assertEquals(expected.code(), txnCommitError(wire, till, "pie-bakers", stale, pies, version),
                        "v" + version);
                Errors missing = version == 6 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
                assertEquals(missing.code(), txnCommitError(wire, till, "nobody-bakes", stale, pies, version),
                        "v" + version + ", a group nobody joined");
            }
            assertEquals(Errors.NONE.code(), txnCommitError(wire, till, "pie-bakers", joined.memberEpoch(), pies, 6));
        }
    }

    private static short txnCommitError(KafkaWire wire, InitProducerIdResponseData producer, String group, int epoch,
                                        Uuid topicId, int version) {
        TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic = new TxnOffsetCommitRequestData
                .TxnOffsetCommitRequestTopic().setPartitions(List.of(new TxnOffsetCommitRequestData
                .TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(3)));
        TxnOffsetCommitResponseData answer = wire.send(new TxnOffsetCommitRequestData().setTransactionalId("pie-till")
                .setGroupId(group).setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                .setGenerationIdOrMemberEpoch(epoch).setMemberId("fay-1").setTopics(List.of(version >= 6
                        ? topic.setTopicId(topicId) : topic.setName("pies"))), version);
        return answer.topics().get(0).partitions().get(0).errorCode();
    }

    private static OffsetCommitRequestData commit(String member, int epoch, long offset) {
        return commit("bakers", "breads", member, epoch, offset);
    }

    private static OffsetCommitRequestData commit(String group, String topic, String member, int epoch, long offset) {
        return new OffsetCommitRequestData().setGroupId(group).setMemberId(member)
                .setGenerationIdOrMemberEpoch(epoch).setTopics(List.of(new OffsetCommitRequestTopic().setName(topic)
                        .setPartitions(List.of(new OffsetCommitRequestPartition().setPartitionIndex(0)
                                .setCommittedOffset(offset)))));
    }

    private static OffsetFetchRequestData fetch(String member, int epoch) {
        return new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId("bakers").setMemberId(member).setMemberEpoch(epoch).setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("breads")
                                .setPartitionIndexes(List.of(0))))));
    }
}
