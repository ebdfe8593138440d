package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import toykafka.broker.Broker;
import toykafka.broker.group.streams.StreamsGroupHeartbeat;
import toykafka.broker.group.streams.StreamsTasks;
import toykafka.broker.group.streams.StreamsTopology;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

// tag::streams-heartbeat[]
/**
 * StreamsGroupHeartbeat (key 88), versions 0–1, flexible: the one request of Kafka Streams' group protocol
 * (KIP-1071), which a Streams application with {@code group.protocol=streams} sends from each stream thread. Kafka's
 * {@code KafkaApis.handleStreamsGroupHeartbeat}. Epoch 0 joins with the application's topology, -1 leaves, -2 is a
 * static member's leave for a moment; any other is the epoch the member was given, and the heartbeat says what changed
 * (the tasks it owns, its endpoint). The answer comes at once: the member's epoch, how often to heartbeat, the group's
 * statuses (source topics missing, internal topics being made, a stale topology, ...), and, when they changed, its
 * active, standby and warm-up tasks by subtopology. The broker makes the internal topics the topology needs.
 *
 * <p>Version 1 adds {@code AcceptableRecoveryLag} (v0's 32-bit {@code AcceptableRecoveryLagLegacy} is answered 0,
 * its default, as Kafka 4.4 never sets it) and
 * {@code TopologyDescriptionRequired}, always false here, as on Kafka 4.4 with no topology description plugin (its
 * default): this broker keeps no topology descriptions, and answers each StreamsGroupTopologyDescriptionUpdate
 * UNSUPPORTED_VERSION as such a Kafka does ({@link Api93StreamsGroupTopologyDescriptionUpdate}). Ignored:
 * {@code TaskOffsets} and {@code TaskEndOffsets}, with which Kafka 4.4's assignor ranks the members that may take a
 * standby task by how far their copy of its state got (here the members that had it as a standby come first, in
 * member id order).
 *
 * <p>With an authorizer, as Kafka's handler checks before the coordinator hears of it: the group needs READ, else
 * GROUP_AUTHORIZATION_FAILED, and every topic a topology sent names (read, written, repartition and changelog) DESCRIBE,
 * else TOPIC_AUTHORIZATION_FAILED; both with no message. An internal topic is made only for a principal who may
 * CREATE on the cluster or on that topic; the others are named in the MISSING_INTERNAL_TOPICS status ("Unauthorized
 * to CREATE on topics …"), and the members wait without tasks, as on Kafka.
 */
final class Api88StreamsGroupHeartbeat extends BrokerApi {
    // end::streams-heartbeat[]

    private final AuthHelper auth;

    Api88StreamsGroupHeartbeat(Broker broker, AuthHelper auth) {
        super(broker, 88, "StreamsGroupHeartbeat", 0, 1, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        HeartbeatMemberFields member = HeartbeatMemberFields.read(in);
        int endpointEpoch = in.int32("endpoint_information_epoch");
        String instanceId = in.nullableString("instance_id");
        String rackId = in.nullableString("rack_id");
        int rebalanceTimeoutMs = in.int32("rebalance_timeout_ms");
        StreamsTopology topology = readTopology(in);
        Map<String, List<Integer>> active = readTasks(in, "active_tasks");
        Map<String, List<Integer>> standby = readTasks(in, "standby_tasks");
        Map<String, List<Integer>> warmup = readTasks(in, "warmup_tasks");
        String processId = in.nullableString("process_id");
        StreamsGroupHeartbeat.Endpoint endpoint = readEndpoint(in);
        List<Map.Entry<String, String>> tags = in.nullableArray("client_tags", Api88StreamsGroupHeartbeat::keyValue);
        in.nullableArray("task_offsets", Api88StreamsGroupHeartbeat::taskOffset);
        in.nullableArray("task_end_offsets", Api88StreamsGroupHeartbeat::taskOffset);
        boolean shutdown = in.bool("shutdown_application");
        in.taggedFields("StreamsGroupHeartbeatRequest");
        request.asked(() -> member
                + (topology == null ? "" : ", topology epoch " + topology.epoch() + " with "
                + topology.subtopologies().size() + " subtopologies")
                + (active == null ? "" : ", owning active " + active + " standby " + standby + " warmup " + warmup));

        Errors refused = auth.heartbeatRefusal(request, member.groupId(), topology == null ? null
                : topology.subtopologies().values().stream().flatMap(sub -> Stream.of(sub.sourceTopics().stream(),
                        sub.repartitionSinkTopics().stream(), sub.repartitionSourceTopics().stream()
                                .map(StreamsTopology.TopicInfo::name), sub.changelogTopics().stream()
                                .map(StreamsTopology.TopicInfo::name)).flatMap(names -> names)).toList());
        if (refused != Errors.NONE) {
            return answer(StreamsGroupHeartbeat.Response.error(refused, null), version, request);
        }
        Map<String, String> clientTags = null;
        if (tags != null) {
            clientTags = new LinkedHashMap<>();
            for (Map.Entry<String, String> tag : tags) {
                clientTags.put(tag.getKey(), tag.getValue());
            }
        }
        StreamsGroupHeartbeat.Response answer = broker.groupCoordinator().streamsGroupHeartbeat(
                new StreamsGroupHeartbeat.Request(member.groupId(), member.memberId(), member.memberEpoch(),
                        endpointEpoch, instanceId, rackId, rebalanceTimeoutMs, topology, active, standby, warmup,
                        processId, endpoint, clientTags, shutdown, request.header().clientId(), request.clientHost()),
                topic -> auth.authorize(request, AclOperation.CREATE, ResourceType.CLUSTER,
                        ResourcePattern.CLUSTER_NAME) || auth.authorize(request, AclOperation.CREATE, ResourceType.TOPIC,
                        topic));
        return answer(answer, version, request);
    }

    private static CompletableFuture<ProtocolWriter> answer(StreamsGroupHeartbeat.Response answer, short version,
                                                            Request request) {
        request.answered(() -> answer.error() + (answer.errorMessage() == null ? "" : " (" + answer.errorMessage()
                + ")") + ", epoch " + answer.memberEpoch() + (answer.statuses() == null || answer.statuses().isEmpty()
                ? "" : ", status " + answer.statuses()) + (answer.tasks() == null ? "" : ", tasks " + answer.tasks()));

        ProtocolWriter out = responseWithThrottleTime(request);
        out.int16(answer.error().code()).nullableString(answer.errorMessage())
                .string(answer.memberId() == null ? "" : answer.memberId()).int32(answer.memberEpoch())
                .int32(answer.heartbeatIntervalMs());
        if (version == 0) {
            out.int32(0); // AcceptableRecoveryLagLegacy: Kafka 4.4 sets only v1's field, so v0 answers its default
        }
        out.int32(answer.taskOffsetIntervalMs());
        if (version >= 1) {
            out.int64(answer.acceptableRecoveryLag());
        }
        if (answer.statuses() == null) {
            out.arrayLength(-1);
        } else {
            out.array(answer.statuses(), (w, status) -> w.int8(status.status().code()).string(status.detail())
                    .taggedFields());
        }
        StreamsTasks tasks = answer.tasks();
        writeTasks(out, tasks == null ? null : tasks.active());
        writeTasks(out, tasks == null ? null : tasks.standby());
        writeTasks(out, tasks == null ? null : tasks.warmup());
        if (version >= 1) {
            out.bool(false); // TopologyDescriptionRequired: no descriptions are kept here
        }
        out.int32(answer.endpointInformationEpoch());
        if (answer.endpoints() == null) {
            out.arrayLength(-1);
        } else {
            out.array(answer.endpoints(), (w, endpoint) -> {
                writeEndpoint(w, endpoint.endpoint());
                writePartitions(w, endpoint.active());
                writePartitions(w, endpoint.standby());
                w.taggedFields();
            });
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** Tasks by subtopology, as the Streams group APIs' {@code TaskIds} have them; a null array for null. */
    static void writeTasks(ProtocolWriter out, SortedMap<String, ? extends Set<Integer>> tasks) {
        if (tasks == null) {
            out.arrayLength(-1);
            return;
        }
        out.array(List.copyOf(tasks.entrySet()), (w, sub) -> {
            w.string(sub.getKey());
            w.array(List.copyOf(sub.getValue()), (p, partition) -> p.int32(partition));
            w.taggedFields();
        });
    }

    private static void writePartitions(ProtocolWriter out, Map<String, List<Integer>> partitions) {
        out.array(List.copyOf(partitions.entrySet()), (w, topic) -> {
            w.string(topic.getKey());
            w.array(topic.getValue(), (p, partition) -> p.int32(partition));
            w.taggedFields();
        });
    }

    static void writeEndpoint(ProtocolWriter out, StreamsGroupHeartbeat.Endpoint endpoint) {
        out.string(endpoint.host()).int16((short) endpoint.port()).taggedFields();
    }

    /** The topology a joining member sends, or null; copartition groups are resolved to topic names. */
    private static StreamsTopology readTopology(ProtocolReader in) {
        // Topology is a nullable struct: a signed byte, -1 for null, 1 for present
        if (in.int8("topology") < 0) {
            return null;
        }
        int epoch = in.int32("topology epoch");
        List<StreamsTopology.Subtopology> subtopologies = in.array("subtopologies", sub -> {
            String id = sub.string("subtopology_id");
            List<String> sources = sub.array("source_topics", t -> t.string("source topic"));
            List<String> regexes = sub.array("source_topic_regex", t -> t.string("source topic regex"));
            List<StreamsTopology.TopicInfo> changelogs = sub.array("state_changelog_topics",
                    Api88StreamsGroupHeartbeat::topicInfo);
            List<String> sinks = sub.array("repartition_sink_topics", t -> t.string("repartition sink topic"));
            List<StreamsTopology.TopicInfo> repartitionSources = sub.array("repartition_source_topics",
                    Api88StreamsGroupHeartbeat::topicInfo);
            List<Set<String>> copartition = sub.array("copartition_groups", group -> {
                List<Short> sourceIndexes = group.array("source_topics", i -> i.int16("index"));
                group.array("source_topic_regex", i -> i.int16("index"));
                List<Short> repartitionIndexes = group.array("repartition_source_topics", i -> i.int16("index"));
                group.taggedFields("CopartitionGroup");
                Set<String> names = new java.util.TreeSet<>();
                sourceIndexes.forEach(i -> names.add(at(sources, i, "SourceTopics")));
                repartitionIndexes.forEach(i -> names.add(at(repartitionSources, i, "RepartitionSourceTopics").name()));
                return names;
            });
            sub.taggedFields("Subtopology");
            return new StreamsTopology.Subtopology(id, sources, regexes, sinks, repartitionSources, changelogs,
                    copartition);
        });
        in.taggedFields("Topology");
        SortedMap<String, StreamsTopology.Subtopology> byId = new TreeMap<>();
        subtopologies.forEach(sub -> byId.put(sub.id(), sub));
        return new StreamsTopology(epoch, byId);
    }

    private static <T> T at(List<T> items, short index, String field) {
        if (index < 0 || index >= items.size()) {
            throw new toykafka.common.InvalidRequestException("a copartition group names index " + index + " of "
                    + field + ", which has " + items.size() + " entries (0 to " + (items.size() - 1) + ")");
        }
        return items.get(index);
    }

    private static StreamsTopology.TopicInfo topicInfo(ProtocolReader in) {
        String name = in.string("topic name");
        int partitions = in.int32("partitions");
        short replication = in.int16("replication_factor");
        List<Map.Entry<String, String>> configs = in.array("topic_configs", Api88StreamsGroupHeartbeat::keyValue);
        in.taggedFields("TopicInfo");
        Map<String, String> byName = new LinkedHashMap<>();
        configs.forEach(config -> byName.put(config.getKey(), config.getValue()));
        return new StreamsTopology.TopicInfo(name, partitions, replication, byName);
    }

    private static Map.Entry<String, String> keyValue(ProtocolReader in) {
        String key = in.string("key");
        String value = in.string("value");
        in.taggedFields("KeyValue");
        return Map.entry(key, value);
    }

    private static String taskOffset(ProtocolReader in) {
        String sub = in.string("subtopology_id");
        int partition = in.int32("partition");
        long offset = in.int64("offset");
        in.taggedFields("TaskOffset");
        return sub + "_" + partition + "@" + offset;
    }

    /** Tasks by subtopology, or null if the member did not say. */
    private static Map<String, List<Integer>> readTasks(ProtocolReader in, String field) {
        List<Map.Entry<String, List<Integer>>> tasks = in.nullableArray(field, t -> {
            String sub = t.string("subtopology_id");
            List<Integer> partitions = t.array("partitions", p -> p.int32("partition"));
            t.taggedFields("TaskIds");
            return Map.entry(sub, partitions);
        });
        if (tasks == null) {
            return null;
        }
        Map<String, List<Integer>> bySub = new LinkedHashMap<>();
        tasks.forEach(task -> bySub.computeIfAbsent(task.getKey(), k -> new ArrayList<>()).addAll(task.getValue()));
        return bySub;
    }

    /** The nullable Endpoint struct, as the request has it. */
    private static StreamsGroupHeartbeat.Endpoint readEndpoint(ProtocolReader in) {
        if (in.int8("user_endpoint") < 0) {
            return null;
        }
        String host = in.string("host");
        int port = Short.toUnsignedInt(in.int16("port"));
        in.taggedFields("Endpoint");
        return new StreamsGroupHeartbeat.Endpoint(host, port);
    }
}
