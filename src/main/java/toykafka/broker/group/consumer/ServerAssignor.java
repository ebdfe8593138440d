package toykafka.broker.group.consumer;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.TopicId;

/**
 * An assignor that runs in the broker, as Kafka 4's consumer group protocol (KIP-848) has it: the coordinator, not a
 * leader among the members, decides which member owns which partition (Kafka's
 * {@code ConsumerGroupPartitionAssignor}, chosen by {@code group.remote.assignor}). It is given every member with the
 * topics it subscribes to and the partitions it is meant to own now (its current target), and answers each member's
 * new target. It reads nothing else and keeps nothing between calls, so the same question always has the same
 * answer.
 */
public interface ServerAssignor {

    /** The name a consumer asks for it by: {@code uniform} or {@code range}. */
    String name();

    /**
     * Each member's new target: for each topic, the partitions it is to own. Every partition of a subscribed topic
     * goes to exactly one member that subscribes to it; a member with nothing has an empty map.
     *
     * @param members    in the order ties are broken in: the coordinator gives them sorted by member id
     * @param partitions how many partitions each topic has, for every topic some member subscribes to
     */
    Map<String, SortedMap<TopicId, SortedSet<Integer>>> assign(List<Member> members, Map<TopicId, Integer> partitions);

    /**
     * One member as an assignor sees it.
     *
     * @param instanceId a static member's {@code group.instance.id}, or null
     * @param target     the partitions it is meant to own now, by topic: empty for a member that just joined
     */
    record Member(String memberId, String instanceId, Set<TopicId> subscribed, Map<TopicId, Set<Integer>> target) {
        public Member {
            subscribed = Set.copyOf(subscribed);
            Map<TopicId, Set<Integer>> copied = new java.util.HashMap<>();
            target.forEach((topic, owned) -> copied.put(topic, Set.copyOf(owned)));
            target = Map.copyOf(copied);
        }
    }

    /** Topic ids in one fixed order, so that an assignment never depends on how a set happened to be stored. */
    Comparator<TopicId> TOPIC_ORDER = Comparator.comparingLong(TopicId::mostSignificantBits)
            .thenComparingLong(TopicId::leastSignificantBits);

    /** An answer to fill in: every member, in the order given, with nothing yet. */
    static Map<String, SortedMap<TopicId, SortedSet<Integer>>> nothingYet(List<Member> members) {
        Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment = new LinkedHashMap<>();
        members.forEach(member -> assignment.put(member.memberId(), new TreeMap<>(TOPIC_ORDER)));
        return assignment;
    }

    /** Every topic some member subscribes to, in {@link #TOPIC_ORDER}. */
    static SortedSet<TopicId> topicsOf(List<Member> members) {
        SortedSet<TopicId> topics = new TreeSet<>(TOPIC_ORDER);
        members.forEach(member -> topics.addAll(member.subscribed()));
        return topics;
    }

    /** A subscribed topic's partition count; the coordinator passes only topics that exist. */
    static int partitionsOf(Map<TopicId, Integer> partitions, TopicId topic) {
        Integer count = partitions.get(topic);
        if (count == null) {
            throw new IllegalArgumentException("a member subscribes to topic id " + topic + ", which has no partition"
                    + " count: the coordinator passes only topics that exist");
        }
        return count;
    }

    /** The assignors {@code group.consumer.assignors} names, in its order. */
    static List<ServerAssignor> named(List<String> names) {
        return names.stream().map(name -> name.equals("range") ? (ServerAssignor) new RangeAssignor()
                : new UniformAssignor()).toList();
    }
}
