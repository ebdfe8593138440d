package toykafka.broker.group;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import toykafka.common.TopicId;

/**
 * The topics a consumer group's members read, as its assignor needs them: each member's named topics and those its
 * regular expression matches, looked up in the broker's topics for their ids and partition counts (Kafka keeps the
 * same as the group's subscription metadata). Guarded by its group's lock.
 */
final class SubscribedTopics {

    /** The subscribed topics that exist, by name: what the targets were last computed from. */
    private Map<String, TopicLookup.Topic> topics = Map.of();

    /** A heartbeat's regular expression, compiled as Kafka's broker does (RE2/J); null for none or "". */
    static Pattern regex(String expression) {
        return expression == null || expression.isEmpty() ? null : Pattern.compile(expression);
    }

    // tag::regex[]
    /**
     * Looks the subscribed topics up again, each member's named ones and those its regular expression matches (the
     * whole name, as RE2/J's {@code matches}), and puts in {@code members} each member whose topics changed with its
     * new ones: true if a topic was made, deleted or grown since, or a member's topics changed, which moves the
     * group's epoch on.
     */
    boolean refresh(Map<String, ConsumerGroupMember> members, TopicLookup lookup) {
        List<String> names = members.values().stream().anyMatch(member -> member.subscribedRegex() != null)
                ? lookup.names() : List.of();
        Map<String, TopicLookup.Topic> now = new TreeMap<>();
        boolean memberChanged = false;
        for (Map.Entry<String, ConsumerGroupMember> entry : members.entrySet()) {
            ConsumerGroupMember member = entry.getValue();
            SortedSet<String> resolved = new TreeSet<>(member.subscribedTopics());
            if (member.subscribedRegex() != null) {
                names.stream().filter(name -> member.subscribedRegex().matches(name)).forEach(resolved::add);
            }
            List<String> found = new ArrayList<>();
            for (String name : resolved) {
                TopicLookup.Topic topic = lookup.topic(name);
                if (topic != null) {
                    now.put(name, topic);
                    found.add(name);
                }
            }
            if (!found.equals(member.resolvedTopics())) {
                memberChanged = true;
                entry.setValue(member.withResolvedTopics(found));
            }
        }
        if (now.equals(topics) && !memberChanged) {
            return false;
        }
        topics = Map.copyOf(now);
        return true;
    }
    // end::regex[]

    /** The ids of the topics a member reads. */
    Set<TopicId> idsOf(ConsumerGroupMember member) {
        return member.resolvedTopics().stream().map(topics::get).filter(Objects::nonNull).map(TopicLookup.Topic::id)
                .collect(Collectors.toSet());
    }

    /** Each subscribed topic's partition count, by id. */
    Map<TopicId, Integer> partitionCounts() {
        Map<TopicId, Integer> partitions = new HashMap<>();
        topics.values().forEach(topic -> partitions.put(topic.id(), topic.partitions()));
        return partitions;
    }

    /** Each subscribed topic's name, by id. */
    Map<TopicId, String> names() {
        Map<TopicId, String> names = new HashMap<>();
        topics.forEach((name, topic) -> names.put(topic.id(), name));
        return names;
    }
}
