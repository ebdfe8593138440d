package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.share.generated.ShareSnapshotKey;
import org.apache.kafka.coordinator.share.generated.ShareSnapshotValue;
import org.apache.kafka.coordinator.share.generated.ShareUpdateKey;
import org.apache.kafka.coordinator.share.generated.ShareUpdateValue;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.share.ShareGroupStateRecord;
import toykafka.broker.share.SharePartitionKey;
import toykafka.broker.share.ShareSnapshot;
import toykafka.broker.share.ShareUpdate;
import toykafka.broker.share.partition.PersisterStateBatch;
import toykafka.broker.share.partition.RecordState;
import toykafka.common.TopicId;

/** A share partition's state stored as Apache Kafka's share coordinator stores it in {@code __share_group_state}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareGroupStateRecordsTest {

    private static final TopicId ORDERS = new TopicId(0x1234, -0x5678);
    private static final SharePartitionKey KEY = new SharePartitionKey("pickers", ORDERS, 3);
    private static final List<PersisterStateBatch> BATCHES = List.of(
            new PersisterStateBatch(100, 104, RecordState.ACKNOWLEDGED, 1),
            new PersisterStateBatch(105, 105, RecordState.AVAILABLE, 2),
            new PersisterStateBatch(106, 110, RecordState.ARCHIVED, 5));
    private static final ShareSnapshot SNAPSHOT = new ShareSnapshot(7, 2, 4, 100, 10, 1_700_000_000_000L,
            1_700_000_123_456L, BATCHES);
    private static final ShareUpdate UPDATE = new ShareUpdate(7, 4, 102, 8, BATCHES.subList(1, 3));

    private static Uuid uuid(TopicId id) {
        return new Uuid(id.mostSignificantBits(), id.leastSignificantBits());
    }

    private static <T extends ApiMessage> T read(byte[] bytes, short expectedVersion, T into) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertEquals(expectedVersion, buffer.getShort(), "the record's key type or value version");
        into.read(new ByteBufferAccessor(buffer), (short) 0);
        assertEquals(0, buffer.remaining(), "nothing left over");
        return into;
    }

    /** A key or value as Kafka serializes a coordinator record: its type or version, then the message. */
    private static byte[] kafkaBytes(short prefix, ApiMessage message) {
        return MessageUtil.toVersionPrefixedBytes(prefix, message);
    }

    private static List<ShareSnapshotValue.StateBatch> snapshotBatches(List<PersisterStateBatch> batches) {
        return batches.stream().map(batch -> new ShareSnapshotValue.StateBatch().setFirstOffset(batch.firstOffset())
                .setLastOffset(batch.lastOffset()).setDeliveryState(batch.deliveryState())
                .setDeliveryCount(batch.deliveryCount())).toList();
    }

    private static List<ShareUpdateValue.StateBatch> updateBatches(List<PersisterStateBatch> batches) {
        return batches.stream().map(batch -> new ShareUpdateValue.StateBatch().setFirstOffset(batch.firstOffset())
                .setLastOffset(batch.lastOffset()).setDeliveryState(batch.deliveryState())
                .setDeliveryCount(batch.deliveryCount())).toList();
    }

    private static ShareSnapshotValue kafkaSnapshot(ShareSnapshot snapshot) {
        return new ShareSnapshotValue().setSnapshotEpoch(snapshot.snapshotEpoch()).setStateEpoch(snapshot.stateEpoch())
                .setLeaderEpoch(snapshot.leaderEpoch()).setStartOffset(snapshot.startOffset())
                .setDeliveryCompleteCount(snapshot.deliveryCompleteCount())
                .setCreateTimestamp(snapshot.createTimestamp()).setWriteTimestamp(snapshot.writeTimestamp())
                .setStateBatches(snapshotBatches(snapshot.stateBatches()));
    }

    private static ShareUpdateValue kafkaUpdate(ShareUpdate update) {
        return new ShareUpdateValue().setSnapshotEpoch(update.snapshotEpoch()).setLeaderEpoch(update.leaderEpoch())
                .setStartOffset(update.startOffset()).setDeliveryCompleteCount(update.deliveryCompleteCount())
                .setStateBatches(updateBatches(update.stateBatches()));
    }

    @Test
    void kafkas_generated_classes_read_our_snapshot() {
        ShareGroupStateRecord record = new ShareGroupStateRecord(KEY, SNAPSHOT);
        assertEquals(new ShareSnapshotKey().setGroupId("pickers").setTopicId(uuid(ORDERS)).setPartition(3),
                read(ShareGroupStateRecords.key(record), (short) 0, new ShareSnapshotKey()));
        assertEquals(kafkaSnapshot(SNAPSHOT), read(ShareGroupStateRecords.value(record), (short) 0,
                new ShareSnapshotValue()));
    }

    @Test
    void kafkas_generated_classes_read_our_update() {
        ShareGroupStateRecord record = new ShareGroupStateRecord(KEY, UPDATE);
        assertEquals(new ShareUpdateKey().setGroupId("pickers").setTopicId(uuid(ORDERS)).setPartition(3),
                read(ShareGroupStateRecords.key(record), (short) 1, new ShareUpdateKey()));
        assertEquals(kafkaUpdate(UPDATE), read(ShareGroupStateRecords.value(record), (short) 0,
                new ShareUpdateValue()));
    }

    @Test
    void our_bytes_are_kafkas_bytes_with_and_without_the_tagged_delivery_complete_count() {
        ShareSnapshot unknownCount = new ShareSnapshot(0, 0, 0, -1, -1, 5, 5, List.of());
        for (ShareSnapshot snapshot : List.of(SNAPSHOT, unknownCount)) {
            ShareGroupStateRecord record = new ShareGroupStateRecord(KEY, snapshot);
            assertArrayEquals(kafkaBytes((short) 0, kafkaSnapshot(snapshot)), ShareGroupStateRecords.value(record));
            assertArrayEquals(kafkaBytes((short) 0, new ShareSnapshotKey().setGroupId("pickers")
                    .setTopicId(uuid(ORDERS)).setPartition(3)), ShareGroupStateRecords.key(record));
        }
        ShareUpdate noCount = new ShareUpdate(1, -1, -1, -1, BATCHES);
        for (ShareUpdate update : List.of(UPDATE, noCount)) {
            ShareGroupStateRecord record = new ShareGroupStateRecord(KEY, update);
            assertArrayEquals(kafkaBytes((short) 0, kafkaUpdate(update)), ShareGroupStateRecords.value(record));
            assertArrayEquals(kafkaBytes((short) 1, new ShareUpdateKey().setGroupId("pickers")
                    .setTopicId(uuid(ORDERS)).setPartition(3)), ShareGroupStateRecords.key(record));
        }
        assertEquals(kafkaBytes((short) 0, kafkaSnapshot(unknownCount)).length + 6,
                kafkaBytes((short) 0, kafkaSnapshot(unknownCount).setDeliveryCompleteCount(0)).length,
                "the count, when known, is a tagged field of tag, size and int32");
    }

    @Test
    void we_read_kafkas_snapshot_and_update() {
        byte[] snapshotKey = kafkaBytes((short) 0, new ShareSnapshotKey().setGroupId("pickers")
                .setTopicId(uuid(ORDERS)).setPartition(3));
        assertEquals(new ShareGroupStateRecord(KEY, SNAPSHOT), ShareGroupStateRecords.decode(snapshotKey,
                kafkaBytes((short) 0, kafkaSnapshot(SNAPSHOT))));
        byte[] updateKey = kafkaBytes((short) 1, new ShareUpdateKey().setGroupId("pickers")
                .setTopicId(uuid(ORDERS)).setPartition(3));
        assertEquals(new ShareGroupStateRecord(KEY, UPDATE), ShareGroupStateRecords.decode(updateKey,
                kafkaBytes((short) 0, kafkaUpdate(UPDATE))));
        ShareUpdateValue countless = new ShareUpdateValue().setSnapshotEpoch(3).setLeaderEpoch(-1).setStartOffset(-1)
                .setStateBatches(updateBatches(BATCHES));
        assertEquals(new ShareUpdate(3, -1, -1, -1, BATCHES), ShareGroupStateRecords.decode(updateKey,
                kafkaBytes((short) 0, countless)).value(), "an absent count is Kafka's default, -1");
    }

    @Test
    void a_deleted_share_groups_state_is_a_tombstone_on_the_snapshot_key() {
        ShareGroupStateRecord tombstone = ShareGroupStateRecord.tombstone(KEY);
        assertNull(ShareGroupStateRecords.value(tombstone));
        byte[] key = ShareGroupStateRecords.key(tombstone);
        assertEquals(new ShareSnapshotKey().setGroupId("pickers").setTopicId(uuid(ORDERS)).setPartition(3),
                read(key, (short) 0, new ShareSnapshotKey()), "Kafka keys its tombstone as a snapshot");
        ShareGroupStateRecord back = ShareGroupStateRecords.decode(kafkaBytes((short) 0, new ShareSnapshotKey()
                .setGroupId("pickers").setTopicId(uuid(ORDERS)).setPartition(3)), null);
        assertTrue(back.isTombstone());
        assertEquals(KEY, back.key());
    }

    @Test
    void bad_records_are_refused_by_name() {
        byte[] updateKey = ShareGroupStateRecords.key(new ShareGroupStateRecord(KEY, UPDATE));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShareGroupStateRecords.decode(updateKey, null))
                .getMessage().contains("ShareUpdate"));
        byte[] otherType = updateKey.clone();
        otherType[1] = 5;
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ShareGroupStateRecords.decode(otherType, null)).getMessage().contains("type 5"));
        assertFalse(ShareGroupStateRecords.isShareGroupStateKey(otherType));
        assertTrue(ShareGroupStateRecords.isShareGroupStateKey(updateKey));
        byte[] value = ShareGroupStateRecords.value(new ShareGroupStateRecord(KEY, SNAPSHOT));
        byte[] version1 = value.clone();
        version1[1] = 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShareGroupStateRecords.decode(
                ShareGroupStateRecords.key(new ShareGroupStateRecord(KEY, SNAPSHOT)), version1)).getMessage()
                .contains("version 1"));
        byte[] cut = java.util.Arrays.copyOf(value, 20);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShareGroupStateRecords.decode(
                ShareGroupStateRecords.key(new ShareGroupStateRecord(KEY, SNAPSHOT)), cut)).getMessage()
                .contains("ends before"));
    }
}
