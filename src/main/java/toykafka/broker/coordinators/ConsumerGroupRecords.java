package toykafka.broker.coordinators;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import toykafka.broker.group.consumer.AssignmentEpochs;
import toykafka.broker.group.consumer.ConsumerGroupRecord;
import toykafka.broker.group.consumer.ConsumerGroupRecord.Part;
import toykafka.broker.group.consumer.MemberAssignment;
import toykafka.common.TopicId;

/**
 * A consumer group's parts as records of {@code __consumer_offsets}, in the layouts Apache Kafka 4.1 writes, so its
 * {@code kafka-dump-log --offsets-decoder} prints them as its own. Each key is an int16 type and classic strings:
 * <pre>
 * 3 ConsumerGroupMetadata                 group            value: int32 epoch
 * 5 ConsumerGroupMemberMetadata           group, member    value: instance id?, rack id?, client id, client host,
 *                                                                 [topic name], regex?, int32 rebalance timeout,
 *                                                                 server assignor?
 * 6 ConsumerGroupTargetAssignmentMetadata group            value: int32 assignment epoch
 * 7 ConsumerGroupTargetAssignmentMember   group, member    value: [uuid topic, [int32 partition]]
 * 8 ConsumerGroupCurrentMemberAssignment  group, member    value: int32 member epoch, int32 previous epoch,
 *                                                                 int8 state, assigned, pending revocation
 * </pre>
 * Each value is an int16 version (0) and flexible fields: compact strings (? may be null), compact arrays, and
 * tagged fields at the end of each struct. A tombstone is the key with no value. A member's metadata ends with its
 * tagged field 0, as Kafka writes it: null for a member of the consumer protocol, else a classic member's session
 * timeout and protocols. Each topic of a current assignment ends with its tagged field 0, the epoch each partition
 * was given at ({@code AssignmentEpochs}, Kafka 4.3 on), one per partition in the same order; a record without it
 * (Kafka 4.2 and before), or with a count that does not match, is read as Kafka reads it: every partition given at
 * the member's epoch. The group's metadata hash, another optional tagged field, is not written.
 */
final class ConsumerGroupRecords {

    private static final short VERSION = 0;
    /** The tag of a member's classic protocol metadata. */
    private static final int CLASSIC_MEMBER_TAG = 0;
    /** The tag of a current assignment's epochs, per topic. */
    private static final int ASSIGNMENT_EPOCHS_TAG = 0;
    /** Topics in a stable order, so the same part is always the same bytes. */
    private static final Comparator<TopicId> TOPIC_ORDER = Comparator.comparingLong(TopicId::mostSignificantBits)
            .thenComparingLong(TopicId::leastSignificantBits);

    private ConsumerGroupRecords() {
    }

    /** The key type of each part. */
    private static short type(Part part) {
        return switch (part) {
            case GROUP_EPOCH -> 3;
            case MEMBER -> 5;
            case ASSIGNMENT_EPOCH -> 6;
            case TARGET -> 7;
            case CURRENT -> 8;
        };
    }

    /** The part a key type keeps, or null if the type is not a consumer group's. */
    private static Part part(short type) {
        for (Part part : Part.values()) {
            if (type(part) == type) {
                return part;
            }
        }
        return null;
    }

    /** Whether a record's key is a consumer group's part. */
    static boolean isConsumerGroupKey(byte[] key) {
        return key != null && key.length >= 2 && part(ByteBuffer.wrap(key).getShort()) != null;
    }

    static byte[] key(ConsumerGroupRecord record) {
        return FlexibleFields.groupKey(type(record.part()), record.groupId(), record.memberId());
    }

    /** The record's value, or null for a tombstone. */
    static byte[] value(ConsumerGroupRecord record) {
        if (record instanceof ConsumerGroupRecord.Removed) {
            return null;
        }
        FlexibleFields.Out out = new FlexibleFields.Out().int16(VERSION);
        if (record instanceof ConsumerGroupRecord.GroupEpoch epoch) {
            out.int32(epoch.epoch());
        } else if (record instanceof ConsumerGroupRecord.AssignmentEpoch epoch) {
            out.int32(epoch.epoch());
        } else if (record instanceof ConsumerGroupRecord.Member member) {
            out.compactString(member.instanceId()).compactString(member.rackId()).compactString(member.clientId())
                    .compactString(member.clientHost())
                    .compactArray(member.subscribedTopicNames(), out::compactString)
                    .compactString(member.subscribedTopicRegex()).int32(member.rebalanceTimeoutMs())
                    .compactString(member.serverAssignor());
            return out.varint(1).taggedField(CLASSIC_MEMBER_TAG, classic(member)).bytes();
        } else if (record instanceof ConsumerGroupRecord.Target target) {
            partitions(target.partitions(), null, out);
        } else if (record instanceof ConsumerGroupRecord.Current current) {
            MemberAssignment assignment = current.assignment();
            out.int32(assignment.memberEpoch()).int32(assignment.previousMemberEpoch())
                    .int8(assignment.state().ordinal()); // STABLE 0, UNREVOKED 1, UNRELEASED 2: Kafka's numbers
            partitions(assignment.assigned(), assignment.epochs(), out);
            partitions(assignment.revoking(), assignment.epochs(), out);
        }
        return out.noTaggedFields().bytes();
    }

    /**
     * Tagged field 0 of a member's metadata, which Kafka always writes: 0 (null) for a member of the consumer
     * protocol; for a classic one 1, then its session timeout and its protocols, each a name and its metadata.
     */
    private static FlexibleFields.Out classic(ConsumerGroupRecord.Member member) {
        FlexibleFields.Out field = new FlexibleFields.Out();
        if (member.classicSessionTimeoutMs() < 0) {
            return field.varint(0);
        }
        field.varint(1).int32(member.classicSessionTimeoutMs());
        field.compactArray(member.classicProtocols(), protocol -> field.compactString(protocol.getKey())
                .compactBytes(protocol.getValue()).noTaggedFields());
        return field.noTaggedFields();
    }

    /** A member's record as read, made a classic member's if its tagged field 0 says it is one. */
    private static ConsumerGroupRecord.Member classic(ConsumerGroupRecord.Member member, byte[] field) {
        if (field == null) {
            return member;
        }
        FlexibleFields.In in = new FlexibleFields.In(field);
        if (in.varint() == 0) {
            return member;
        }
        int sessionTimeoutMs = in.int32();
        List<Map.Entry<String, byte[]>> protocols = in.compactArray("the classic protocols", each -> {
            Map.Entry<String, byte[]> protocol = Map.entry(each.compactString("a protocol name", false),
                    each.compactBytes("a protocol's metadata"));
            each.taggedFields();
            return protocol;
        });
        return member.withClassic(sessionTimeoutMs, protocols);
    }

    /**
     * Topics by id, each with its partitions, each entry a struct with its own tagged fields: with {@code epochs}, a
     * current assignment's, the epoch of each partition in its tagged field 0.
     */
    private static void partitions(Map<TopicId, Set<Integer>> partitions, AssignmentEpochs epochs,
                                   FlexibleFields.Out out) {
        List<Map.Entry<TopicId, Set<Integer>>> topics = partitions.entrySet().stream()
                .filter(topic -> !topic.getValue().isEmpty()).sorted(Map.Entry.comparingByKey(TOPIC_ORDER)).toList();
        out.compactArray(topics, topic -> {
            List<Integer> numbers = topic.getValue().stream().sorted().toList();
            out.uuid(topic.getKey()).compactArray(numbers, out::int32);
            if (epochs == null) {
                out.noTaggedFields();
            } else {
                FlexibleFields.Out field = new FlexibleFields.Out();
                field.compactArray(numbers.stream().map(p -> epochs.epochOf(topic.getKey(), p)).toList(),
                        field::int32);
                out.varint(1).taggedField(ASSIGNMENT_EPOCHS_TAG, field);
            }
        });
    }

    /**
     * Reads a record this layout wrote (or Kafka did); a null value is a tombstone.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static ConsumerGroupRecord decode(byte[] key, byte[] value) {
        try {
            FlexibleFields.In in = new FlexibleFields.In(key);
            Part part = part(in.int16());
            if (part == null) {
                throw new IllegalArgumentException("its key is not a consumer group's (types 3 and 5 to 8)");
            }
            String group = in.string("the group id");
            boolean ofMember = part == Part.MEMBER || part == Part.TARGET || part == Part.CURRENT;
            String member = ofMember ? in.string("the member id") : null;
            return value == null ? new ConsumerGroupRecord.Removed(part, group, member)
                    : decodeValue(part, group, member, new FlexibleFields.In(value));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a consumer group's record ends before its last field");
        }
    }

    private static ConsumerGroupRecord decodeValue(Part part, String group, String memberId,
                                                   FlexibleFields.In in) {
        short version = in.int16();
        if (version != VERSION) {
            throw new IllegalArgumentException("a consumer group's value is of version " + version + ", not 0");
        }
        if (part == Part.MEMBER) {
            ConsumerGroupRecord.Member member = new ConsumerGroupRecord.Member(group, memberId,
                    optional(in.compactString("the instance id", true)), optional(in.compactString("the rack id", true)),
                    in.compactString("the client id", false), in.compactString("the client host", false),
                    in.compactArray("the subscribed topics", each -> each.compactString("a topic", false)),
                    optional(in.compactString("the regular expression", true)), in.int32(),
                    optional(in.compactString("the server assignor", true)));
            return classic(member, in.taggedFieldsByTag().get(CLASSIC_MEMBER_TAG));
        }
        ConsumerGroupRecord record = switch (part) {
            case GROUP_EPOCH -> new ConsumerGroupRecord.GroupEpoch(group, in.int32());
            case ASSIGNMENT_EPOCH -> new ConsumerGroupRecord.AssignmentEpoch(group, in.int32());
            case MEMBER -> throw new IllegalStateException("read above");
            case TARGET -> new ConsumerGroupRecord.Target(group, memberId, partitions(in, null));
            case CURRENT -> {
                int epoch = in.int32();
                int previous = in.int32();
                byte state = in.int8();
                if (state < 0 || state >= MemberAssignment.State.values().length) {
                    throw new IllegalArgumentException("a member's state is " + state + ", not 0 to 2");
                }
                Map<TopicId, Map<Integer, Integer>> epochs = new HashMap<>();
                yield new ConsumerGroupRecord.Current(group, memberId, new MemberAssignment(epoch, previous,
                        MemberAssignment.State.values()[state], partitions(in, epochs), partitions(in, epochs),
                        new AssignmentEpochs(epochs)));
            }
        };
        in.taggedFields();
        return record;
    }

    /** An optional field Kafka may write as "" (its generated classes' default) rather than null: none either way. */
    private static String optional(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /**
     * Topics by id, each with its partitions; into {@code epochs}, if given, the epoch of each partition its tagged
     * field 0 names (none for a topic whose field is missing or does not name one per partition).
     */
    private static Map<TopicId, Set<Integer>> partitions(FlexibleFields.In in,
                                                         Map<TopicId, Map<Integer, Integer>> epochs) {
        Map<TopicId, Set<Integer>> partitions = new HashMap<>();
        in.compactArray("the topics", each -> {
            TopicId topic = each.uuid();
            List<Integer> numbers = each.compactArray("the partitions", FlexibleFields.In::int32);
            byte[] field = each.taggedFieldsByTag().get(ASSIGNMENT_EPOCHS_TAG);
            if (epochs != null && field != null && field.length > 0 && field[0] != 0) { // 0: a null array
                List<Integer> given = new FlexibleFields.In(field).compactArray("the assignment epochs",
                        FlexibleFields.In::int32);
                if (given.size() == numbers.size()) {
                    Map<Integer, Integer> byPartition = epochs.computeIfAbsent(topic, t -> new HashMap<>());
                    for (int i = 0; i < numbers.size(); i++) {
                        byPartition.put(numbers.get(i), given.get(i));
                    }
                }
            }
            partitions.put(topic, new TreeSet<>(numbers));
            return topic;
        });
        return partitions;
    }
}
