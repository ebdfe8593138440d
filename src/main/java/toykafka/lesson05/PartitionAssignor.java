package toykafka.lesson05;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.TopicPartition;

/**
 * Shares a group's partitions out among its members. Every partition of a topic that some member reads
 * goes to exactly one member that reads that topic. Members are taken in member-id order, as Kafka takes them.
 */
public interface PartitionAssignor {

    /** The name Kafka's partition.assignment.strategy knows this assignor by. */
    String name();

    /**
     * @param partitionsPerTopic how many partitions each topic has; topics missing here are skipped
     * @param subscriptions      each member's topics
     * @param currentAssignment  who owns what now, for assignors that try not to move partitions
     * @return every member, in member-id order, with its partitions in order (possibly none)
     */
    SortedMap<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                   Map<String, Set<String>> subscriptions,
                                                   Map<String, List<TopicPartition>> currentAssignment);

    default SortedMap<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                           Map<String, Set<String>> subscriptions) {
        return assign(partitionsPerTopic, subscriptions, Map.of());
    }

    /** Every member with an empty, growable list, in member-id order; refuses a missing argument first. */
    static SortedMap<String, List<TopicPartition>> emptyAssignment(Map<String, Integer> partitionsPerTopic,
                                                                   Map<String, Set<String>> subscriptions,
                                                                   Map<String, List<TopicPartition>> currentAssignment) {
        Objects.requireNonNull(partitionsPerTopic, "partitionsPerTopic is null: pass each topic's partition count,"
                + " or an empty map when there are no topics");
        Objects.requireNonNull(subscriptions, "subscriptions is null: pass each member's topics, or an empty map"
                + " when the group has no members");
        Objects.requireNonNull(currentAssignment, "currentAssignment is null: pass an empty map when nobody owns"
                + " anything yet");
        SortedMap<String, List<TopicPartition>> assignment = new TreeMap<>();
        subscriptions.keySet().forEach(member -> assignment.put(member, new ArrayList<>()));
        return assignment;
    }

    /** Every partition of every topic some member reads and that exists, by topic name, then number. */
    static List<TopicPartition> subscribedPartitions(Map<String, Integer> partitionsPerTopic,
                                                    Map<String, Set<String>> subscriptions) {
        Set<String> topics = new TreeSet<>();
        subscriptions.values().forEach(topics::addAll);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            int count = partitionsPerTopic.getOrDefault(topic, 0);
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        }
        return partitions;
    }

    /** The same assignment, each member's list sorted and unmodifiable. */
    static SortedMap<String, List<TopicPartition>> sorted(SortedMap<String, List<TopicPartition>> assignment) {
        SortedMap<String, List<TopicPartition>> result = new TreeMap<>();
        assignment.forEach((member, partitions) -> result.put(member, partitions.stream().sorted().toList()));
        return result;
    }
}
