package toykafka.broker.group.consumer;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import toykafka.common.TopicId;

/**
 * The server-side {@code range} assignor (Kafka 4.1's {@code RangeAssignor} in its group coordinator), topic by topic:
 * the subscribers, static members first in the order of their instance ids and then the rest in the order of their
 * member ids, each get a run of {@code partitions / subscribers} partitions, the first {@code partitions %
 * subscribers} of them one more. What a member had before plays no part: the same members always get the same runs,
 * and with every member subscribed to topics of equal partition counts a member gets the same partition numbers of
 * each, which a join of co-partitioned topics needs. Static members keep their place in the order across restarts,
 * and so their partitions.
 */
public final class RangeAssignor implements ServerAssignor {

    /** Static members first, by instance id; then the others, by member id. */
    private static final Comparator<Member> ORDER = Comparator
            .comparing((Member member) -> member.instanceId() == null)
            .thenComparing(member -> member.instanceId() == null ? "" : member.instanceId())
            .thenComparing(Member::memberId);

    @Override
    public String name() {
        return "range";
    }

    @Override
    public Map<String, SortedMap<TopicId, SortedSet<Integer>>> assign(List<Member> members,
                                                                      Map<TopicId, Integer> partitions) {
        Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment = ServerAssignor.nothingYet(members);
        List<Member> ordered = members.stream().sorted(ORDER).toList();
        for (TopicId topic : ServerAssignor.topicsOf(members)) {
            List<Member> subscribers = ordered.stream().filter(member -> member.subscribed().contains(topic)).toList();
            int count = ServerAssignor.partitionsOf(partitions, topic);
            int share = count / subscribers.size();
            int withOneMore = count % subscribers.size();
            int next = 0;
            for (Member member : subscribers) {
                int run = share + (withOneMore-- > 0 ? 1 : 0);
                for (int partition = next; partition < next + run; partition++) {
                    assignment.get(member.memberId()).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
                }
                next += run;
            }
        }
        return assignment;
    }
}
