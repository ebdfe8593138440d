package toykafka.lesson05;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import toykafka.common.TopicPartition;

/**
 * Kafka's RoundRobinAssignor: line up every partition of every topic read (by topic name, then number),
 * and deal them to the members in id order, round and round. A member that does not read a partition's
 * topic is passed over for that partition.
 */
public final class RoundRobinAssignor implements PartitionAssignor {

    @Override
    public String name() {
        return "roundrobin";
    }

    // tag::assign[]
    @Override
    public SortedMap<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                          Map<String, Set<String>> subscriptions,
                                                          Map<String, List<TopicPartition>> currentAssignment) {
        SortedMap<String, List<TopicPartition>> assignment = PartitionAssignor.emptyAssignment(partitionsPerTopic, subscriptions, currentAssignment);
        List<String> members = new ArrayList<>(assignment.keySet());
        int turn = 0;
        for (TopicPartition partition : PartitionAssignor.subscribedPartitions(partitionsPerTopic, subscriptions)) {
            // Some member reads this topic (that is why it is in the list), so this loop ends.
            while (!subscriptions.get(members.get(turn % members.size())).contains(partition.topic())) {
                turn++;
            }
            assignment.get(members.get(turn % members.size())).add(partition);
            turn++;
        }
        return PartitionAssignor.sorted(assignment);
    }
    // end::assign[]

    @Override
    public String toString() {
        return "RoundRobinAssignor";
    }
}
