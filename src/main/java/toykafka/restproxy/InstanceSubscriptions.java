package toykafka.restproxy;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

/**
 * How a consumer instance says what it reads, as Kafka's consumer does: {@code subscribe(topics)},
 * {@code subscribe(Pattern)} and {@code assign(partitions)}, which exclude each other until
 * {@code unsubscribe}. The first two make it a member of its group through {@link InstanceMembership}'s
 * joins; an assignment by hand does not. {@link ConsumerInstances} serves these calls through here.
 */
final class InstanceSubscriptions {

    private final ConsumerInstances instances;
    private final Broker broker;
    private final GroupCoordinator coordinator;

    InstanceSubscriptions(ConsumerInstances instances, Broker broker) {
        this.instances = instances;
        this.broker = broker;
        this.coordinator = broker.groupCoordinator();
    }

    /**
     * Joins the instance to its group for these topics (Kafka's {@code subscribe(topics)}); the group
     * rebalances and every instance rejoins. A new subscription to topics replaces the last one; after a
     * pattern or a manual assignment it is refused (IllegalStateException) until the instance unsubscribes.
     */
    void subscribe(String groupId, String name, Set<String> wanted) {
        if (wanted == null || wanted.isEmpty()) {
            throw new InvalidRequestException("consumer instance '" + name + "' must subscribe to at least one topic");
        }
        List<String> existing = broker.listTopics();
        for (String topic : new TreeSet<>(wanted)) {
            InstanceOffsets.requireExisting(topic, existing);
        }
        subscribeAs(groupId, name, ConsumerInstance.Reading.TOPICS, null, Set.copyOf(wanted));
    }

    /**
     * Joins the instance to its group for every topic whose whole name the Java regular expression
     * {@code regex} matches (Kafka's {@code subscribe(Pattern)}), the broker's own {@code __} topics left
     * out; the match is made again as topics come and go, and a change rebalances the group.
     */
    void subscribePattern(String groupId, String name, String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(Objects.requireNonNull(regex, "topic_pattern"));
        } catch (PatternSyntaxException e) {
            throw new InvalidRequestException("topic_pattern '" + regex + "' is not a Java regular expression: "
                    + e.getDescription() + " at index " + e.getIndex());
        }
        subscribeAs(groupId, name, ConsumerInstance.Reading.PATTERN, pattern, null);
    }

    private void subscribeAs(String groupId, String name, ConsumerInstance.Reading kind, Pattern pattern,
                             Set<String> named) {
        ConsumerInstances.Instances group = instances.existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instances.instance(group, name);
            if (instance.reads() && instance.reading != kind) {
                throw mutuallyExclusive(instance);
            }
            Set<String> before = instance.topics;
            Pattern patternBefore = instance.pattern;
            ConsumerInstance.Reading readingBefore = instance.reading;
            instance.reading = kind;
            instance.pattern = pattern;
            instance.topics = named != null ? named : instance.matching(broker.listTopics());
            JoinGroupResponse joined = instances.membership().join(group, instance).getNow(null);
            if (joined != null && joined.error() != Errors.NONE) {
                instance.topics = before;
                instance.pattern = patternBefore;
                instance.reading = readingBefore;
                throw instances.membership().refusal(group, instance, joined.error());
            }
        }
        ConsumerInstances.wake(group); // long polls wake to see the new assignment
    }

    private static IllegalStateException mutuallyExclusive(ConsumerInstance instance) {
        return new IllegalStateException("consumer instance '" + instance.name + "' reads by "
                + switch (instance.reading) {
                    case TOPICS -> "a subscription to topics " + new TreeSet<>(instance.topics);
                    case PATTERN -> "a subscription to the pattern '" + instance.pattern + "'";
                    default -> "partitions assigned by hand " + instance.manual;
                } + ": subscription to topics, to a pattern and assignment of partitions exclude each other;"
                + " unsubscribe (DELETE .../subscription) first");
    }

    /**
     * Kafka's {@code unsubscribe}: the instance leaves its group (which rebalances without it) or drops the
     * partitions assigned to it, and reads nothing until it subscribes or is assigned again.
     */
    void unsubscribe(String groupId, String name) {
        ConsumerInstances.Instances group = instances.existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instances.instance(group, name);
            String memberId = instance.subscribed() ? instance.memberId : "";
            instance.readNothing(); // first, so the rebalance its leaving starts does not join it again
            if (!memberId.isEmpty()) {
                coordinator.leaveGroup(groupId, List.of(memberId));
            }
        }
        ConsumerInstances.wake(group);
    }

    /** The topics the instance is subscribed to now (those its pattern matches); none when assigned by hand. */
    List<String> subscription(String groupId, String name) {
        ConsumerInstances.Instances group = instances.existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instances.instance(group, name);
            refreshPattern(group, instance);
            return List.copyOf(new TreeSet<>(instance.topics));
        }
    }

    /**
     * Kafka's {@code assign}: the instance reads these partitions, as no member of its group, from the
     * group's committed offsets or where its auto.offset.reset says. A new assignment replaces the last;
     * after a subscription it is refused (IllegalStateException) until the instance unsubscribes. An
     * empty list is an unsubscribe, as in Kafka.
     */
    void assign(String groupId, String name, List<TopicPartition> wanted) {
        List<TopicPartition> partitions = List.copyOf(new TreeSet<>(wanted));
        InstanceOffsets.requireExisting(broker, partitions);
        if (partitions.isEmpty()) {
            unsubscribe(groupId, name);
            return;
        }
        ConsumerInstances.Instances group = instances.existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instances.instance(group, name);
            if (instance.subscribed()) {
                throw mutuallyExclusive(instance);
            }
            instance.reading = ConsumerInstance.Reading.ASSIGNED;
            instance.manual = partitions;
        }
        ConsumerInstances.wake(group);
    }

    /** A pattern subscription whose matching topics changed joins again for them: the group rebalances. */
    void refreshPattern(ConsumerInstances.Instances group, ConsumerInstance instance) {
        if (instance.reading != ConsumerInstance.Reading.PATTERN) {
            return;
        }
        Set<String> matched = instance.matching(broker.listTopics());
        if (!matched.equals(instance.topics)) {
            instance.topics = matched;
            if (!instance.joining) {
                instances.membership().join(group, instance);
            }
        }
    }
}
