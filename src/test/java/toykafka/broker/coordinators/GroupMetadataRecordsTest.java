package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.GroupMetadataValue;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.classic.ClassicGroupSnapshot;

/** A classic group stored as Apache Kafka stores it in {@code __consumer_offsets}, read both ways with Kafka's classes. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupMetadataRecordsTest {

    private static final byte[] SUBSCRIPTION = "orders".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ASSIGNMENT = {0, 1, 2, 3};
    private static final ClassicGroupSnapshot KITCHEN = new ClassicGroupSnapshot("kitchen", "consumer", 7, "range",
            "cook-1", 1_764_158_400_000L, List.of(
                    new ClassicGroupSnapshot.Member("cook-1", null, "fryer", "/127.0.0.1", 300_000, 45_000, SUBSCRIPTION,
                            ASSIGNMENT),
                    new ClassicGroupSnapshot.Member("cook-2", "grill-é", "grill", "/10.0.0.2", 60_000, 10_000,
                            SUBSCRIPTION, new byte[0])));

    @Test
    void kafkas_generated_classes_read_our_key_and_value() {
        ByteBuffer key = ByteBuffer.wrap(GroupMetadataRecords.key("kitchen"));
        assertEquals(2, key.getShort(), "the record type of a group");
        assertEquals(new GroupMetadataKey().setGroup("kitchen"), new GroupMetadataKey(new ByteBufferAccessor(key), (short) 0));
        assertEquals(0, key.remaining());

        ByteBuffer value = ByteBuffer.wrap(GroupMetadataRecords.value(KITCHEN));
        short version = value.getShort();
        assertEquals(3, version, "the value version Kafka 4.1 writes");
        GroupMetadataValue read = new GroupMetadataValue(new ByteBufferAccessor(value), version);
        assertEquals(0, value.remaining(), "nothing left over");
        assertEquals(new GroupMetadataValue().setProtocolType("consumer").setGeneration(7).setProtocol("range")
                .setLeader("cook-1").setCurrentStateTimestamp(1_764_158_400_000L).setMembers(List.of(
                        new GroupMetadataValue.MemberMetadata().setMemberId("cook-1").setClientId("fryer")
                                .setClientHost("/127.0.0.1").setRebalanceTimeout(300_000).setSessionTimeout(45_000)
                                .setSubscription(SUBSCRIPTION).setAssignment(ASSIGNMENT),
                        new GroupMetadataValue.MemberMetadata().setMemberId("cook-2").setGroupInstanceId("grill-é")
                                .setClientId("grill").setClientHost("/10.0.0.2").setRebalanceTimeout(60_000)
                                .setSessionTimeout(10_000).setSubscription(SUBSCRIPTION).setAssignment(new byte[0]))),
                read);
    }

    @Test
    void we_read_what_kafka_writes_in_each_value_version_and_an_empty_group() {
        byte[] key = GroupMetadataRecords.key("kitchen");
        assertTrue(GroupMetadataRecords.isGroupKey(key));
        assertEquals("kitchen", GroupMetadataRecords.group(key));
        for (short version = 0; version <= 3; version++) {
            GroupMetadataValue value = new GroupMetadataValue().setProtocolType("consumer").setGeneration(4)
                    .setProtocol("range").setLeader("cook-1").setCurrentStateTimestamp(99).setMembers(List.of(
                            new GroupMetadataValue.MemberMetadata().setMemberId("cook-1").setGroupInstanceId("fixed")
                                    .setClientId("fryer").setClientHost("/h").setRebalanceTimeout(500)
                                    .setSessionTimeout(400).setSubscription(SUBSCRIPTION).setAssignment(ASSIGNMENT)));
            ClassicGroupSnapshot read = GroupMetadataRecords.decode("kitchen",
                    MessageUtil.toVersionPrefixedBytes(version, value));
            assertEquals(4, read.generation(), "version " + version);
            assertEquals(version >= 2 ? 99 : -1, read.stateTimestampMs(), "version " + version);
            ClassicGroupSnapshot.Member member = read.members().get(0);
            assertEquals(version >= 3 ? "fixed" : null, member.groupInstanceId(), "version " + version);
            assertEquals(version >= 1 ? 500 : 400, member.rebalanceTimeoutMs(),
                    "version " + version + ": no rebalance timeout before version 1 means the session timeout");
            assertArrayEquals(ASSIGNMENT, member.assignment());
        }
        GroupMetadataValue empty = new GroupMetadataValue().setProtocolType("consumer").setGeneration(8)
                .setProtocol(null).setLeader(null).setMembers(List.of());
        ClassicGroupSnapshot read = GroupMetadataRecords.decode("kitchen", MessageUtil.toVersionPrefixedBytes((short) 3, empty));
        assertNull(read.protocolName());
        assertNull(read.leaderId());
        assertEquals(List.of(), read.members());
    }

    @Test
    void an_offset_commits_key_is_not_a_groups_and_a_damaged_value_is_refused_naming_what_is_wrong() {
        assertFalse(GroupMetadataRecords.isGroupKey(OffsetCommitRecords.key("kitchen",
                new toykafka.common.TopicPartition("orders", 0))));
        byte[] whole = GroupMetadataRecords.value(KITCHEN);
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> GroupMetadataRecords.decode("kitchen", Arrays.copyOf(whole, whole.length - 3)));
        assertTrue(cut.getMessage().contains("length") || cut.getMessage().contains("ends"), cut.getMessage());
        byte[] future = whole.clone();
        future[1] = 9;
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> GroupMetadataRecords.decode("kitchen", future));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());
    }
}
