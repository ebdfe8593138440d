package toykafka.broker.group.streams;

import java.util.List;
import java.util.Map;
import toykafka.common.Errors;

/**
 * A streams group as StreamsGroupDescribe shows it: its state, epochs, topology (configured, if it is ready) and
 * each member with its tasks now and in its target.
 *
 * @param subtopologies null if the topology is not configured (topics missing or not copartitioned)
 */
public record DescribedStreamsGroup(Errors error, String errorMessage, String groupId, String state, int groupEpoch,
                                    int assignmentEpoch, int topologyEpoch, List<Subtopology> subtopologies,
                                    List<Member> members, String assignor) {

    /** A subtopology with its internal topics' partition counts as configured. */
    public record Subtopology(String id, List<String> sourceTopics, List<String> repartitionSinkTopics,
                              List<ConfiguredTopology.InternalTopic> changelogTopics,
                              List<ConfiguredTopology.InternalTopic> repartitionSourceTopics) {
    }

    public record Member(String memberId, int memberEpoch, String instanceId, String rackId, String clientId,
                         String clientHost, int topologyEpoch, String processId,
                         StreamsGroupHeartbeat.Endpoint userEndpoint, Map<String, String> clientTags,
                         StreamsTasks assignment, StreamsTasks target) {
    }

    public static DescribedStreamsGroup notFound(String groupId, String message) {
        return new DescribedStreamsGroup(Errors.GROUP_ID_NOT_FOUND, message, groupId, "Dead", 0, 0, -1, null,
                List.of(), null);
    }
}
