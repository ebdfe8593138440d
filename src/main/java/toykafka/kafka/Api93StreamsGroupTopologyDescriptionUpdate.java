package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;

/**
 * StreamsGroupTopologyDescriptionUpdate (key 93), version 0, flexible: a Kafka Streams member's push of its
 * topology's description, node by node (KIP-1331), for {@code kafka-streams-groups --describe} to show. Kafka's
 * {@code KafkaApis.handleStreamsGroupTopologyDescriptionUpdate}. Kafka 4.4 advertises it, and keeps a description only
 * through a plugin named by {@code group.streams.topology.description.plugin.class}, which is not set by default ("When
 * not set, the feature is disabled"); this broker has no such setting, so it answers as Kafka 4.4 answers by default:
 * every request UNSUPPORTED_VERSION with Kafka's message, before the group or the member is looked at (Kafka checks
 * for the plugin first: a member not in the group gets UNKNOWN_MEMBER_ID only on a broker with one). A Streams client
 * pushes only when a heartbeat answer asks for it ({@code TopologyDescriptionRequired}, never set here, as on Kafka
 * without the plugin), and StreamsGroupDescribe answers a description NOT_STORED.
 *
 * <p>The request is read to its end, so a malformed one is refused as any is. Ignored: the description itself (not
 * kept).
 */
final class Api93StreamsGroupTopologyDescriptionUpdate extends Api {

    /** Kafka's words, from {@code GroupCoordinatorService.throwIfStreamsGroupTopologyDescriptionUpdateInvalid}. */
    static final String NO_PLUGIN = "The broker has no streams group topology description plugin configured.";

    Api93StreamsGroupTopologyDescriptionUpdate() {
        super(93, "StreamsGroupTopologyDescriptionUpdate", 0, 0, 0);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        String groupId = in.string("group_id");
        String memberId = in.string("member_id");
        int topologyEpoch = in.int32("topology_epoch");
        List<Integer> nodes = in.array("subtopologies", Api93StreamsGroupTopologyDescriptionUpdate::subtopology);
        List<Integer> globalStores = in.array("global_stores", store -> {
            node(store); // its source
            node(store); // its processor
            store.taggedFields("TopologyDescriptionGlobalStore");
            return 2;
        });
        in.taggedFields("TopologyDescription");
        in.taggedFields("StreamsGroupTopologyDescriptionUpdateRequest");
        request.asked(() -> groupId + " member " + memberId + ", topology epoch " + topologyEpoch + " with "
                + nodes.size() + " subtopologies of " + nodes.stream().mapToInt(Integer::intValue).sum()
                + " nodes and " + globalStores.size() + " global stores");
        request.answered(() -> Errors.UNSUPPORTED_VERSION + " (" + NO_PLUGIN + ")");
        ProtocolWriter out = responseWithThrottleTime(request).int16(Errors.UNSUPPORTED_VERSION.code())
                .nullableString(NO_PLUGIN);
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** Reads one subtopology and says how many nodes it has. */
    private static int subtopology(ProtocolReader in) {
        in.string("subtopology_id");
        int nodes = in.array("nodes", node -> {
            node(node);
            return 1;
        }).size();
        in.taggedFields("TopologyDescriptionSubtopology");
        return nodes;
    }

    /** Reads one node of the processing graph: a source, a processor or a sink. */
    private static void node(ProtocolReader in) {
        in.string("name");
        in.int8("node_type");
        in.array("source_topics", topic -> topic.string("source topic"));
        in.nullableString("sink_topic");
        in.array("stores", store -> store.string("store"));
        in.array("successors", successor -> successor.string("successor"));
        in.taggedFields("TopologyDescriptionNode");
    }
}
