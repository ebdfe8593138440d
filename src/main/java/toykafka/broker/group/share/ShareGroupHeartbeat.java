package toykafka.broker.group.share;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import toykafka.common.Errors;
import toykafka.common.TopicId;

/**
 * The heartbeat of Kafka's share group protocol (KIP-932's ShareGroupHeartbeat) and its answer. A member makes its own
 * id, joins with epoch 0, leaves with -1, and otherwise sends the epoch it was given and only what changed: a field
 * it leaves null is as it was. There is nothing to give up before taking: a share partition's records are handed out
 * one by one, so a partition may be assigned to several members at once and a member takes its target at once.
 */
public final class ShareGroupHeartbeat {

    /** The epoch a member joins with. */
    public static final int JOIN = 0;
    /** The epoch a member leaves with. */
    public static final int LEAVE = -1;

    private ShareGroupHeartbeat() {
    }

    /**
     * A member's heartbeat.
     *
     * @param rackId           null if unchanged
     * @param subscribedTopics the topics it reads, null if unchanged
     */
    public record Request(String groupId, String memberId, int memberEpoch, String rackId,
                          List<String> subscribedTopics, String clientId, String clientHost) {

        public Request {
            subscribedTopics = subscribedTopics == null ? null : List.copyOf(subscribedTopics);
        }
    }

    /**
     * The answer: the member's epoch, how often to heartbeat, and its partitions by topic id when they changed, when it
     * joined, or when it sent its whole subscription (null otherwise).
     */
    public record Response(Errors error, String errorMessage, String memberId, int memberEpoch,
                           int heartbeatIntervalMs, Map<TopicId, SortedSet<Integer>> assignment) {

        public static Response error(Errors error, String message) {
            return new Response(error, message, null, 0, 0, null);
        }
    }
}
