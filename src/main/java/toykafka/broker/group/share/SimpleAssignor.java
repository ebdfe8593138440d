package toykafka.broker.group.share;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.TopicId;

/**
 * The share group assignor, {@code simple} (Kafka's {@code SimpleAssignor}): every partition of the subscribed topics
 * goes to at least one member, and, when there are more members than partitions, to several, for records of a share
 * partition are handed out one by one, never to two members at once. Each member keeps what it had as far as balance
 * allows.
 *
 * <p>When every member subscribes to the same topics it spreads all their partitions over all members at once, as
 * Kafka's homogeneous builder does; otherwise each topic over its own subscribers, as the heterogeneous one does.
 * Kafka walks its members and partitions in hash order; this walks members by id and partitions by topic and number,
 * so the same group always gets the same assignment.
 */
public final class SimpleAssignor {

    /** The order topics are walked in, and kept in: by id. */
    public static final Comparator<TopicId> TOPIC_ORDER = Comparator.comparingLong(TopicId::mostSignificantBits)
            .thenComparingLong(TopicId::leastSignificantBits);

    /**
     * A member of a share group as the assignor sees it.
     *
     * @param previous the partitions it was assigned last time, by topic
     */
    public record Member(String memberId, Set<TopicId> subscribed, Map<TopicId, Set<Integer>> previous) {

        public Member {
            subscribed = Set.copyOf(subscribed);
            Map<TopicId, Set<Integer>> copied = new TreeMap<>(TOPIC_ORDER);
            previous.forEach((topic, held) -> copied.put(topic, Set.copyOf(held)));
            previous = Map.copyOf(copied);
        }
    }

    public String name() {
        return "simple";
    }

    /**
     * Each member's partitions, by topic, out of the partitions that may be assigned (Kafka's {@code
     * assignablePartitions}: those whose share state is initialized); a member with nothing has an empty map.
     *
     * @param assignable each subscribed topic's partitions that may be assigned, perhaps none
     * @throws IllegalArgumentException if a member subscribes to a topic {@code assignable} does not know
     */
    public Map<String, SortedMap<TopicId, SortedSet<Integer>>> assign(
            List<Member> members, Map<TopicId, ? extends Set<Integer>> assignable) {
        List<Member> byId = members.stream().sorted(Comparator.comparing(Member::memberId)).toList();
        Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment = new TreeMap<>();
        byId.forEach(member -> assignment.put(member.memberId(), new TreeMap<>(TOPIC_ORDER)));
        SortedSet<TopicId> topics = new TreeSet<>(TOPIC_ORDER);
        byId.forEach(member -> topics.addAll(member.subscribed()));
        for (TopicId topic : topics) {
            if (assignable.get(topic) == null) {
                throw new IllegalArgumentException("Members are subscribed to topic " + topic
                        + " which doesn't exist in the topic metadata.");
            }
        }
        boolean homogeneous = byId.stream().map(Member::subscribed).distinct().count() == 1;
        if (homogeneous) {
            spread(byId, topics, assignable, assignment);
        } else {
            for (TopicId topic : topics) {
                List<Member> subscribers = byId.stream().filter(member -> member.subscribed().contains(topic)).toList();
                spread(subscribers, Set.of(topic), assignable, assignment);
            }
        }
        return assignment;
    }

    // tag::simple-assignor[]
    /**
     * Spreads the partitions of {@code topics} over {@code members}. Each partition is shared by at most
     * ceil(members / partitions) of them; the n-th member's quota is how far the running total of
     * sharing * partitions / members moves when it is counted, so quotas differ by one at most. A member keeps what it
     * had until its quota is full, a partition keeps its members until its sharing is, and the partitions short of
     * members then take, in turn, the members short of partitions that do not hold them yet.
     */
    private static void spread(List<Member> members, Set<TopicId> topics,
                               Map<TopicId, ? extends Set<Integer>> assignable,
                               Map<String, SortedMap<TopicId, SortedSet<Integer>>> assignment) {
        List<Slot> slots = new ArrayList<>();
        topics.stream().sorted(TOPIC_ORDER).forEach(topic -> new TreeSet<>(assignable.get(topic))
                .forEach(partition -> slots.add(new Slot(topic, partition))));
        if (slots.isEmpty() || members.isEmpty()) {
            return;
        }
        long sharing = (members.size() + slots.size() - 1) / slots.size();
        long shares = sharing * slots.size();
        Map<Slot, List<String>> holders = new TreeMap<>();
        slots.forEach(slot -> holders.put(slot, new ArrayList<>()));
        Map<String, List<Slot>> held = new TreeMap<>();
        Map<String, Integer> quota = new TreeMap<>();
        for (int index = 0; index < members.size(); index++) {
            Member member = members.get(index);
            int ownQuota = (int) (ceilDiv(shares * (index + 1), members.size()) - ceilDiv(shares * index, members.size()));
            quota.put(member.memberId(), ownQuota);
            List<Slot> kept = new ArrayList<>();
            for (Slot slot : slots) {
                Set<Integer> before = member.previous().getOrDefault(slot.topic(), Set.of());
                if (before.contains(slot.partition()) && kept.size() < ownQuota) {
                    kept.add(slot);
                }
            }
            held.put(member.memberId(), kept);
            kept.forEach(slot -> holders.get(slot).add(member.memberId()));
        }
        holders.forEach((slot, memberIds) -> {
            while (memberIds.size() > sharing) {
                held.get(memberIds.remove(memberIds.size() - 1)).remove(slot);
            }
        });
        List<String> wanting = new ArrayList<>();
        members.forEach(member -> {
            if (held.get(member.memberId()).size() < quota.get(member.memberId())) {
                wanting.add(member.memberId());
            }
        });
        int next = 0;
        for (Slot slot : slots) {
            List<String> memberIds = holders.get(slot);
            int triedSinceLastGiven = 0;
            while (memberIds.size() < sharing && !wanting.isEmpty() && triedSinceLastGiven < wanting.size()) {
                next = next % wanting.size();
                String memberId = wanting.get(next);
                if (memberIds.contains(memberId)) {
                    next++;
                    triedSinceLastGiven++;
                    continue;
                }
                memberIds.add(memberId);
                held.get(memberId).add(slot);
                triedSinceLastGiven = 0;
                if (held.get(memberId).size() >= quota.get(memberId)) {
                    wanting.remove(next);
                } else {
                    next++;
                }
            }
        }
        held.forEach((memberId, owned) -> owned.forEach(slot -> assignment.get(memberId)
                .computeIfAbsent(slot.topic(), topic -> new TreeSet<>()).add(slot.partition())));
    }
    // end::simple-assignor[]

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    /** One partition of a topic, in topic and partition order. */
    private record Slot(TopicId topic, int partition) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot other) {
            int byTopic = TOPIC_ORDER.compare(topic, other.topic);
            return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
        }
    }
}
