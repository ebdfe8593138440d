package toykafka.broker.group.consumer;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import toykafka.common.Errors;
import toykafka.common.TopicId;

/**
 * The one request of Kafka 4's consumer group protocol (KIP-848's ConsumerGroupHeartbeat) and its answer. A member
 * joins with epoch 0, then heartbeats with the epoch it was given, sending only what changed: a field it leaves null
 * (or -1) is as it was.
 */
public final class ConsumerGroupHeartbeat {

    /** Epoch 0: the member (re)joins. */
    public static final int JOIN = 0;
    /** Epoch -1: the member leaves. */
    public static final int LEAVE = -1;
    /** Epoch -2: a static member leaves for a moment, keeping its partitions for its next instance. */
    public static final int STATIC_LEAVE = -2;

    private ConsumerGroupHeartbeat() {
    }

    /**
     * A member's heartbeat.
     *
     * @param memberId           the id the consumer made for itself (a UUID), kept for its whole life
     * @param instanceId         a static member's {@code group.instance.id}; null if none, or unchanged
     * @param rebalanceTimeoutMs how long it may take to give partitions up; -1 if unchanged
     * @param subscribedTopics   the topic names it subscribes to; null if unchanged
     * @param subscribedTopicRegex a regular expression (RE2/J) that names the topics it subscribes to, matched against
     *                           each whole topic name; null if unchanged, "" for none
     * @param serverAssignor     the assignor it asks for ({@code group.remote.assignor}); null if none, or unchanged
     * @param owned              the partitions it owns now; null if unchanged
     */
    public record Request(String groupId, String memberId, int memberEpoch, String instanceId, String rackId,
                          int rebalanceTimeoutMs, List<String> subscribedTopics, String subscribedTopicRegex,
                          String serverAssignor, Map<TopicId, ? extends java.util.Set<Integer>> owned, String clientId,
                          String clientHost) {

        /** A heartbeat that names its topics, if any, and no regular expression. */
        public Request(String groupId, String memberId, int memberEpoch, String instanceId, String rackId,
                       int rebalanceTimeoutMs, List<String> subscribedTopics, String serverAssignor,
                       Map<TopicId, ? extends java.util.Set<Integer>> owned, String clientId, String clientHost) {
            this(groupId, memberId, memberEpoch, instanceId, rackId, rebalanceTimeoutMs, subscribedTopics, null,
                    serverAssignor, owned, clientId, clientHost);
        }

        /** The same heartbeat from a member given this id (a join that came without one). */
        Request withMemberId(String id) {
            return new Request(groupId, id, memberEpoch, instanceId, rackId, rebalanceTimeoutMs, subscribedTopics,
                    subscribedTopicRegex, serverAssignor, owned, clientId, clientHost);
        }

        /** Why Kafka refuses the request before it looks at the group (its {@code throwIfConsumerGroupHeartbeatRequestIsInvalid}). */
        String invalid() {
            if (memberId() == null || memberId().isEmpty()) {
                return "MemberId can't be empty.";
            }
            if (instanceId() != null && instanceId().isEmpty()) {
                return "InstanceId can't be empty.";
            }
            if (rackId() != null && rackId().isEmpty()) {
                return "RackId can't be empty.";
            }
            if (memberEpoch() == JOIN) {
                if (rebalanceTimeoutMs() == -1) {
                    return "RebalanceTimeoutMs must be provided in first request.";
                }
                if (owned() == null || !owned().isEmpty()) {
                    return "TopicPartitions must be empty when (re-)joining.";
                }
                if (subscribedTopics() == null && subscribedTopicRegex() == null) {
                    return "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.";
                }
            } else if (memberEpoch() == STATIC_LEAVE && instanceId() == null) {
                return "InstanceId can't be null.";
            } else if (memberEpoch() < STATIC_LEAVE) {
                return "MemberEpoch is invalid.";
            }
            return null;
        }

        /** Whether it says everything, as a member does after its own fencing or a lost answer. */
        boolean full() {
            return rebalanceTimeoutMs != -1 && (subscribedTopics != null || subscribedTopicRegex != null)
                    && owned != null;
        }
    }

    /**
     * The answer: the member's epoch and how often to heartbeat; and, when it changed (or was asked for), the
     * partitions it owns from now on.
     *
     * @param assignment null when the member's partitions are as they were
     */
    public record Response(Errors error, String errorMessage, String memberId, int memberEpoch,
                           int heartbeatIntervalMs, Map<TopicId, SortedSet<Integer>> assignment) {

        /** A refusal: the error and why, and nothing else. */
        public static Response error(Errors error, String message) {
            return new Response(error, message, null, 0, 0, null);
        }
    }
}
