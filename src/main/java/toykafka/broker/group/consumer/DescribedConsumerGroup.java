package toykafka.broker.group.consumer;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import toykafka.common.Errors;
import toykafka.common.TopicId;

/**
 * A consumer group of Kafka 4's protocol as ConsumerGroupDescribe shows it: its state, its epoch and the epoch of its
 * targets, the assignor that computed them, and each member with what it owns now and what it is to own.
 *
 * @param state      Kafka's name for it: Empty, Assigning, Reconciling or Stable
 * @param topicNames the name of each topic the members' partitions belong to
 */
public record DescribedConsumerGroup(Errors error, String errorMessage, String groupId, String state, int groupEpoch,
                                     int assignmentEpoch, String assignor, List<Member> members,
                                     Map<TopicId, String> topicNames) {

    /**
     * One member.
     *
     * @param instanceId a static member's {@code group.instance.id}, or null
     * @param subscribedTopicRegex the regular expression it subscribes with, or null
     * @param assignment the partitions it owns now, by topic id
     * @param target     the partitions it is to own at the group's assignment epoch
     * @param classic    whether it speaks the classic protocol (JoinGroup, SyncGroup, Heartbeat)
     */
    public record Member(String memberId, String instanceId, String rackId, int memberEpoch, String clientId,
                         String clientHost, List<String> subscribedTopicNames, String subscribedTopicRegex,
                         SortedMap<TopicId, SortedSet<Integer>> assignment,
                         SortedMap<TopicId, SortedSet<Integer>> target, boolean classic) {
    }

    public static DescribedConsumerGroup notFound(String groupId, String message) {
        return new DescribedConsumerGroup(Errors.GROUP_ID_NOT_FOUND, message, groupId, "Dead", 0, 0, "", List.of(),
                Map.of());
    }
}
