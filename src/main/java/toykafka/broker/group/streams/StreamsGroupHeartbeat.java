package toykafka.broker.group.streams;

import java.util.List;
import java.util.Map;
import toykafka.common.Errors;

/**
 * The one request of Kafka's streams group protocol (KIP-1071's StreamsGroupHeartbeat) and its answer. A member joins
 * with epoch 0 and its application's topology, then heartbeats with the epoch it was given, sending only what changed:
 * a field it leaves null (or -1) is as it was. Tasks are named by subtopology id and partition.
 */
public final class StreamsGroupHeartbeat {

    /** The epoch a member joins with. */
    public static final int JOIN = 0;
    /** The epoch a member leaves with. */
    public static final int LEAVE = -1;
    /** The epoch a static member leaves with, meaning to come back under its instance id. */
    public static final int STATIC_LEAVE = -2;

    private StreamsGroupHeartbeat() {
    }

    /** What the answer may say of the group as a whole (Kafka's {@code StreamsGroupHeartbeatResponse.Status}). */
    public enum Status {
        STALE_TOPOLOGY(0),
        MISSING_SOURCE_TOPICS(1),
        INCORRECTLY_PARTITIONED_TOPICS(2),
        MISSING_INTERNAL_TOPICS(3),
        SHUTDOWN_APPLICATION(4),
        ASSIGNMENT_DELAYED(5),
        MISSING_CLIENT_TAGS(6);

        private final byte code;

        Status(int code) {
            this.code = (byte) code;
        }

        public byte code() {
            return code;
        }
    }

    /** A status and Kafka's words for it. */
    public record StatusDetail(Status status, String detail) {
    }

    /** A host and port where the member's application answers interactive queries. */
    public record Endpoint(String host, int port) {
    }

    /**
     * A member's heartbeat.
     *
     * @param topology    its application's topology: sent when it joins, null otherwise
     * @param active      the active tasks it owns now, by subtopology; null if unchanged (the three go together)
     * @param processId   the Streams instance the member is a thread of; null if unchanged
     * @param clientTags  its {@code client.tag.*} settings; null if unchanged
     * @param shutdownApplication whether the member asks every member of the application to shut down
     */
    public record Request(String groupId, String memberId, int memberEpoch, int endpointInformationEpoch,
                          String instanceId, String rackId, int rebalanceTimeoutMs, StreamsTopology topology,
                          Map<String, List<Integer>> active, Map<String, List<Integer>> standby,
                          Map<String, List<Integer>> warmup, String processId, Endpoint userEndpoint,
                          Map<String, String> clientTags, boolean shutdownApplication, String clientId,
                          String clientHost) {

        /** Why Kafka refuses the request before it looks at the group (its request validation), or null. */
        public String invalid() {
            if (memberId == null || memberId.isEmpty()) {
                return "MemberId can't be empty.";
            }
            if (instanceId != null && instanceId.isEmpty()) {
                return "InstanceId can't be empty.";
            }
            if (rackId != null && rackId.isEmpty()) {
                return "RackId can't be empty.";
            }
            if (topology != null && topology.invalid() != null) {
                return topology.invalid();
            }
            if (memberEpoch == StreamsGroupHeartbeat.JOIN) {
                if (rebalanceTimeoutMs == -1) {
                    return "RebalanceTimeoutMs must be provided in first request.";
                }
                if (active != null && !active.isEmpty()) {
                    return "ActiveTasks must be empty when (re-)joining.";
                }
                if (standby != null && !standby.isEmpty()) {
                    return "StandbyTasks must be empty when (re-)joining.";
                }
                if (warmup != null && !warmup.isEmpty()) {
                    return "WarmupTasks must be empty when (re-)joining.";
                }
                if (topology == null) {
                    return "Topology must be non-null when (re-)joining.";
                }
            } else if (memberEpoch == StreamsGroupHeartbeat.STATIC_LEAVE && instanceId == null) {
                return "InstanceId can't be null.";
            } else if (memberEpoch < StreamsGroupHeartbeat.STATIC_LEAVE) {
                return "MemberEpoch is " + memberEpoch + ", but must be greater than or equal to -2.";
            }
            if ((active != null || standby != null || warmup != null)
                    && (active == null || standby == null || warmup == null)) {
                return "If one task-type is non-null, all must be non-null.";
            }
            if (memberEpoch != StreamsGroupHeartbeat.JOIN && topology != null) {
                return "Topology can only be provided when (re-)joining.";
            }
            return null;
        }

        /** The tasks it says it owns, or null if it did not say. */
        StreamsTasks owned() {
            return active == null ? null : StreamsTasks.of(active, standby, warmup);
        }
    }

    /**
     * The answer: the member's epoch, how often to heartbeat, the group's statuses; and, when they changed (or it
     * joined), the tasks it runs from now on.
     *
     * @param taskOffsetIntervalMs how often the member reports its tasks' changelog offsets
     * @param acceptableRecoveryLag how far behind a task's state may be for it to count as caught up
     * @param tasks null when the member's tasks are as they were
     * @param endpoints each member's endpoint with the partitions of its tasks, for interactive queries; null if the
     *                  member has the group's endpoint information epoch already
     */
    public record Response(Errors error, String errorMessage, String memberId, int memberEpoch,
                           int heartbeatIntervalMs, int taskOffsetIntervalMs, long acceptableRecoveryLag,
                           List<StatusDetail> statuses, StreamsTasks tasks, int endpointInformationEpoch,
                           List<EndpointPartitions> endpoints) {

        /** A refusal: the error and why, the other fields at Kafka's defaults. */
        public static Response error(Errors error, String message) {
            return new Response(error, message, null, 0, 0, 0, -1, null, null, 0, null);
        }
    }

    /** A member's endpoint, and the partitions its active and standby tasks read, by topic. */
    public record EndpointPartitions(Endpoint endpoint, Map<String, List<Integer>> active,
                                     Map<String, List<Integer>> standby) {
    }
}
