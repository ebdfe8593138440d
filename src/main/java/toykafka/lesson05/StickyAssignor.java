package toykafka.lesson05;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import toykafka.common.TopicPartition;

/**
 * Balanced like round robin, but it moves as few partitions as it can: each member first keeps what it
 * owned, up to its fair share, and only the rest is dealt out, each to the member with fewest. Kafka's
 * StickyAssignor has the same aim and goes further when members read different topics.
 */
public final class StickyAssignor implements PartitionAssignor {

    @Override
    public String name() {
        return "sticky";
    }

    // tag::assign[]
    @Override
    public SortedMap<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                          Map<String, Set<String>> subscriptions,
                                                          Map<String, List<TopicPartition>> currentAssignment) {
        SortedMap<String, List<TopicPartition>> assignment = PartitionAssignor.emptyAssignment(partitionsPerTopic, subscriptions, currentAssignment);
        if (assignment.isEmpty()) {
            return assignment;
        }
        List<TopicPartition> all = PartitionAssignor.subscribedPartitions(partitionsPerTopic, subscriptions);
        Set<TopicPartition> unclaimed = new HashSet<>(all);
        int fairShare = all.size() / assignment.size();
        int sharesWithOneMore = all.size() % assignment.size();
        // 1. Keep: each member keeps what it still may own, up to the fair share, plus one if some remain.
        for (String member : assignment.keySet()) {
            List<TopicPartition> kept = assignment.get(member);
            for (TopicPartition owned : currentAssignment.getOrDefault(member, List.of()).stream().sorted().toList()) {
                boolean room = kept.size() < fairShare || (kept.size() == fairShare && sharesWithOneMore > 0);
                if (room && unclaimed.contains(owned) && subscriptions.get(member).contains(owned.topic())) {
                    if (kept.size() == fairShare) {
                        sharesWithOneMore--;
                    }
                    kept.add(owned);
                    unclaimed.remove(owned);
                }
            }
        }
        // 2. Deal: every partition nobody kept goes to the reader of its topic that has fewest so far.
        for (TopicPartition partition : all) {
            if (unclaimed.contains(partition)) {
                String reader = assignment.keySet().stream()
                        .filter(member -> subscriptions.get(member).contains(partition.topic()))
                        .min(Comparator.comparingInt((String member) -> assignment.get(member).size())
                                .thenComparing(Comparator.naturalOrder()))
                        .orElseThrow(); // some member reads this topic: that is why the partition is listed
                assignment.get(reader).add(partition);
            }
        }
        return PartitionAssignor.sorted(assignment);
    }
    // end::assign[]

    @Override
    public String toString() {
        return "StickyAssignor";
    }
}
