package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.broker.coordinators.ConsumerGroupRecordsTest.uuid;
import static toykafka.broker.coordinators.KafkaValues.readValue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.CoordinatorRecordType;
import org.apache.kafka.coordinator.group.generated.ShareGroupCurrentMemberAssignmentKey;
import org.apache.kafka.coordinator.group.generated.ShareGroupCurrentMemberAssignmentValue;
import org.apache.kafka.coordinator.group.generated.ShareGroupMemberMetadataKey;
import org.apache.kafka.coordinator.group.generated.ShareGroupMemberMetadataValue;
import org.apache.kafka.coordinator.group.generated.ShareGroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.ShareGroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.ShareGroupTargetAssignmentMemberKey;
import org.apache.kafka.coordinator.group.generated.ShareGroupTargetAssignmentMemberValue;
import org.apache.kafka.coordinator.group.generated.ShareGroupTargetAssignmentMetadataKey;
import org.apache.kafka.coordinator.group.generated.ShareGroupTargetAssignmentMetadataValue;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.share.ShareGroupRecord;
import toykafka.broker.group.share.ShareGroupRecord.Part;
import toykafka.common.TopicId;

/**
 * A share group's parts stored as Apache Kafka 4.4 stores them in {@code __consumer_offsets}: Kafka's generated
 * classes read our keys and values, and we read theirs.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareGroupRecordsTest {

    private static final TopicId ORDERS = new TopicId(0x1234, 0x5678);
    private static final TopicId REFUNDS = new TopicId(-3, 9);

    private static final ShareGroupRecord MEMBER = new ShareGroupRecord.Member("line", "m-1", "rack-a", "picker",
            "/127.0.0.1", List.of("orders", "refunds"));
    private static final ShareGroupRecord GROUP_EPOCH = new ShareGroupRecord.Epoch(Part.GROUP_EPOCH, "line", 12);
    private static final ShareGroupRecord ASSIGNMENT_EPOCH = new ShareGroupRecord.Epoch(Part.ASSIGNMENT_EPOCH, "line",
            11);
    private static final ShareGroupRecord TARGET = ShareGroupRecord.Assigned.target("line", "m-1",
            Map.of(ORDERS, set(2, 0), REFUNDS, set()));
    private static final ShareGroupRecord CURRENT = new ShareGroupRecord.Assigned(Part.CURRENT, "line", "m-1", 11, 9,
            Map.of(REFUNDS, set(3), ORDERS, set(1)));

    private static SortedSet<Integer> set(Integer... partitions) {
        return new TreeSet<>(List.of(partitions));
    }

    /** Kafka's key: its record type, then the key's struct, as its coordinator serde writes it. */
    private static byte[] kafkaKey(ApiMessage key) {
        return MessageUtil.toCoordinatorTypePrefixedBytes(key);
    }

    @Test
    void kafkas_generated_classes_read_our_keys_as_their_own_record_types() {
        assertEquals(List.of(CoordinatorRecordType.SHARE_GROUP_MEMBER_METADATA,
                        CoordinatorRecordType.SHARE_GROUP_METADATA,
                        CoordinatorRecordType.SHARE_GROUP_TARGET_ASSIGNMENT_METADATA,
                        CoordinatorRecordType.SHARE_GROUP_TARGET_ASSIGNMENT_MEMBER,
                        CoordinatorRecordType.SHARE_GROUP_CURRENT_MEMBER_ASSIGNMENT),
                List.of(MEMBER, GROUP_EPOCH, ASSIGNMENT_EPOCH, TARGET, CURRENT).stream()
                        .map(record -> CoordinatorRecordType.fromId(FlexibleFields.keyType(
                                ShareGroupRecords.key(record)))).toList());
        assertEquals(List.of(kafkaKey(new ShareGroupMemberMetadataKey().setGroupId("line").setMemberId("m-1")),
                        kafkaKey(new ShareGroupMetadataKey().setGroupId("line")),
                        kafkaKey(new ShareGroupTargetAssignmentMetadataKey().setGroupId("line")),
                        kafkaKey(new ShareGroupTargetAssignmentMemberKey().setGroupId("line").setMemberId("m-1")),
                        kafkaKey(new ShareGroupCurrentMemberAssignmentKey().setGroupId("line").setMemberId("m-1")))
                        .stream().map(Arrays::toString).toList(),
                List.of(MEMBER, GROUP_EPOCH, ASSIGNMENT_EPOCH, TARGET, CURRENT).stream()
                        .map(record -> Arrays.toString(ShareGroupRecords.key(record))).toList(),
                "the same bytes as Kafka's keys");
    }

    @Test
    void kafkas_generated_classes_read_our_values() {
        assertEquals(new ShareGroupMemberMetadataValue().setRackId("rack-a").setClientId("picker")
                        .setClientHost("/127.0.0.1").setSubscribedTopicNames(List.of("orders", "refunds")),
                readValue(ShareGroupRecords.value(MEMBER), new ShareGroupMemberMetadataValue()));
        assertEquals(new ShareGroupMetadataValue().setEpoch(12).setMetadataHash(0),
                readValue(ShareGroupRecords.value(GROUP_EPOCH), new ShareGroupMetadataValue()));
        assertEquals(11, readValue(ShareGroupRecords.value(ASSIGNMENT_EPOCH),
                new ShareGroupTargetAssignmentMetadataValue()).assignmentEpoch());
        assertEquals(new ShareGroupTargetAssignmentMemberValue().setTopicPartitions(List.of(
                        new ShareGroupTargetAssignmentMemberValue.TopicPartition().setTopicId(uuid(ORDERS))
                                .setPartitions(List.of(0, 2)))),
                readValue(ShareGroupRecords.value(TARGET), new ShareGroupTargetAssignmentMemberValue()),
                "a topic with no partition is left out");
        ShareGroupCurrentMemberAssignmentValue current = readValue(ShareGroupRecords.value(CURRENT),
                new ShareGroupCurrentMemberAssignmentValue());
        assertEquals(new ShareGroupCurrentMemberAssignmentValue().setMemberEpoch(11).setPreviousMemberEpoch(9)
                .setState((byte) 0).setAssignedPartitions(List.of(
                        new ShareGroupCurrentMemberAssignmentValue.TopicPartitions().setTopicId(uuid(REFUNDS))
                                .setPartitions(List.of(3)),
                        new ShareGroupCurrentMemberAssignmentValue.TopicPartitions().setTopicId(uuid(ORDERS))
                                .setPartitions(List.of(1)))), current, "stable, each topic in id order");
    }

    @Test
    void we_read_what_kafka_writes_and_what_we_write_and_a_tombstone() {
        assertEquals(MEMBER, ShareGroupRecords.decode(kafkaKey(new ShareGroupMemberMetadataKey().setGroupId("line")
                .setMemberId("m-1")), MessageUtil.toVersionPrefixedBytes((short) 0, new ShareGroupMemberMetadataValue()
                .setRackId("rack-a").setClientId("picker").setClientHost("/127.0.0.1")
                .setSubscribedTopicNames(List.of("orders", "refunds")))));
        assertEquals(GROUP_EPOCH, ShareGroupRecords.decode(kafkaKey(new ShareGroupMetadataKey().setGroupId("line")),
                MessageUtil.toVersionPrefixedBytes((short) 0, new ShareGroupMetadataValue().setEpoch(12)
                        .setMetadataHash(-7_654_321L))), "whatever hash Kafka worked out");
        assertEquals(ASSIGNMENT_EPOCH, ShareGroupRecords.decode(kafkaKey(new ShareGroupTargetAssignmentMetadataKey()
                .setGroupId("line")), MessageUtil.toVersionPrefixedBytes((short) 0,
                new ShareGroupTargetAssignmentMetadataValue().setAssignmentEpoch(11)
                        .setAssignmentTimestamp(1_767_225_600_000L))), "the target's time, a tagged field, skipped");
        assertEquals(CURRENT, ShareGroupRecords.decode(kafkaKey(new ShareGroupCurrentMemberAssignmentKey()
                .setGroupId("line").setMemberId("m-1")), MessageUtil.toVersionPrefixedBytes((short) 0,
                new ShareGroupCurrentMemberAssignmentValue().setMemberEpoch(11).setPreviousMemberEpoch(9)
                        .setAssignedPartitions(List.of(new ShareGroupCurrentMemberAssignmentValue.TopicPartitions()
                                .setTopicId(uuid(ORDERS)).setPartitions(List.of(1)),
                                new ShareGroupCurrentMemberAssignmentValue.TopicPartitions()
                                        .setTopicId(uuid(REFUNDS)).setPartitions(List.of(3)))))),
                "topics in Kafka's order");
        for (ShareGroupRecord record : List.of(MEMBER, GROUP_EPOCH, ASSIGNMENT_EPOCH, TARGET, CURRENT)) {
            byte[] key = ShareGroupRecords.key(record);
            assertEquals(record, ShareGroupRecords.decode(key, ShareGroupRecords.value(record)));
            assertEquals(new ShareGroupRecord.Removed(record.part(), "line", record.memberId()),
                    ShareGroupRecords.decode(key, null));
        }
    }

    @Test
    void other_keys_are_not_a_share_groups_and_a_damaged_value_is_refused_naming_what_is_wrong() {
        assertFalse(ShareGroupRecords.isShareGroupKey(ConsumerGroupRecords.key(
                new toykafka.broker.group.consumer.ConsumerGroupRecord.GroupEpoch("line", 1))));
        assertFalse(ShareGroupRecords.isShareGroupKey(GroupMetadataRecords.key("line")));
        assertFalse(ConsumerGroupRecords.isConsumerGroupKey(ShareGroupRecords.key(CURRENT)));
        assertTrue(ShareGroupRecords.isShareGroupKey(ShareGroupRecords.key(CURRENT)));
        byte[] whole = ShareGroupRecords.value(CURRENT);
        byte[] unstable = whole.clone();
        unstable[10] = 1; // the state, after the version and the two epochs
        IllegalArgumentException state = assertThrows(IllegalArgumentException.class,
                () -> ShareGroupRecords.decode(ShareGroupRecords.key(CURRENT), unstable));
        assertTrue(state.getMessage().contains("state is 1"), state.getMessage());
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> ShareGroupRecords.decode(ShareGroupRecords.key(CURRENT), Arrays.copyOf(whole, whole.length - 3)));
        assertTrue(cut.getMessage().contains("ends before"), cut.getMessage());
    }
}
