package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.broker.coordinators.KafkaValues.readValue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataValue;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.consumer.AssignmentEpochs;
import toykafka.broker.group.consumer.ConsumerGroupRecord;
import toykafka.broker.group.consumer.MemberAssignment;
import toykafka.common.TopicId;

/** A KIP-848 group's parts stored as Apache Kafka stores them in {@code __consumer_offsets}, read both ways with Kafka's classes. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerGroupRecordsTest {

    private static final TopicId ORDERS = new TopicId(0x1234, 0x5678);
    private static final TopicId REFUNDS = new TopicId(-3, 9);

    static Uuid uuid(TopicId id) {
        return new Uuid(id.mostSignificantBits(), id.leastSignificantBits());
    }

    @Test
    void kafkas_generated_classes_read_our_keys_and_values() {
        ConsumerGroupRecord.Member member = new ConsumerGroupRecord.Member("kitchen", "m-1", "stove", null, "fryer",
                "/127.0.0.1", List.of("orders", "refunds"), "ord.*", 300_000, "uniform");
        ByteBuffer key = ByteBuffer.wrap(ConsumerGroupRecords.key(member));
        assertEquals(5, key.getShort());
        assertEquals(new ConsumerGroupMemberMetadataKey().setGroupId("kitchen").setMemberId("m-1"),
                new ConsumerGroupMemberMetadataKey(new ByteBufferAccessor(key), (short) 0));
        assertEquals(new ConsumerGroupMemberMetadataValue().setInstanceId("stove").setRackId(null).setClientId("fryer")
                        .setClientHost("/127.0.0.1").setSubscribedTopicNames(List.of("orders", "refunds"))
                        .setSubscribedTopicRegex("ord.*").setRebalanceTimeoutMs(300_000).setServerAssignor("uniform")
                        .setClassicMemberMetadata(null), // a member of the consumer protocol: null, as Kafka writes it
                readValue(ConsumerGroupRecords.value(member), new ConsumerGroupMemberMetadataValue()));

        byte[] metadata = {0, 1, 2, 3};
        ConsumerGroupRecord.Member classic = member.withClassic(10_000, List.of(Map.entry("cooperative-sticky",
                metadata), Map.entry("range", new byte[0])));
        assertEquals(new ConsumerGroupMemberMetadataValue().setInstanceId("stove").setRackId(null).setClientId("fryer")
                        .setClientHost("/127.0.0.1").setSubscribedTopicNames(List.of("orders", "refunds"))
                        .setSubscribedTopicRegex("ord.*").setRebalanceTimeoutMs(300_000).setServerAssignor("uniform")
                        .setClassicMemberMetadata(new ConsumerGroupMemberMetadataValue.ClassicMemberMetadata()
                                .setSessionTimeoutMs(10_000).setSupportedProtocols(List.of(
                                        new ConsumerGroupMemberMetadataValue.ClassicProtocol()
                                                .setName("cooperative-sticky").setMetadata(metadata),
                                        new ConsumerGroupMemberMetadataValue.ClassicProtocol()
                                                .setName("range").setMetadata(new byte[0])))),
                readValue(ConsumerGroupRecords.value(classic), new ConsumerGroupMemberMetadataValue()),
                "a classic member of a consumer group, with its session timeout and protocols");
        ConsumerGroupRecord.Member back = (ConsumerGroupRecord.Member) ConsumerGroupRecords.decode(
                ConsumerGroupRecords.key(classic), ConsumerGroupRecords.value(classic));
        assertEquals(10_000, back.classicSessionTimeoutMs());
        assertEquals(List.of("cooperative-sticky", "range"), back.classicProtocols().stream()
                .map(Map.Entry::getKey).toList());
        assertArrayEquals(metadata, back.classicProtocols().get(0).getValue());
        assertEquals(-1, ((ConsumerGroupRecord.Member) ConsumerGroupRecords.decode(ConsumerGroupRecords.key(member),
                ConsumerGroupRecords.value(member))).classicSessionTimeoutMs(), "and null read back as no classic");

        ConsumerGroupRecord.GroupEpoch epoch = new ConsumerGroupRecord.GroupEpoch("kitchen", 12);
        ByteBuffer groupKey = ByteBuffer.wrap(ConsumerGroupRecords.key(epoch));
        assertEquals(3, groupKey.getShort());
        assertEquals(new ConsumerGroupMetadataKey().setGroupId("kitchen"),
                new ConsumerGroupMetadataKey(new ByteBufferAccessor(groupKey), (short) 0));
        assertEquals(12, readValue(ConsumerGroupRecords.value(epoch), new ConsumerGroupMetadataValue()).epoch());
        assertEquals(11, readValue(ConsumerGroupRecords.value(new ConsumerGroupRecord.AssignmentEpoch("kitchen", 11)),
                new ConsumerGroupTargetAssignmentMetadataValue()).assignmentEpoch());

        ConsumerGroupTargetAssignmentMemberValue target = readValue(ConsumerGroupRecords.value(
                new ConsumerGroupRecord.Target("kitchen", "m-1", Map.of(ORDERS, Set.of(2, 0), REFUNDS, Set.of()))),
                new ConsumerGroupTargetAssignmentMemberValue());
        assertEquals(List.of(new ConsumerGroupTargetAssignmentMemberValue.TopicPartition().setTopicId(uuid(ORDERS))
                .setPartitions(List.of(0, 2))), target.topicPartitions(), "a topic with no partition is left out");

        ConsumerGroupRecord.Current current = new ConsumerGroupRecord.Current("kitchen", "m-1", new MemberAssignment(
                7, 6, MemberAssignment.State.UNREVOKED_PARTITIONS, Map.of(ORDERS, Set.of(1)), Map.of(REFUNDS, Set.of(3))));
        ByteBuffer currentKey = ByteBuffer.wrap(ConsumerGroupRecords.key(current));
        assertEquals(8, currentKey.getShort());
        assertEquals(new ConsumerGroupCurrentMemberAssignmentKey().setGroupId("kitchen").setMemberId("m-1"),
                new ConsumerGroupCurrentMemberAssignmentKey(new ByteBufferAccessor(currentKey), (short) 0));
        assertEquals(new ConsumerGroupCurrentMemberAssignmentValue().setMemberEpoch(7).setPreviousMemberEpoch(6)
                        .setState((byte) 1) // Kafka's UNREVOKED_PARTITIONS
                        .setAssignedPartitions(List.of(new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions()
                                .setTopicId(uuid(ORDERS)).setPartitions(List.of(1)).setAssignmentEpochs(List.of(7))))
                        .setPartitionsPendingRevocation(List.of(new ConsumerGroupCurrentMemberAssignmentValue
                                .TopicPartitions().setTopicId(uuid(REFUNDS)).setPartitions(List.of(3))
                                .setAssignmentEpochs(List.of(7)))),
                readValue(ConsumerGroupRecords.value(current), new ConsumerGroupCurrentMemberAssignmentValue()),
                "each partition's epoch in tagged field 0, AssignmentEpochs (Kafka 4.3 on)");
    }

    /** The per-partition assignment epochs both ways, and a record of Kafka 4.2 and before, which has none. */
    @Test
    void a_current_assignment_keeps_each_partitions_epoch_as_kafka_writes_and_reads_it() {
        MemberAssignment assignment = new MemberAssignment(9, 8, MemberAssignment.State.UNREVOKED_PARTITIONS,
                Map.of(ORDERS, Set.of(0, 2)), Map.of(REFUNDS, Set.of(1)),
                new AssignmentEpochs(Map.of(ORDERS, Map.of(0, 4, 2, 9), REFUNDS, Map.of(1, 6))));
        ConsumerGroupRecord.Current current = new ConsumerGroupRecord.Current("kitchen", "m-1", assignment);
        byte[] key = ConsumerGroupRecords.key(current);
        byte[] ours = ConsumerGroupRecords.value(current);
        assertEquals(List.of(4, 9), readValue(ours, new ConsumerGroupCurrentMemberAssignmentValue())
                .assignedPartitions().get(0).assignmentEpochs(), "Kafka reads each partition's epoch, in order");
        assertEquals(current, ConsumerGroupRecords.decode(key, ours), "and so do we");

        ConsumerGroupCurrentMemberAssignmentValue kafkas = new ConsumerGroupCurrentMemberAssignmentValue()
                .setMemberEpoch(9).setPreviousMemberEpoch(8).setState((byte) 1)
                .setAssignedPartitions(List.of(new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions()
                        .setTopicId(uuid(ORDERS)).setPartitions(List.of(2, 0)).setAssignmentEpochs(List.of(9, 4))))
                .setPartitionsPendingRevocation(List.of(new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions()
                        .setTopicId(uuid(REFUNDS)).setPartitions(List.of(1)).setAssignmentEpochs(List.of(6))));
        assertEquals(current, ConsumerGroupRecords.decode(key, MessageUtil.toVersionPrefixedBytes((short) 0, kafkas)),
                "what Kafka 4.4 writes, partitions in its own order");

        kafkas.assignedPartitions().get(0).setAssignmentEpochs(null);
        kafkas.partitionsPendingRevocation().get(0).setAssignmentEpochs(List.of(6, 6)); // not one per partition
        MemberAssignment older = ((ConsumerGroupRecord.Current) ConsumerGroupRecords.decode(key,
                MessageUtil.toVersionPrefixedBytes((short) 0, kafkas))).assignment();
        assertEquals(new AssignmentEpochs(Map.of(ORDERS, Map.of(0, 9, 2, 9), REFUNDS, Map.of(1, 9))), older.epochs(),
                "none, or not one per partition: every partition at the member's epoch, as Kafka reads it");
    }

    @Test
    void we_read_what_kafka_writes_tagged_fields_and_all_and_a_tombstone() {
        byte[] memberKey = ConsumerGroupRecords.key(new ConsumerGroupRecord.Removed(ConsumerGroupRecord.Part.MEMBER,
                "kitchen", "m-2"));
        byte[] written = MessageUtil.toVersionPrefixedBytes((short) 0, new ConsumerGroupMemberMetadataValue()
                .setClientId("c").setClientHost("/h").setSubscribedTopicNames(List.of("orders"))
                .setRebalanceTimeoutMs(45_000)
                .setClassicMemberMetadata(new ConsumerGroupMemberMetadataValue.ClassicMemberMetadata()
                        .setSessionTimeoutMs(10_000))); // a tagged field Kafka writes for a classic member
        ConsumerGroupRecord.Member read = (ConsumerGroupRecord.Member) ConsumerGroupRecords.decode(memberKey, written);
        assertEquals(new ConsumerGroupRecord.Member("kitchen", "m-2", null, null, "c", "/h", List.of("orders"), null,
                45_000, null).withClassic(10_000, List.of()), read);
        assertEquals(10_000, read.classicSessionTimeoutMs(), "a classic member, as Kafka reads it");

        byte[] groupKey = ConsumerGroupRecords.key(new ConsumerGroupRecord.GroupEpoch("kitchen", 0));
        // Kafka 4.1 adds the group's metadata hash as tagged field 0: one tag, its size, eight bytes
        byte[] hashed = new FlexibleFields.Out().int16(0).int32(4).varint(1).varint(0).varint(8).int64(987654321L)
                .bytes();
        assertEquals(new ConsumerGroupRecord.GroupEpoch("kitchen", 4), ConsumerGroupRecords.decode(groupKey, hashed));
        assertEquals(new ConsumerGroupRecord.Removed(ConsumerGroupRecord.Part.GROUP_EPOCH, "kitchen", null),
                ConsumerGroupRecords.decode(groupKey, null));
    }

    @Test
    void other_keys_are_not_a_consumer_groups_and_a_damaged_value_is_refused_naming_what_is_wrong() {
        assertFalse(ConsumerGroupRecords.isConsumerGroupKey(GroupMetadataRecords.key("kitchen")));
        assertFalse(ConsumerGroupRecords.isConsumerGroupKey(OffsetCommitRecords.key("kitchen",
                new toykafka.common.TopicPartition("orders", 0))));
        ConsumerGroupRecord.Current current = new ConsumerGroupRecord.Current("kitchen", "m-1", new MemberAssignment(
                3, 2, MemberAssignment.State.STABLE, Map.of(ORDERS, Set.of(0, 1)), Map.of()));
        byte[] key = ConsumerGroupRecords.key(current);
        assertTrue(ConsumerGroupRecords.isConsumerGroupKey(key));
        assertEquals(current, ConsumerGroupRecords.decode(key, ConsumerGroupRecords.value(current)));
        byte[] whole = ConsumerGroupRecords.value(current);
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> ConsumerGroupRecords.decode(key, Arrays.copyOf(whole, whole.length - 3)));
        assertTrue(cut.getMessage().contains("ends before"), cut.getMessage());
        byte[] badState = whole.clone();
        badState[10] = 9; // the state, after the version and the two epochs
        IllegalArgumentException state = assertThrows(IllegalArgumentException.class,
                () -> ConsumerGroupRecords.decode(key, badState));
        assertTrue(state.getMessage().contains("state is 9"), state.getMessage());
    }
}
