package toykafka.broker.coordinators;

import java.nio.BufferUnderflowException;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.group.share.ShareGroupRecord;
import toykafka.broker.group.share.ShareGroupRecord.Part;
import toykafka.broker.group.share.SimpleAssignor;
import toykafka.common.TopicId;

/**
 * A share group's parts as records of {@code __consumer_offsets}, in the layouts Apache Kafka 4.4 writes, so that
 * either broker reads the other's. Each key is an int16 type and classic strings:
 * <pre>
 * 10 ShareGroupMemberMetadata           group, member   value: rack id?, client id, client host, [topic name]
 * 11 ShareGroupMetadata                 group           value: int32 epoch, int64 metadata hash
 * 12 ShareGroupTargetAssignmentMetadata group           value: int32 assignment epoch
 * 13 ShareGroupTargetAssignmentMember   group, member   value: [uuid topic, [int32 partition]]
 * 14 ShareGroupCurrentMemberAssignment  group, member   value: int32 member epoch, int32 previous epoch,
 *                                                              int8 state, [uuid topic, [int32 partition]]
 * </pre>
 * Each value is an int16 version (0) and flexible fields: compact strings (? may be null), compact arrays, and
 * tagged fields at the end of each struct, none written. A tombstone is the key with no value. The metadata hash is
 * written 0, which Kafka takes as topics that may have changed: it works the target out again at the next heartbeat.
 * The state is always 0 (stable): a share member takes its target at once. The target's time (tagged field 0 of
 * type 12) is not written; nor is type 15, ShareGroupStatePartitionMetadata, since the share partitions here keep
 * their state themselves ({@link ShareStateTopic}) and are made at a member's first fetch.
 */
final class ShareGroupRecords {


    private ShareGroupRecords() {
    }

    /** The parts by key type, from {@link #FIRST_TYPE} on. */
    private static final List<Part> BY_TYPE = List.of(Part.MEMBER, Part.GROUP_EPOCH, Part.ASSIGNMENT_EPOCH,
            Part.TARGET, Part.CURRENT);
    private static final int FIRST_TYPE = 10;

    /** The part a key type keeps, or null if the type is not a share group's. */
    private static Part part(short type) {
        int index = type - FIRST_TYPE;
        return index >= 0 && index < BY_TYPE.size() ? BY_TYPE.get(index) : null;
    }

    static byte[] key(ShareGroupRecord record) {
        return FlexibleFields.groupKey(FIRST_TYPE + BY_TYPE.indexOf(record.part()), record.groupId(), record.memberId());
    }

    /** Whether a record's key is a share group's part. */
    static boolean isShareGroupKey(byte[] key) {
        return key != null && key.length >= 2 && part(FlexibleFields.keyType(key)) != null;
    }

    /** The record's value, or null for a tombstone. */
    static byte[] value(ShareGroupRecord record) {
        return record instanceof ShareGroupRecord.Removed ? null : written(record);
    }

    private static byte[] written(ShareGroupRecord record) {
        FlexibleFields.Out out = new FlexibleFields.Out().int16(0);
        if (record instanceof ShareGroupRecord.Epoch epoch) {
            out.int32(epoch.epoch());
            if (epoch.part() == Part.GROUP_EPOCH) {
                out.int64(0); // no metadata hash
            }
        } else if (record instanceof ShareGroupRecord.Member member) {
            out.compactString(member.rackId()).compactString(member.clientId()).compactString(member.clientHost())
                    .compactArray(member.subscribedTopicNames(), out::compactString);
        } else if (record instanceof ShareGroupRecord.Assigned assigned) {
            if (assigned.part() == Part.CURRENT) {
                out.int32(assigned.memberEpoch()).int32(assigned.previousEpoch()).int8(0);
            }
            out.compactArray(List.copyOf(assigned.partitions().entrySet()), topic -> out.uuid(topic.getKey())
                    .compactArray(List.copyOf(topic.getValue()), out::int32).noTaggedFields());
        }
        return out.noTaggedFields().bytes();
    }

    /**
     * Reads a record this layout wrote (or Kafka did); a null value is a tombstone.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static ShareGroupRecord decode(byte[] key, byte[] value) {
        try {
            Part part = part(FlexibleFields.keyType(key));
            if (part == null) {
                throw new IllegalArgumentException("its key is not a share group's (types 10 to 14)");
            }
            String[] ids = FlexibleFields.groupKey(key, part != Part.GROUP_EPOCH && part != Part.ASSIGNMENT_EPOCH);
            return value == null ? new ShareGroupRecord.Removed(part, ids[0], ids[1])
                    : decodeValue(part, ids[0], ids[1], FlexibleFields.versionZero(value, "a share group's"));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a share group's record ends before its last field");
        }
    }

    private static ShareGroupRecord decodeValue(Part part, String group, String memberId, FlexibleFields.In in) {
        ShareGroupRecord record = switch (part) {
            case GROUP_EPOCH, ASSIGNMENT_EPOCH -> {
                int epoch = in.int32();
                if (part == Part.GROUP_EPOCH) {
                    in.int64(); // the metadata hash: the topics are looked up again at the next heartbeat
                }
                yield new ShareGroupRecord.Epoch(part, group, epoch);
            }
            case MEMBER -> new ShareGroupRecord.Member(group, memberId, in.compactString("the rack id", true),
                    in.compactString("the client id", false), in.compactString("the client host", false),
                    in.compactArray("the subscribed topics", each -> each.compactString("a topic", false)));
            case TARGET -> ShareGroupRecord.Assigned.target(group, memberId, partitions(in));
            case CURRENT -> {
                int epoch = in.int32();
                int previous = in.int32();
                byte state = in.int8();
                if (state != 0) {
                    throw new IllegalArgumentException("a share member's state is " + state + ", not 0 (stable)");
                }
                yield new ShareGroupRecord.Assigned(part, group, memberId, epoch, previous, partitions(in));
            }
        };
        in.taggedFields();
        return record;
    }

    /** Topics by id, each with its partitions and its own tagged fields. */
    private static Map<TopicId, SortedSet<Integer>> partitions(FlexibleFields.In in) {
        Map<TopicId, SortedSet<Integer>> partitions = new TreeMap<>(SimpleAssignor.TOPIC_ORDER);
        in.compactArray("the topics", each -> {
            TopicId topic = each.uuid();
            partitions.put(topic, new TreeSet<>(each.compactArray("the partitions", FlexibleFields.In::int32)));
            each.taggedFields();
            return topic;
        });
        return partitions;
    }
}
