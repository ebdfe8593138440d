package toykafka.lesson05;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.TopicPartition;

/**
 * Kafka's RangeAssignor: topic by topic, cut the partitions into consecutive ranges, one per member that
 * reads the topic. When they do not divide evenly, the first members in id order get one extra. Because
 * each topic is cut on its own, the same members get the extras every time.
 */
public final class RangeAssignor implements PartitionAssignor {

    @Override
    public String name() {
        return "range";
    }

    // tag::assign[]
    @Override
    public SortedMap<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                          Map<String, Set<String>> subscriptions,
                                                          Map<String, List<TopicPartition>> currentAssignment) {
        SortedMap<String, List<TopicPartition>> assignment = PartitionAssignor.emptyAssignment(partitionsPerTopic, subscriptions, currentAssignment);
        for (Map.Entry<String, Integer> topic : new TreeMap<>(partitionsPerTopic).entrySet()) {
            List<String> readers = assignment.keySet().stream()
                    .filter(member -> subscriptions.get(member).contains(topic.getKey()))
                    .toList(); // in member-id order
            if (readers.isEmpty()) {
                continue;
            }
            int each = topic.getValue() / readers.size();
            int withOneMore = topic.getValue() % readers.size();
            int next = 0;
            for (int i = 0; i < readers.size(); i++) {
                int count = each + (i < withOneMore ? 1 : 0);
                for (int p = next; p < next + count; p++) {
                    assignment.get(readers.get(i)).add(new TopicPartition(topic.getKey(), p));
                }
                next += count;
            }
        }
        return PartitionAssignor.sorted(assignment);
    }
    // end::assign[]

    @Override
    public String toString() {
        return "RangeAssignor";
    }
}
