package toykafka.kafka;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.streams.ConfiguredTopology;
import toykafka.broker.group.streams.DescribedStreamsGroup;
import toykafka.broker.group.streams.StreamsTasks;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * StreamsGroupDescribe (key 89), versions 0–1, flexible: each streams group with its state, epochs, topology (with
 * the partition counts the broker decided for its internal topics) and each member with its process, endpoint, and its
 * active, standby and warm-up tasks now and in its target. Kafka's {@code KafkaApis.handleStreamsGroupDescribe};
 * {@code kafka-streams-groups --describe} asks it. An id the broker does not know, or another type's group, is
 * GROUP_ID_NOT_FOUND with Kafka's message. v1 adds the topology description, which this broker never stores
 * ({@code TopologyDescriptionStatus} 1, NOT_STORED, when asked for; 0, NOT_REQUESTED, when not), and the assignor's
 * name. {@code include_authorized_operations} is answered from the authorizer (all of a group's when none is
 * configured). With an authorizer, as Kafka's handler answers: a group the principal may not DESCRIBE is
 * GROUP_AUTHORIZATION_FAILED, listed before the others, and one whose topology names a topic it may not DESCRIBE is
 * TOPIC_AUTHORIZATION_FAILED with no topology and no members. Ignored: members'
 * task offsets (always empty: the heartbeat's are not kept).
 */
final class Api89StreamsGroupDescribe extends BrokerApi {

    private static final byte NOT_REQUESTED = 0;
    private static final byte NOT_STORED = 1;

    private final AuthHelper auth;

    Api89StreamsGroupDescribe(Broker broker, AuthHelper auth) {
        super(broker, 89, "StreamsGroupDescribe", 0, 1, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<String> groupIds = in.array("group_ids", group -> group.string("group id"));
        boolean operations = in.bool("include_authorized_operations");
        boolean description = version >= 1 && in.bool("include_topology_description");
        in.taggedFields("StreamsGroupDescribeRequest");

        Set<String> refused = auth.refusedOf(request, AclOperation.DESCRIBE, ResourceType.GROUP, groupIds);
        List<DescribedStreamsGroup> groups = new ArrayList<>(groupIds.stream().filter(refused::contains)
                .map(id -> refused(id, Errors.GROUP_AUTHORIZATION_FAILED, null)).toList());
        askEach(request, groupIds.stream().filter(id -> !refused.contains(id)).toList(),
                broker.groupCoordinator()::describeStreamsGroup, g -> describedGroup(g.groupId(), g.error(),
                        g.state(), g.groupEpoch(), g.members().size()))
                .forEach(group -> groups.add(auth.mayDescribeTopics(request, topologyTopics(group)) ? group
                        : refused(group.groupId(), Errors.TOPIC_AUTHORIZATION_FAILED,
                        "The described group uses topics that the client is not authorized to describe.")));

        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(groups, (w, group) -> {
            boolean found = group.error() == Errors.NONE;
            w.int16(group.error().code()).nullableString(group.errorMessage()).string(group.groupId())
                    .string(found ? group.state() : "").int32(group.groupEpoch()).int32(group.assignmentEpoch());
            if (!found) {
                w.int8((byte) -1);
            } else {
                w.int8((byte) 1).int32(group.topologyEpoch());
                // never null: Kafka's admin client cannot read a topology without its subtopologies
                w.array(group.subtopologies() == null ? List.of() : group.subtopologies(),
                        Api89StreamsGroupDescribe::writeSubtopology);
                w.taggedFields();
            }
            w.array(group.members(), Api89StreamsGroupDescribe::writeMember);
            boolean refusedGroup = group.error() == Errors.GROUP_AUTHORIZATION_FAILED
                    || group.error() == Errors.TOPIC_AUTHORIZATION_FAILED; // Kafka leaves the default there
            w.int32(AuthorizedOperations.answer(operations && !refusedGroup, auth, request, ResourceType.GROUP,
                    group.groupId()));
            if (version >= 1) {
                w.int8((byte) -1); // TopologyDescription: none stored
                w.int8(description ? NOT_STORED : NOT_REQUESTED);
                w.nullableString(found ? group.assignor() : null);
            }
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** A group refused as Kafka's handler refuses it: only its id, the error and why. */
    private static DescribedStreamsGroup refused(String groupId, Errors error, String message) {
        return new DescribedStreamsGroup(error, message, groupId, "", 0, 0, -1, null, List.of(), null);
    }

    /** Every topic the group's topology names: those it reads and writes, and its internal ones. */
    private static Set<String> topologyTopics(DescribedStreamsGroup group) {
        Set<String> names = new HashSet<>();
        if (group.subtopologies() != null) {
            for (DescribedStreamsGroup.Subtopology sub : group.subtopologies()) {
                names.addAll(sub.sourceTopics());
                names.addAll(sub.repartitionSinkTopics());
                sub.repartitionSourceTopics().forEach(topic -> names.add(topic.name()));
                sub.changelogTopics().forEach(topic -> names.add(topic.name()));
            }
        }
        return names;
    }

    private static void writeSubtopology(ProtocolWriter out, DescribedStreamsGroup.Subtopology sub) {
        out.string(sub.id());
        out.array(sub.sourceTopics(), ProtocolWriter::string);
        out.array(sub.repartitionSinkTopics(), ProtocolWriter::string);
        out.array(sub.changelogTopics(), Api89StreamsGroupDescribe::writeTopicInfo);
        out.array(sub.repartitionSourceTopics(), Api89StreamsGroupDescribe::writeTopicInfo);
        out.taggedFields();
    }

    private static void writeTopicInfo(ProtocolWriter out, ConfiguredTopology.InternalTopic topic) {
        out.string(topic.name()).int32(topic.partitions()).int16(topic.replicationFactor());
        out.array(List.copyOf(topic.configs().entrySet()), (w, config) -> w.string(config.getKey())
                .string(config.getValue()).taggedFields());
        out.taggedFields();
    }

    private static void writeMember(ProtocolWriter out, DescribedStreamsGroup.Member member) {
        out.string(member.memberId()).int32(member.memberEpoch()).nullableString(member.instanceId())
                .nullableString(member.rackId()).string(member.clientId()).string(member.clientHost())
                .int32(member.topologyEpoch()).string(member.processId());
        if (member.userEndpoint() == null) {
            out.int8((byte) -1);
        } else {
            out.int8((byte) 1);
            Api88StreamsGroupHeartbeat.writeEndpoint(out, member.userEndpoint());
        }
        out.array(List.copyOf(member.clientTags().entrySet()), (w, tag) -> w.string(tag.getKey())
                .string(tag.getValue()).taggedFields());
        out.arrayLength(0); // TaskOffsets
        out.arrayLength(0); // TaskEndOffsets
        writeAssignment(out, member.assignment());
        writeAssignment(out, member.target());
        out.bool(false); // IsClassic: a streams group has no classic members
        out.taggedFields();
    }

    private static void writeAssignment(ProtocolWriter out, StreamsTasks tasks) {
        Api88StreamsGroupHeartbeat.writeTasks(out, tasks.active());
        Api88StreamsGroupHeartbeat.writeTasks(out, tasks.standby());
        Api88StreamsGroupHeartbeat.writeTasks(out, tasks.warmup());
        out.taggedFields();
    }
}
