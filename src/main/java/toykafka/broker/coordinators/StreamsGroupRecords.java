package toykafka.broker.coordinators;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.group.streams.StreamsGroupHeartbeat;
import toykafka.broker.group.streams.StreamsGroupRecord;
import toykafka.broker.group.streams.StreamsGroupRecord.Part;
import toykafka.broker.group.streams.StreamsMemberAssignment;
import toykafka.broker.group.streams.StreamsTasks;
import toykafka.broker.group.streams.StreamsTopology;

/**
 * A streams group's parts as records of {@code __consumer_offsets}, in the layouts Apache Kafka 4.4 writes, so its
 * generated classes read ours and ours read Kafka's. Each key is an int16 type and classic strings:
 * <pre>
 * 17 StreamsGroupMetadata                 group            value: int32 epoch, int64 metadata hash
 * 23 StreamsGroupTopology                 group            value: int32 epoch, [subtopology]
 * 19 StreamsGroupMemberMetadata           group, member    value: instance id?, rack id?, client id, client host,
 *                                                                 int32 rebalance timeout, int32 topology epoch,
 *                                                                 process id, endpoint? (host, uint16 port),
 *                                                                 [client tag: key, value]
 * 20 StreamsGroupTargetAssignmentMetadata group            value: int32 assignment epoch
 * 21 StreamsGroupTargetAssignmentMember   group, member    value: active, standby, warm-up tasks
 * 22 StreamsGroupCurrentMemberAssignment  group, member    value: int32 member epoch, int32 previous epoch, int8 state,
 *                                                                 active, standby, warm-up tasks, the same three
 *                                                                 pending revocation
 * </pre>
 * Tasks of one kind are {@code [subtopology id, [int32 partition]]}; a subtopology is its id, source topics, source
 * regexes, changelog topics, repartition sink topics, repartition source topics (each topic a name, int32
 * partitions, int16 replication factor and [config: key, value]) and copartition groups, each three lists of int16
 * indexes into the source topics, regexes and repartition source topics. Each value is an int16 version (0) and
 * flexible fields: compact strings (? may be null), compact arrays, a nullable struct as an int8 (-1 for null), and
 * tagged fields at the end of each struct. A tombstone is the key with no value. The state is Kafka's streams
 * {@code MemberState}: 1 stable, 2 unrevoked tasks, 3 unreleased tasks. Each subtopology of a current assignment's
 * active tasks ends with its tagged field 0, the epoch each partition was given at, one per partition in the same
 * order; one without it is read as Kafka reads it: every partition given at the member's epoch. The metadata hash
 * is written 0, as no metadata is hashed here (Kafka configures the topology again at its next heartbeat), and the
 * group metadata's and target metadata's tagged fields are not written.
 */
final class StreamsGroupRecords {

    private static final short VERSION = 0;
    /** The tag of an active task's assignment epochs, per subtopology. */
    private static final int ASSIGNMENT_EPOCHS_TAG = 0;

    private StreamsGroupRecords() {
    }

    /** The part each key type keeps (Kafka's {@code CoordinatorRecordType}). */
    private static final Map<Short, Part> PARTS = Map.of((short) 17, Part.GROUP_EPOCH, (short) 19, Part.MEMBER,
            (short) 20, Part.ASSIGNMENT_EPOCH, (short) 21, Part.TARGET, (short) 22, Part.CURRENT,
            (short) 23, Part.TOPOLOGY);

    /** Whether a record's key is a streams group's part. */
    static boolean isStreamsGroupKey(byte[] key) {
        return key != null && key.length >= 2 && PARTS.containsKey(ByteBuffer.wrap(key).getShort());
    }

    static byte[] key(StreamsGroupRecord record) {
        short type = PARTS.entrySet().stream().filter(entry -> entry.getValue() == record.part())
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        return FlexibleFields.groupKey(type, record.groupId(), record.memberId());
    }

    /** The record's value, or null for a tombstone. */
    static byte[] value(StreamsGroupRecord record) {
        return record instanceof StreamsGroupRecord.Removed ? null
                : fields(record, new FlexibleFields.Out().int16(VERSION)).noTaggedFields().bytes();
    }

    /** The fields of a record's value, after its version. */
    private static FlexibleFields.Out fields(StreamsGroupRecord record, FlexibleFields.Out out) {
        if (record instanceof StreamsGroupRecord.Member member) {
            out.compactString(member.instanceId()).compactString(member.rackId()).compactString(member.clientId())
                    .compactString(member.clientHost()).int32(member.rebalanceTimeoutMs())
                    .int32(member.topologyEpoch()).compactString(member.processId());
            StreamsGroupHeartbeat.Endpoint endpoint = member.userEndpoint();
            if (endpoint == null) {
                out.int8(-1);
            } else {
                out.int8(1).compactString(endpoint.host()).int16(endpoint.port()).noTaggedFields();
            }
            return out.compactArray(List.copyOf(member.clientTags().entrySet()), tag -> out
                    .compactString(tag.getKey()).compactString(tag.getValue()).noTaggedFields());
        }
        if (record instanceof StreamsGroupRecord.Topology topology) {
            return out.int32(topology.topology().epoch()).compactArray(
                    List.copyOf(topology.topology().subtopologies().values()), sub -> subtopology(sub, out));
        }
        if (record instanceof StreamsGroupRecord.Target target) {
            tasks(target.tasks(), null, out);
        } else if (record instanceof StreamsGroupRecord.Current current) {
            StreamsMemberAssignment assignment = current.assignment();
            out.int32(assignment.memberEpoch()).int32(assignment.previousMemberEpoch())
                    .int8(assignment.state().ordinal() + 1); // Kafka's streams MemberState starts at 1
            tasks(assignment.assigned(), assignment, out);
            tasks(assignment.revoking(), assignment, out);
        } else if (record instanceof StreamsGroupRecord.Epoch epoch) {
            out.int32(epoch.epoch());
            if (epoch.part() == Part.GROUP_EPOCH) {
                out.int64(0); // the metadata hash
            }
        }
        return out;
    }

    private static void subtopology(StreamsTopology.Subtopology sub, FlexibleFields.Out out) {
        out.compactString(sub.id()).compactArray(sub.sourceTopics(), out::compactString)
                .compactArray(sub.sourceTopicRegexes(), out::compactString)
                .compactArray(sub.changelogTopics(), topic -> topicInfo(topic, out))
                .compactArray(sub.repartitionSinkTopics(), out::compactString)
                .compactArray(sub.repartitionSourceTopics(), topic -> topicInfo(topic, out));
        List<String> repartitionNames = sub.repartitionSourceTopics().stream().map(StreamsTopology.TopicInfo::name)
                .toList();
        out.compactArray(sub.copartitionGroups(), group -> {
            List<String> names = group.stream().sorted().toList();
            out.compactArray(names.stream().filter(sub.sourceTopics()::contains).map(sub.sourceTopics()::indexOf)
                            .toList(), out::int16)
                    .compactArray(List.<Integer>of(), out::int16)
                    .compactArray(names.stream().filter(name -> !sub.sourceTopics().contains(name))
                            .map(repartitionNames::indexOf).toList(), out::int16)
                    .noTaggedFields();
        });
        out.noTaggedFields();
    }

    private static void topicInfo(StreamsTopology.TopicInfo topic, FlexibleFields.Out out) {
        out.compactString(topic.name()).int32(topic.partitions()).int16(topic.replicationFactor());
        out.compactArray(List.copyOf(new TreeMap<>(topic.configs()).entrySet()), config -> out
                .compactString(config.getKey()).compactString(config.getValue()).noTaggedFields());
        out.noTaggedFields();
    }

    /**
     * Active, standby and warm-up tasks, each subtopology a struct with its own tagged fields: with {@code current},
     * a current assignment's, the epoch of each active task in its tagged field 0.
     */
    private static void tasks(StreamsTasks tasks, StreamsMemberAssignment current, FlexibleFields.Out out) {
        List<SortedMap<String, SortedSet<Integer>>> kinds = List.of(tasks.active(), tasks.standby(), tasks.warmup());
        for (int kind = 0; kind < kinds.size(); kind++) {
            boolean epochs = current != null && kind == 0;
            out.compactArray(List.copyOf(kinds.get(kind).entrySet()), sub -> {
                List<Integer> partitions = List.copyOf(sub.getValue());
                out.compactString(sub.getKey()).compactArray(partitions, out::int32);
                if (!epochs) {
                    out.noTaggedFields();
                    return;
                }
                Map<Integer, Integer> given = current.activeEpochs().getOrDefault(sub.getKey(), Map.of());
                FlexibleFields.Out field = new FlexibleFields.Out();
                field.compactArray(partitions.stream().map(p -> given.getOrDefault(p, current.memberEpoch()))
                        .toList(), field::int32);
                out.varint(1).taggedField(ASSIGNMENT_EPOCHS_TAG, field);
            });
        }
    }

    /**
     * Reads a record this layout wrote (or Kafka did); a null value is a tombstone.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static StreamsGroupRecord decode(byte[] key, byte[] value) {
        try {
            FlexibleFields.In in = new FlexibleFields.In(key);
            Part part = PARTS.get(in.int16());
            if (part == null) {
                throw new IllegalArgumentException("its key is not a streams group's (types 17 and 19 to 23)");
            }
            String group = in.string("the group id");
            String member = part.ofMember() ? in.string("the member id") : null;
            if (value == null) {
                return new StreamsGroupRecord.Removed(part, group, member);
            }
            FlexibleFields.In values = new FlexibleFields.In(value);
            short version = values.int16();
            if (version != VERSION) {
                throw new IllegalArgumentException("a streams group's value is of version " + version + ", not 0");
            }
            StreamsGroupRecord record = decodeValue(part, group, member, values);
            values.taggedFields();
            return record;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a streams group's record ends before its last field");
        }
    }

    private static StreamsGroupRecord decodeValue(Part part, String group, String memberId, FlexibleFields.In in) {
        return switch (part) {
            case GROUP_EPOCH -> {
                StreamsGroupRecord.Epoch epoch = new StreamsGroupRecord.Epoch(group, part, in.int32());
                in.int64(); // the metadata hash: the topology is configured again at start
                yield epoch;
            }
            case ASSIGNMENT_EPOCH -> new StreamsGroupRecord.Epoch(group, part, in.int32());
            case TOPOLOGY -> {
                int epoch = in.int32();
                SortedMap<String, StreamsTopology.Subtopology> subtopologies = new TreeMap<>();
                in.compactArray("the subtopologies", StreamsGroupRecords::subtopology)
                        .forEach(sub -> subtopologies.put(sub.id(), sub));
                yield new StreamsGroupRecord.Topology(group, new StreamsTopology(epoch, subtopologies));
            }
            case MEMBER -> member(group, memberId, in);
            case TARGET -> new StreamsGroupRecord.Target(group, memberId, tasks(in, null));
            case CURRENT -> {
                int epoch = in.int32();
                int previous = in.int32();
                byte state = in.int8();
                if (state < 1 || state > StreamsMemberAssignment.State.values().length) {
                    throw new IllegalArgumentException("a member's state is " + state + ", not 1 to 3");
                }
                Map<String, Map<Integer, Integer>> epochs = new TreeMap<>();
                StreamsTasks assigned = tasks(in, epochs);
                StreamsTasks revoking = tasks(in, epochs);
                fillEpochs(assigned, epoch, epochs);
                fillEpochs(revoking, epoch, epochs);
                yield new StreamsGroupRecord.Current(group, memberId, new StreamsMemberAssignment(epoch, previous,
                        StreamsMemberAssignment.State.values()[state - 1], assigned, revoking, epochs));
            }
        };
    }

    private static StreamsGroupRecord.Member member(String group, String memberId, FlexibleFields.In in) {
        String instanceId = optional(in.compactString("the instance id", true));
        String rackId = optional(in.compactString("the rack id", true));
        String clientId = in.compactString("the client id", false);
        String clientHost = in.compactString("the client host", false);
        int rebalanceTimeoutMs = in.int32();
        int topologyEpoch = in.int32();
        String processId = in.compactString("the process id", false);
        StreamsGroupHeartbeat.Endpoint endpoint = null;
        if (in.int8() >= 0) {
            endpoint = new StreamsGroupHeartbeat.Endpoint(in.compactString("the endpoint's host", false),
                    in.int16() & 0xFFFF);
            in.taggedFields();
        }
        Map<String, String> tags = new TreeMap<>();
        in.compactArray("the client tags", each -> {
            tags.put(each.compactString("a tag's key", false), each.compactString("a tag's value", false));
            each.taggedFields();
            return null;
        });
        return new StreamsGroupRecord.Member(group, memberId, instanceId, rackId, clientId, clientHost,
                rebalanceTimeoutMs, topologyEpoch, processId, endpoint, tags);
    }

    private static StreamsTopology.Subtopology subtopology(FlexibleFields.In in) {
        String id = in.compactString("a subtopology id", false);
        List<String> sources = strings(in, "the source topics");
        List<String> regexes = strings(in, "the source topic regexes");
        List<StreamsTopology.TopicInfo> changelogs = in.compactArray("the changelog topics",
                StreamsGroupRecords::topicInfo);
        List<String> sinks = strings(in, "the repartition sink topics");
        List<StreamsTopology.TopicInfo> repartitionSources = in.compactArray("the repartition source topics",
                StreamsGroupRecords::topicInfo);
        List<Set<String>> copartitionGroups = in.compactArray("the copartition groups", each -> {
            Set<String> names = new TreeSet<>();
            each.compactArray("a copartition group's source topics", FlexibleFields.In::int16)
                    .forEach(index -> names.add(at(sources, index, "source topics")));
            each.compactArray("a copartition group's source regexes", FlexibleFields.In::int16)
                    .forEach(index -> names.add(at(regexes, index, "source topic regexes")));
            each.compactArray("a copartition group's repartition topics", FlexibleFields.In::int16)
                    .forEach(index -> names.add(at(repartitionSources, index, "repartition source topics").name()));
            each.taggedFields();
            return names;
        });
        in.taggedFields();
        return new StreamsTopology.Subtopology(id, sources, regexes, sinks, repartitionSources, changelogs,
                copartitionGroups);
    }

    private static StreamsTopology.TopicInfo topicInfo(FlexibleFields.In in) {
        String name = in.compactString("an internal topic's name", false);
        int partitions = in.int32();
        short replicationFactor = in.int16();
        Map<String, String> configs = new TreeMap<>();
        in.compactArray("a topic's configs", each -> {
            configs.put(each.compactString("a config's name", false), each.compactString("a config's value", false));
            each.taggedFields();
            return null;
        });
        in.taggedFields();
        return new StreamsTopology.TopicInfo(name, partitions, replicationFactor, configs);
    }

    private static <T> T at(List<T> items, short index, String what) {
        if (index < 0 || index >= items.size()) {
            throw new IllegalArgumentException("a copartition group names index " + index + " of the " + what
                    + ", which has " + items.size());
        }
        return items.get(index);
    }

    private static List<String> strings(FlexibleFields.In in, String what) {
        return in.compactArray(what, each -> each.compactString("one of " + what, false));
    }

    /**
     * Active, standby and warm-up tasks; into {@code epochs}, if given, the epoch of each active task its tagged field
     * 0 names (none for a subtopology whose field is missing or does not name one per partition).
     */
    private static StreamsTasks tasks(FlexibleFields.In in, Map<String, Map<Integer, Integer>> epochs) {
        List<Map<String, Set<Integer>>> kinds = new ArrayList<>();
        for (int kind = 0; kind < 3; kind++) {
            Map<String, Set<Integer>> tasks = new TreeMap<>();
            Map<String, Map<Integer, Integer>> into = kind == 0 ? epochs : null;
            in.compactArray("the tasks", each -> {
                String sub = each.compactString("a subtopology id", false);
                List<Integer> partitions = each.compactArray("the partitions", FlexibleFields.In::int32);
                tasks.computeIfAbsent(sub, s -> new TreeSet<>()).addAll(partitions);
                Map<Integer, Integer> given = FlexibleFields.assignmentEpochs(partitions,
                        each.taggedFieldsByTag().get(ASSIGNMENT_EPOCHS_TAG));
                if (into != null && !given.isEmpty()) {
                    into.computeIfAbsent(sub, s -> new TreeMap<>()).putAll(given);
                }
                return sub;
            });
            kinds.add(tasks);
        }
        return new StreamsTasks(kinds.get(0), kinds.get(1), kinds.get(2));
    }

    /** An active task whose epoch the record did not say was given at the member's epoch, as Kafka reads it. */
    private static void fillEpochs(StreamsTasks tasks, int memberEpoch, Map<String, Map<Integer, Integer>> epochs) {
        tasks.active().forEach((sub, partitions) -> partitions.forEach(partition -> epochs
                .computeIfAbsent(sub, s -> new TreeMap<>()).putIfAbsent(partition, memberEpoch)));
    }

    /** An optional field Kafka may write as "" (its generated classes' default) rather than null: none either way. */
    private static String optional(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
