package toykafka.broker.coordinators;

import java.nio.BufferUnderflowException;
import java.util.List;
import java.util.Map;
import toykafka.broker.share.ShareGroupStateRecord;
import toykafka.broker.share.SharePartitionKey;
import toykafka.broker.share.ShareSnapshot;
import toykafka.broker.share.ShareStateValue;
import toykafka.broker.share.ShareUpdate;
import toykafka.broker.share.partition.PersisterStateBatch;

/**
 * The records of {@code __share_group_state} in the layouts Apache Kafka 4.4's share coordinator writes (its
 * ShareSnapshotKey/Value and ShareUpdateKey/Value). A key is an int16 type, 0 for a snapshot and 1 for an update,
 * then the group id (a classic string), the topic's uuid and the int32 partition. A value is an int16 version (0)
 * and flexible fields:
 * <pre>
 * ShareSnapshot  int32 snapshot epoch, int32 state epoch, int32 leader epoch, int64 start offset,
 *                int64 create timestamp, int64 write timestamp, [batch]
 * ShareUpdate    int32 snapshot epoch, int32 leader epoch, int64 start offset, [batch]
 * batch          int64 first offset, int64 last offset, int8 delivery state, int16 delivery count
 * </pre>
 * Each ends with its tagged fields: the delivery-complete count is tag 0, written only when it is not -1, its
 * default. A tombstone is a snapshot's key with no value.
 */
final class ShareGroupStateRecords {

    private static final short SNAPSHOT = 0;
    private static final short UPDATE = 1;
    private static final short VERSION = 0;
    private static final int DELIVERY_COMPLETE_COUNT_TAG = 0;
    private static final int NO_DELIVERY_COMPLETE_COUNT = -1;

    private ShareGroupStateRecords() {
    }

    static byte[] key(ShareGroupStateRecord record) {
        SharePartitionKey key = record.key();
        short type = record.value() instanceof ShareUpdate ? UPDATE : SNAPSHOT;
        return new FlexibleFields.Out().int16(type).string(key.groupId()).uuid(key.topicId()).int32(key.partition())
                .bytes();
    }

    /** The record's value, or null for a tombstone. */
    static byte[] value(ShareGroupStateRecord record) {
        ShareStateValue value = record.value();
        if (value == null) {
            return null;
        }
        FlexibleFields.Out out = new FlexibleFields.Out().int16(VERSION).int32(value.snapshotEpoch());
        if (value instanceof ShareSnapshot snapshot) {
            out.int32(snapshot.stateEpoch()).int32(snapshot.leaderEpoch()).int64(snapshot.startOffset())
                    .int64(snapshot.createTimestamp()).int64(snapshot.writeTimestamp());
        } else {
            out.int32(value.leaderEpoch()).int64(value.startOffset());
        }
        out.compactArray(value.stateBatches(), batch -> out.int64(batch.firstOffset()).int64(batch.lastOffset())
                .int8(batch.deliveryState()).int16(batch.deliveryCount()).noTaggedFields());
        if (value.deliveryCompleteCount() == NO_DELIVERY_COMPLETE_COUNT) {
            return out.noTaggedFields().bytes();
        }
        FlexibleFields.Out count = new FlexibleFields.Out().int32(value.deliveryCompleteCount());
        return out.varint(1).taggedField(DELIVERY_COMPLETE_COUNT_TAG, count).bytes();
    }

    /** Whether a record's key is one of {@code __share_group_state}'s. */
    static boolean isShareGroupStateKey(byte[] key) {
        return key != null && key.length >= 2 && (key[0] == 0 && (key[1] == SNAPSHOT || key[1] == UPDATE));
    }

    /**
     * Reads a record this layout wrote (or Kafka did); a null value is a tombstone.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static ShareGroupStateRecord decode(byte[] key, byte[] value) {
        try {
            FlexibleFields.In in = new FlexibleFields.In(key);
            short type = in.int16();
            if (type != SNAPSHOT && type != UPDATE) {
                throw new IllegalArgumentException("a share group state key has type " + type
                        + ", not 0 (ShareSnapshot) or 1 (ShareUpdate)");
            }
            SharePartitionKey partition = new SharePartitionKey(in.string("the group id"), in.uuid(), in.int32());
            if (value == null) {
                if (type == UPDATE) {
                    throw new IllegalArgumentException("a ShareUpdate record has no value; only a ShareSnapshot key"
                            + " may be a tombstone");
                }
                return ShareGroupStateRecord.tombstone(partition);
            }
            FlexibleFields.In fields = new FlexibleFields.In(value);
            short version = fields.int16();
            if (version != VERSION) {
                throw new IllegalArgumentException("a share group state value is of version " + version + ", not 0");
            }
            return new ShareGroupStateRecord(partition, type == SNAPSHOT ? snapshot(fields) : update(fields));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a share group state record ends before its last field");
        }
    }

    private static ShareSnapshot snapshot(FlexibleFields.In in) {
        int snapshotEpoch = in.int32();
        int stateEpoch = in.int32();
        int leaderEpoch = in.int32();
        long startOffset = in.int64();
        long createTimestamp = in.int64();
        long writeTimestamp = in.int64();
        List<PersisterStateBatch> batches = batches(in);
        return new ShareSnapshot(snapshotEpoch, stateEpoch, leaderEpoch, startOffset, deliveryCompleteCount(in),
                createTimestamp, writeTimestamp, batches);
    }

    private static ShareUpdate update(FlexibleFields.In in) {
        int snapshotEpoch = in.int32();
        int leaderEpoch = in.int32();
        long startOffset = in.int64();
        List<PersisterStateBatch> batches = batches(in);
        return new ShareUpdate(snapshotEpoch, leaderEpoch, startOffset, deliveryCompleteCount(in), batches);
    }

    private static List<PersisterStateBatch> batches(FlexibleFields.In in) {
        return in.compactArray("the state batches", each -> {
            PersisterStateBatch batch = new PersisterStateBatch(each.int64(), each.int64(), each.int8(), each.int16());
            each.taggedFields();
            return batch;
        });
    }

    /** The value's tagged fields, of which only the delivery-complete count is known; -1 when absent. */
    private static int deliveryCompleteCount(FlexibleFields.In in) {
        Map<Integer, byte[]> tagged = in.taggedFieldsByTag();
        byte[] count = tagged.get(DELIVERY_COMPLETE_COUNT_TAG);
        if (count == null) {
            return NO_DELIVERY_COMPLETE_COUNT;
        }
        if (count.length != 4) {
            throw new IllegalArgumentException("the delivery-complete count has " + count.length + " bytes, not 4");
        }
        return new FlexibleFields.In(count).int32();
    }
}
