package toykafka.restproxy;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.common.CommitFailedException;
import toykafka.common.Errors;
import toykafka.common.OffsetRange;
import toykafka.common.TopicName;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * A consumer instance's positions and its group's commits: Kafka's {@code seek}, {@code seekToBeginning}
 * and {@code seekToEnd} (which send no request), OffsetCommit and OffsetFetch. An instance assigned its
 * partitions by hand commits as Kafka's standalone consumer does, with no generation, which a group takes
 * only while it has no members. {@link ConsumerInstances} serves these calls through here.
 */
final class InstanceOffsets {

    private final ConsumerInstances instances;
    private final Broker broker;
    private final GroupCoordinator coordinator;

    InstanceOffsets(ConsumerInstances instances, Broker broker) {
        this.instances = instances;
        this.broker = broker;
        this.coordinator = broker.groupCoordinator();
    }

    /** Moves the instance's position in a partition it owns. */
    void seek(String groupId, String name, TopicPartition partition, long offset) {
        ConsumerInstances.Instances group = instances.existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instances.instance(group, name);
            instances.syncPositions(group, instance);
            instance.seek(broker, partition, offset);
        }
    }

    /**
     * Kafka's {@code seekToBeginning} ({@code beginning}) or {@code seekToEnd}: the instance's position in
     * each of these partitions, which it must own, moves to the log start offset or the end offset. Every
     * partition is checked before any position moves.
     */
    void seekToEdge(String groupId, String name, List<TopicPartition> wanted, boolean beginning) {
        ConsumerInstances.Instances group = instances.existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instances.instance(group, name);
            instances.syncPositions(group, instance);
            String what = "seek to the " + (beginning ? "beginning" : "end") + " of";
            wanted.forEach(partition -> instance.requireOwned(partition, what)); // all checked before any moves
            wanted.forEach(partition -> instance.seekToEdge(broker, partition, beginning));
        }
    }

    /**
     * Commits offsets; with none given, its positions in every partition it owns. A partition given need not be
     * one it owns: Kafka's consumer commits whatever it is given, the coordinator fencing only the member and
     * its generation, and REST Proxy commits through that consumer. A member commits as itself; an instance
     * that is no member (assigned by hand, or reading nothing) commits as Kafka's standalone consumer does,
     * with no generation, which a group takes only while it has no members. Every offset is checked before
     * any is sent, and the coordinator has the commit on disk before this returns: a refused commit leaves
     * nothing behind.
     */
    Map<TopicPartition, Long> commit(String groupId, String name, Map<TopicPartition, Long> given) {
        ConsumerInstances.Instances group = instances.existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instances.instance(group, name);
            instances.membership().heard(group, instance);
            SortedMap<TopicPartition, Long> wanted = new TreeMap<>(given);
            if (wanted.isEmpty() && instance.reads()) {
                instances.syncPositions(group, instance);
                wanted.putAll(instance.positions());
            }
            for (Map.Entry<TopicPartition, Long> entry : wanted.entrySet()) {
                TopicPartition partition = entry.getKey();
                Broker.PartitionInfo log = broker.describePartition(partition.topic(), partition.partition());
                OffsetRange.check(entry.getValue(), log.logStartOffset(), log.endOffset(), "cannot commit offset " + entry.getValue() + " for " + partition
                                + ": a committed offset is the next offset to read");
            }
            if (wanted.isEmpty()) {
                return wanted;
            }
            boolean member = instance.subscribed();
            if (member && instance.generation < 0) {
                throw new CommitFailedException("consumer instance '" + name + "' of group '" + groupId + "' cannot"
                        + " commit: it is subscribed but not yet part of an active group, as Kafka's consumer says;"
                        + " poll, and it joins");
            }
            Errors answer = coordinator.commitOffsets((member
                    ? new OffsetCommitRequest(groupId, instance.generation, instance.memberId, wanted)
                    : new OffsetCommitRequest(groupId, -1, "", wanted))
                    .from(instance.name, Group.IN_PROCESS_HOST)); // as the instance joins
            if (!member && answer == Errors.UNKNOWN_MEMBER_ID) {
                throw new IllegalStateException("consumer instance '" + name + "' is no member of group '" + groupId
                        + "' (it " + (instance.reads() ? "reads partitions assigned by hand" : "has no subscription")
                        + "), and the group has members: as in Kafka, such a commit is taken only by a group with no"
                        + " members; subscribe, or use a group of its own");
            }
            if (answer != Errors.NONE) {
                throw instances.membership().refusal(group, instance, answer);
            }
            return wanted;
        }
    }

    /**
     * Kafka's {@code committed(partitions)} for an instance: the group's committed offsets of these
     * partitions (of every partition it committed, with null), leaving out those with none. A partition
     * the broker does not have is refused naming it.
     */
    SortedMap<TopicPartition, Long> committed(String groupId, String name, List<TopicPartition> wanted) {
        ConsumerInstances.Instances group = instances.existing(groupId, name);
        synchronized (group) {
            instances.instance(group, name);
        }
        if (wanted == null) {
            return instances.committed(groupId);
        }
        requireExisting(broker, wanted);
        return coordinator.fetchOffsets(groupId, List.copyOf(new TreeSet<>(wanted))).offsets();
    }

    /** Refuses, naming it, the first partition the broker does not have. */
    static void requireExisting(Broker broker, List<TopicPartition> partitions) {
        List<String> existing = broker.listTopics();
        for (TopicPartition partition : partitions) {
            requireExisting(partition.topic(), existing);
            int count = broker.partitionCount(partition.topic());
            if (partition.partition() >= count) {
                throw UnknownTopicOrPartitionException.unknownPartition(partition.topic(), partition.partition(), count);
            }
        }
    }

    /** Refuses a topic that is not among {@code existing}, naming it. */
    static void requireExisting(String topic, List<String> existing) {
        TopicName.validate(topic); // a name no topic can have is refused by the rule, not looked up
        if (!existing.contains(topic)) {
            throw UnknownTopicOrPartitionException.unknownTopic(topic, existing);
        }
    }

    /** Commits the instance's positions, as Kafka's auto commit does; a refusal waits for the next try. */
    void autoCommit(ConsumerInstances.Instances group, ConsumerInstance instance) {
        SortedMap<TopicPartition, Long> positions = instance.positions();
        positions.keySet().retainAll(instance.owned());
        if (positions.isEmpty()) {
            return;
        }
        coordinator.commitOffsets((instance.reading == ConsumerInstance.Reading.ASSIGNED
                ? new OffsetCommitRequest(group.groupId, -1, "", positions)
                : new OffsetCommitRequest(group.groupId, instance.generation, instance.memberId, positions))
                .from(instance.name, Group.IN_PROCESS_HOST));
    }
}
