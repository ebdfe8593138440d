package toykafka.broker.group;

import com.google.re2j.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.TopicId;

/**
 * One member of a consumer group of Kafka 4's protocol (Kafka's {@code ConsumerGroupMember}): what it subscribes to,
 * its epoch, and where it stands on the way to its target: the partitions it owns, and those it was asked to give up
 * and has not yet. Guarded by its group's lock.
 */
final class ConsumerGroupMember {

    /** Where a member stands against its target (Kafka's {@code MemberState}). */
    enum State {
        /** It owns its whole target, at the group's assignment epoch. */
        STABLE,
        /** It was asked to give partitions up and has not said it did: its epoch waits. */
        UNREVOKED_PARTITIONS,
        /** It is at the assignment epoch, but some of its target is still another member's to give up. */
        UNRELEASED_PARTITIONS
    }

    final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    List<String> subscribedTopics = List.of();
    /** The regular expression its topics match besides those it names, or null. */
    Pattern subscribedRegex;
    /** The topics it reads now, named or matched, that exist: what the assignor gives it partitions of. */
    List<String> resolvedTopics = List.of();
    String serverAssignor;
    int memberEpoch;
    int previousMemberEpoch;
    State state = State.STABLE;
    /** The partitions it owns, as it was last told. */
    SortedMap<TopicId, SortedSet<Integer>> assigned = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
    /** The partitions it was asked to give up, which no one else may have until it says it did. */
    SortedMap<TopicId, SortedSet<Integer>> revoking = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
    Instant lastHeard;
    /** While it has partitions to give up: when its rebalance timeout runs out. */
    Instant revokeBy;

    ConsumerGroupMember(String memberId, Instant now) {
        this.memberId = memberId;
        this.lastHeard = now;
    }

    /** Whether it owns, or is still giving up, this partition. */
    boolean holds(TopicId topic, int partition) {
        return assigned.getOrDefault(topic, EMPTY).contains(partition)
                || revoking.getOrDefault(topic, EMPTY).contains(partition);
    }

    int ownedCount() {
        return assigned.values().stream().mapToInt(Set::size).sum();
    }

    int revokingCount() {
        return revoking.values().stream().mapToInt(Set::size).sum();
    }

    /** A copy of a topic-to-partitions map, sorted, with no empty topic. */
    static SortedMap<TopicId, SortedSet<Integer>> copy(Map<TopicId, ? extends Set<Integer>> partitions) {
        SortedMap<TopicId, SortedSet<Integer>> copy = new TreeMap<>(ServerAssignor.TOPIC_ORDER);
        partitions.forEach((topic, owned) -> {
            if (!owned.isEmpty()) {
                copy.put(topic, new TreeSet<>(owned));
            }
        });
        return copy;
    }

    private static final SortedSet<Integer> EMPTY = new TreeSet<>();
}
