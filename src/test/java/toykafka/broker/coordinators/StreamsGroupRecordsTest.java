package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.broker.coordinators.KafkaValues.readValue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.CoordinatorRecordType;
import org.apache.kafka.coordinator.group.generated.StreamsGroupCurrentMemberAssignmentKey;
import org.apache.kafka.coordinator.group.generated.StreamsGroupCurrentMemberAssignmentValue;
import org.apache.kafka.coordinator.group.generated.StreamsGroupMemberMetadataKey;
import org.apache.kafka.coordinator.group.generated.StreamsGroupMemberMetadataValue;
import org.apache.kafka.coordinator.group.generated.StreamsGroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.StreamsGroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.StreamsGroupTargetAssignmentMemberValue;
import org.apache.kafka.coordinator.group.generated.StreamsGroupTargetAssignmentMetadataValue;
import org.apache.kafka.coordinator.group.generated.StreamsGroupTopologyKey;
import org.apache.kafka.coordinator.group.generated.StreamsGroupTopologyValue;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.streams.StreamsGroupHeartbeat;
import toykafka.broker.group.streams.StreamsGroupRecord;
import toykafka.broker.group.streams.StreamsGroupRecord.Part;
import toykafka.broker.group.streams.StreamsMemberAssignment;
import toykafka.broker.group.streams.StreamsTasks;
import toykafka.broker.group.streams.StreamsTopology;

/**
 * A KIP-1071 streams group's parts stored as Apache Kafka 4.4 stores them in {@code __consumer_offsets}, read both
 * ways with Kafka's generated classes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsGroupRecordsTest {

    /** A word count's two subtopologies: one reads the input and writes a repartition topic the other reads. */
    private static final StreamsTopology TOPOLOGY = new StreamsTopology(3, new TreeMap<>(Map.of(
            "0", new StreamsTopology.Subtopology("0", List.of("lines", "words-in"), List.of(),
                    List.of("app-repartition"), List.of(), List.of(), List.of(Set.of("lines", "words-in"))),
            "1", new StreamsTopology.Subtopology("1", List.of(), List.of(), List.of(),
                    List.of(new StreamsTopology.TopicInfo("app-repartition", 0, (short) 0,
                            Map.of("cleanup.policy", "delete"))),
                    List.of(new StreamsTopology.TopicInfo("app-counts-changelog", 0, (short) 3,
                            Map.of("cleanup.policy", "compact", "min.insync.replicas", "2"))),
                    List.of(Set.of("app-repartition"))))));

    private static ByteBuffer keyOf(StreamsGroupRecord record, CoordinatorRecordType type) {
        ByteBuffer key = ByteBuffer.wrap(StreamsGroupRecords.key(record));
        assertEquals(type.id(), key.getShort(), "the key type of " + type);
        return key;
    }

    private static StreamsGroupRecord decode(StreamsGroupRecord like, ApiMessage kafkas) {
        return StreamsGroupRecords.decode(StreamsGroupRecords.key(like),
                MessageUtil.toVersionPrefixedBytes((short) 0, kafkas));
    }

    private static StreamsTasks tasks(Map<String, Set<Integer>> active, Map<String, Set<Integer>> standby) {
        return new StreamsTasks(active, standby, Map.of());
    }

    private static StreamsGroupCurrentMemberAssignmentValue.TaskIds current(String sub, List<Integer> partitions,
                                                                           List<Integer> epochs) {
        return new StreamsGroupCurrentMemberAssignmentValue.TaskIds().setSubtopologyId(sub).setPartitions(partitions)
                .setAssignmentEpochs(epochs);
    }

    private static StreamsGroupTopologyValue.TopicInfo topicInfo(String name, int replication, String... configs) {
        List<StreamsGroupTopologyValue.TopicConfig> pairs = new ArrayList<>();
        for (int i = 0; i < configs.length; i += 2) {
            pairs.add(new StreamsGroupTopologyValue.TopicConfig().setKey(configs[i]).setValue(configs[i + 1]));
        }
        return new StreamsGroupTopologyValue.TopicInfo().setName(name).setPartitions(0)
                .setReplicationFactor((short) replication).setTopicConfigs(pairs);
    }

    /** The topology as Kafka's class holds it: copartition groups as indexes into each subtopology's lists. */
    private static StreamsGroupTopologyValue kafkasTopology() {
        return new StreamsGroupTopologyValue().setEpoch(3).setSubtopologies(List.of(
                new StreamsGroupTopologyValue.Subtopology().setSubtopologyId("0")
                        .setSourceTopics(List.of("lines", "words-in")).setRepartitionSinkTopics(List.of(
                                "app-repartition"))
                        .setCopartitionGroups(List.of(new StreamsGroupTopologyValue.CopartitionGroup()
                                .setSourceTopics(List.of((short) 0, (short) 1)))),
                new StreamsGroupTopologyValue.Subtopology().setSubtopologyId("1")
                        .setRepartitionSourceTopics(List.of(topicInfo("app-repartition", 0, "cleanup.policy",
                                "delete")))
                        .setStateChangelogTopics(List.of(topicInfo("app-counts-changelog", 3, "cleanup.policy",
                                "compact", "min.insync.replicas", "2")))
                        .setCopartitionGroups(List.of(new StreamsGroupTopologyValue.CopartitionGroup()
                                .setRepartitionSourceTopics(List.of((short) 0))))));
    }

    @Test
    void kafkas_generated_classes_read_our_keys_and_values() {
        StreamsGroupRecord.Epoch epoch = new StreamsGroupRecord.Epoch("app", Part.GROUP_EPOCH, 12);
        assertEquals(new StreamsGroupMetadataKey().setGroupId("app"), new StreamsGroupMetadataKey(
                new ByteBufferAccessor(keyOf(epoch, CoordinatorRecordType.STREAMS_GROUP_METADATA)), (short) 0));
        assertEquals(new StreamsGroupMetadataValue().setEpoch(12).setMetadataHash(0),
                readValue(StreamsGroupRecords.value(epoch), new StreamsGroupMetadataValue()));
        StreamsGroupRecord.Epoch assignment = new StreamsGroupRecord.Epoch("app", Part.ASSIGNMENT_EPOCH, 11);
        keyOf(assignment, CoordinatorRecordType.STREAMS_GROUP_TARGET_ASSIGNMENT_METADATA);
        assertEquals(11, readValue(StreamsGroupRecords.value(assignment),
                new StreamsGroupTargetAssignmentMetadataValue()).assignmentEpoch());

        StreamsGroupRecord.Topology topology = new StreamsGroupRecord.Topology("app", TOPOLOGY);
        assertEquals(new StreamsGroupTopologyKey().setGroupId("app"), new StreamsGroupTopologyKey(
                new ByteBufferAccessor(keyOf(topology, CoordinatorRecordType.STREAMS_GROUP_TOPOLOGY)), (short) 0));
        assertEquals(kafkasTopology(), readValue(StreamsGroupRecords.value(topology),
                new StreamsGroupTopologyValue()), "copartition groups as indexes, configs by name");

        StreamsGroupRecord.Member member = new StreamsGroupRecord.Member("app", "m-1", "instance-a", null, "app-1",
                "/127.0.0.1", 60_000, 3, "process-a", new StreamsGroupHeartbeat.Endpoint("query.local", 50_000),
                Map.of("zone", "eu-1", "disk", "ssd"));
        assertEquals(new StreamsGroupMemberMetadataKey().setGroupId("app").setMemberId("m-1"),
                new StreamsGroupMemberMetadataKey(new ByteBufferAccessor(keyOf(member,
                        CoordinatorRecordType.STREAMS_GROUP_MEMBER_METADATA)), (short) 0));
        assertEquals(new StreamsGroupMemberMetadataValue().setInstanceId("instance-a").setRackId(null)
                        .setClientId("app-1").setClientHost("/127.0.0.1").setRebalanceTimeoutMs(60_000)
                        .setTopologyEpoch(3).setProcessId("process-a")
                        .setUserEndpoint(new StreamsGroupMemberMetadataValue.Endpoint().setHost("query.local")
                                .setPort(50_000)) // above 32767: an unsigned port
                        .setClientTags(List.of(new StreamsGroupMemberMetadataValue.KeyValue().setKey("disk")
                                .setValue("ssd"), new StreamsGroupMemberMetadataValue.KeyValue().setKey("zone")
                                .setValue("eu-1"))),
                readValue(StreamsGroupRecords.value(member), new StreamsGroupMemberMetadataValue()));
        StreamsGroupRecord.Member noEndpoint = new StreamsGroupRecord.Member("app", "m-2", null, null, "", "", 1000,
                0, "p", null, Map.of());
        assertNull(readValue(StreamsGroupRecords.value(noEndpoint), new StreamsGroupMemberMetadataValue())
                .userEndpoint(), "no endpoint: a null struct");

        StreamsGroupRecord.Target target = new StreamsGroupRecord.Target("app", "m-1",
                tasks(Map.of("0", Set.of(2, 0)), Map.of("1", Set.of(1))));
        keyOf(target, CoordinatorRecordType.STREAMS_GROUP_TARGET_ASSIGNMENT_MEMBER);
        assertEquals(new StreamsGroupTargetAssignmentMemberValue().setActiveTasks(List.of(
                        new StreamsGroupTargetAssignmentMemberValue.TaskIds().setSubtopologyId("0")
                                .setPartitions(List.of(0, 2))))
                        .setStandbyTasks(List.of(new StreamsGroupTargetAssignmentMemberValue.TaskIds()
                                .setSubtopologyId("1").setPartitions(List.of(1)))),
                readValue(StreamsGroupRecords.value(target), new StreamsGroupTargetAssignmentMemberValue()));

        StreamsGroupRecord.Current current = new StreamsGroupRecord.Current("app", "m-1", new StreamsMemberAssignment(
                7, 6, StreamsMemberAssignment.State.UNREVOKED_TASKS, tasks(Map.of("0", Set.of(0, 2)), Map.of()),
                tasks(Map.of("1", Set.of(3)), Map.of("0", Set.of(1))),
                Map.of("0", Map.of(0, 4, 2, 7), "1", Map.of(3, 5))));
        assertEquals(new StreamsGroupCurrentMemberAssignmentKey().setGroupId("app").setMemberId("m-1"),
                new StreamsGroupCurrentMemberAssignmentKey(new ByteBufferAccessor(keyOf(current,
                        CoordinatorRecordType.STREAMS_GROUP_CURRENT_MEMBER_ASSIGNMENT)), (short) 0));
        assertEquals(new StreamsGroupCurrentMemberAssignmentValue().setMemberEpoch(7).setPreviousMemberEpoch(6)
                        .setState((byte) 2) // Kafka's streams UNREVOKED_TASKS
                        .setActiveTasks(List.of(current("0", List.of(0, 2), List.of(4, 7))))
                        .setActiveTasksPendingRevocation(List.of(current("1", List.of(3), List.of(5))))
                        .setStandbyTasksPendingRevocation(List.of(current("0", List.of(1), List.of()))),
                readValue(StreamsGroupRecords.value(current), new StreamsGroupCurrentMemberAssignmentValue()),
                "each active task's epoch in tagged field 0, none for the others (which Kafka reads as empty)");
    }

    @Test
    void we_read_what_kafka_writes_tagged_fields_and_all_and_each_record_reads_back_as_written() {
        StreamsGroupRecord.Epoch epoch = new StreamsGroupRecord.Epoch("app", Part.GROUP_EPOCH, 5);
        assertEquals(epoch, decode(epoch, new StreamsGroupMetadataValue().setEpoch(5).setMetadataHash(987654321L)
                .setValidatedTopologyEpoch(3).setLastAssignmentConfigs(List.of(
                        new StreamsGroupMetadataValue.LastAssignmentConfig().setKey("num.standby.replicas")
                                .setValue("1")))), "the hash and Kafka's tagged fields are passed over");
        StreamsGroupRecord.Epoch assignment = new StreamsGroupRecord.Epoch("app", Part.ASSIGNMENT_EPOCH, 5);
        assertEquals(assignment, decode(assignment, new StreamsGroupTargetAssignmentMetadataValue()
                .setAssignmentEpoch(5).setAssignmentTimestamp(1_700_000_000_000L)));

        StreamsGroupRecord.Topology topology = new StreamsGroupRecord.Topology("app", TOPOLOGY);
        assertEquals(topology, decode(topology, kafkasTopology()));

        StreamsGroupRecord.Member member = new StreamsGroupRecord.Member("app", "m-1", null, null, "c", "/h", 45_000,
                3, "process-a", new StreamsGroupHeartbeat.Endpoint("host", 8080), Map.of("zone", "eu-1"));
        assertEquals(member, decode(member, new StreamsGroupMemberMetadataValue().setInstanceId("").setClientId("c")
                .setClientHost("/h").setRebalanceTimeoutMs(45_000).setTopologyEpoch(3).setProcessId("process-a")
                .setUserEndpoint(new StreamsGroupMemberMetadataValue.Endpoint().setHost("host").setPort(8080))
                .setClientTags(List.of(new StreamsGroupMemberMetadataValue.KeyValue().setKey("zone")
                        .setValue("eu-1")))), "an instance id Kafka writes as \"\" is none");

        StreamsGroupRecord.Current current = new StreamsGroupRecord.Current("app", "m-1", new StreamsMemberAssignment(
                9, 8, StreamsMemberAssignment.State.UNRELEASED_TASKS, tasks(Map.of("0", Set.of(0, 2)),
                Map.of("1", Set.of(0))), StreamsTasks.NONE, Map.of("0", Map.of(0, 9, 2, 9))));
        assertEquals(current, decode(current, new StreamsGroupCurrentMemberAssignmentValue().setMemberEpoch(9)
                .setPreviousMemberEpoch(8).setState((byte) 3)
                .setActiveTasks(List.of(current("0", List.of(2, 0), null)))
                .setStandbyTasks(List.of(current("1", List.of(0), null)))),
                "no epochs written: every active task given at the member's epoch, as Kafka reads it");

        for (StreamsGroupRecord record : List.of(epoch, assignment, topology, member, current,
                new StreamsGroupRecord.Target("app", "m-1", tasks(Map.of("0", Set.of(1)), Map.of())))) {
            assertEquals(record, StreamsGroupRecords.decode(StreamsGroupRecords.key(record),
                    StreamsGroupRecords.value(record)), "our own bytes read back: " + record.part());
        }
        StreamsGroupRecord.Removed gone = new StreamsGroupRecord.Removed(Part.CURRENT, "app", "m-1");
        assertNull(StreamsGroupRecords.value(gone));
        assertEquals(gone, StreamsGroupRecords.decode(StreamsGroupRecords.key(gone), null), "a tombstone");
    }

    @Test
    void other_keys_are_not_a_streams_groups_and_a_damaged_value_is_refused_naming_what_is_wrong() {
        assertFalse(StreamsGroupRecords.isStreamsGroupKey(GroupMetadataRecords.key("app")));
        assertFalse(StreamsGroupRecords.isStreamsGroupKey(ConsumerGroupRecords.key(
                new toykafka.broker.group.consumer.ConsumerGroupRecord.GroupEpoch("app", 1))));
        assertFalse(StreamsGroupRecords.isStreamsGroupKey(new byte[] {0, 18, 0, 0}), "18 is no type of Kafka's");
        StreamsGroupRecord.Current current = new StreamsGroupRecord.Current("app", "m-1", new StreamsMemberAssignment(
                3, 2, StreamsMemberAssignment.State.STABLE, tasks(Map.of("0", Set.of(0)), Map.of()), StreamsTasks.NONE,
                Map.of("0", Map.of(0, 3))));
        byte[] key = StreamsGroupRecords.key(current);
        assertTrue(StreamsGroupRecords.isStreamsGroupKey(key));
        byte[] whole = StreamsGroupRecords.value(current);
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> StreamsGroupRecords.decode(key, Arrays.copyOf(whole, whole.length - 3)));
        assertTrue(cut.getMessage().contains("ends before"), cut.getMessage());
        byte[] badState = whole.clone();
        badState[10] = 0; // the state, after the version and the two epochs: Kafka's streams states start at 1
        IllegalArgumentException state = assertThrows(IllegalArgumentException.class,
                () -> StreamsGroupRecords.decode(key, badState));
        assertTrue(state.getMessage().contains("state is 0"), state.getMessage());
    }
}
