package toykafka.broker.group.consumer;

import java.util.ArrayList;
import java.util.HashSet;
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
 * The server-side {@code uniform} assignor, Kafka 4's default (Kafka's {@code UniformAssignor}): every member ends with
 * as many partitions as any other, give or take one, and keeps as many of those it had as that allows. Balance comes
 * before stickiness.
 *
 * <p>When every member subscribes to the same topics (the usual case) it works as Kafka 4.1's homogeneous builder
 * does. Each member's quota is the partitions over the members; {@code partitions % members} of them may have one
 * more. A member keeps what it had up to its quota and gives back the rest. The one more goes to a member that
 * already holds it, or else, in member order, to the last members that can still take it. Then the members below
 * their quota take, in member order, the partitions nobody holds, in topic and partition order. When the subscriptions differ, a member keeps what
 * it had of its own topics, and each partition nobody holds goes to the subscriber that has the fewest: balanced among
 * the members that could take it, not always to within one across the group. Kafka's heterogeneous builder then moves
 * partitions about further.
 */
public final class UniformAssignor implements ServerAssignor {

    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public Map<String, SortedMap<TopicId, SortedSet<Integer>>> assign(List<Member> members,
                                                                      Map<TopicId, Integer> partitions) {
        Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment = ServerAssignor.nothingYet(members);
        if (members.isEmpty()) {
            return assignment;
        }
        boolean homogeneous = members.stream().map(Member::subscribed).distinct().count() == 1;
        if (homogeneous) {
            assignHomogeneous(members, partitions, assignment);
        } else {
            assignHeterogeneous(members, partitions, assignment);
        }
        return assignment;
    }

    // tag::uniform[]
    private static void assignHomogeneous(List<Member> members, Map<TopicId, Integer> partitions,
                                          Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment) {
        Set<TopicId> topics = ServerAssignor.topicsOf(members); // every member's, all alike
        List<Owned> free = unheld(members, topics, partitions);
        int total = topics.stream().mapToInt(topic -> ServerAssignor.partitionsOf(partitions, topic)).sum();
        int quota = total / members.size();
        int withOneMore = total % members.size();
        Map<String, Integer> room = new LinkedHashMap<>();
        for (int index = 0; index < members.size(); index++) {
            Member member = members.get(index);
            int left = quota;
            boolean oneMore = withOneMore > 0;
            if (oneMore) {
                left++;
            }
            for (Map.Entry<TopicId, SortedSet<Integer>> had : sorted(member.target()).entrySet()) {
                if (!topics.contains(had.getKey())) {
                    continue; // no longer subscribed: given up
                }
                for (int partition : had.getValue()) {
                    if (left > 0) {
                        left--;
                        take(assignment, member.memberId(), had.getKey(), partition);
                    } else {
                        free.add(new Owned(had.getKey(), partition)); // over its quota: given back
                    }
                }
            }
            // one more is kept only if it was used, or if every member still to come must take one
            if (left > 0 && oneMore && members.size() - index > withOneMore) {
                left--;
                oneMore = false;
            }
            if (oneMore) {
                withOneMore--;
            }
            if (left > 0) {
                room.put(member.memberId(), left);
            }
        }
        int next = 0;
        for (Map.Entry<String, Integer> member : room.entrySet()) {
            for (int i = 0; i < member.getValue() && next < free.size(); i++) {
                Owned partition = free.get(next++);
                take(assignment, member.getKey(), partition.topic(), partition.partition());
            }
        }
    }
    // end::uniform[]

    private static void assignHeterogeneous(List<Member> members, Map<TopicId, Integer> partitions,
                                            Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment) {
        Set<TopicId> topics = ServerAssignor.topicsOf(members);
        Set<Owned> held = new HashSet<>();
        for (Member member : members) {
            for (Map.Entry<TopicId, SortedSet<Integer>> had : sorted(member.target()).entrySet()) {
                if (!member.subscribed().contains(had.getKey())) {
                    continue;
                }
                for (int partition : had.getValue()) {
                    if (partition < ServerAssignor.partitionsOf(partitions, had.getKey())
                            && held.add(new Owned(had.getKey(), partition))) {
                        take(assignment, member.memberId(), had.getKey(), partition);
                    }
                }
            }
        }
        for (TopicId topic : topics) {
            List<Member> subscribers = members.stream().filter(member -> member.subscribed().contains(topic)).toList();
            for (int partition = 0; partition < ServerAssignor.partitionsOf(partitions, topic); partition++) {
                if (!held.contains(new Owned(topic, partition))) {
                    Member fewest = subscribers.get(0);
                    for (Member subscriber : subscribers) {
                        if (count(assignment, subscriber) < count(assignment, fewest)) {
                            fewest = subscriber;
                        }
                    }
                    take(assignment, fewest.memberId(), topic, partition);
                }
            }
        }
    }

    /** A partition of a topic. */
    private record Owned(TopicId topic, int partition) {
    }

    /** The partitions of these topics that no member's target holds, in topic and partition order. */
    private static List<Owned> unheld(List<Member> members, Set<TopicId> topics, Map<TopicId, Integer> partitions) {
        Set<Owned> held = new HashSet<>();
        members.forEach(member -> member.target().forEach((topic, owned) -> owned.forEach(partition ->
                held.add(new Owned(topic, partition)))));
        List<Owned> free = new ArrayList<>();
        for (TopicId topic : topics) {
            for (int partition = 0; partition < ServerAssignor.partitionsOf(partitions, topic); partition++) {
                if (!held.contains(new Owned(topic, partition))) {
                    free.add(new Owned(topic, partition));
                }
            }
        }
        return free;
    }

    private static SortedMap<TopicId, SortedSet<Integer>> sorted(Map<TopicId, Set<Integer>> target) {
        SortedMap<TopicId, SortedSet<Integer>> sorted = new TreeMap<>(TOPIC_ORDER);
        target.forEach((topic, owned) -> sorted.put(topic, new TreeSet<>(owned)));
        return sorted;
    }

    private static void take(Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment, String memberId,
                             TopicId topic, int partition) {
        assignment.get(memberId).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
    }

    private static int count(Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment, Member member) {
        return assignment.get(member.memberId()).values().stream().mapToInt(Set::size).sum();
    }
}
