package toykafka.exercises.lesson05;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.CommitFailedException;
import toykafka.common.EventLog;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownMemberIdException;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.Topics;
import toykafka.lesson05.ConsumerGroup;
import toykafka.lesson05.GroupSettings;
import toykafka.lesson05.PartitionAssignor;

/** A learner's finished lesson 5 exercise, written from the lesson's text and hints. */
public class MyConsumerGroup implements ConsumerGroup {

    private final String groupId;
    private final Topics topics;
    private final PartitionAssignor assignor;
    private final GroupSettings settings;
    private final Clock clock;

    private final TreeMap<String, Set<String>> subscriptions = new TreeMap<>();
    private final Map<String, Instant> lastHeard = new HashMap<>();
    private SortedMap<String, List<TopicPartition>> assignment = new TreeMap<>();
    private final Map<TopicPartition, Long> commits = new HashMap<>();
    private int generation;

    public MyConsumerGroup(String groupId, Topics topics, PartitionAssignor assignor, GroupSettings settings,
                           Clock clock) {
        this.groupId = groupId;
        this.topics = topics;
        this.assignor = assignor;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public void join(String memberId, Set<String> wanted) {
        removeSilentMembers();
        if (memberId == null || memberId.isBlank()) {
            throw new IllegalArgumentException("a member id cannot be blank: '" + memberId + "'");
        }
        if (subscriptions.containsKey(memberId)) {
            throw new IllegalStateException(memberId + " has joined " + groupId + " already");
        }
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException(memberId + " has to read some topic");
        }
        for (String topic : wanted) {
            if (!topics.listTopics().contains(topic)) {
                throw UnknownTopicOrPartitionException.unknownTopic(topic, topics.listTopics());
            }
        }
        subscriptions.put(memberId, new TreeSet<>(wanted));
        lastHeard.put(memberId, clock.instant());
        rebalance();
    }

    @Override
    public void heartbeat(String memberId) {
        removeSilentMembers();
        requireMember(memberId);
        lastHeard.put(memberId, clock.instant());
    }

    @Override
    public void leave(String memberId) {
        removeSilentMembers();
        requireMember(memberId);
        subscriptions.remove(memberId);
        lastHeard.remove(memberId);
        rebalance();
    }

    @Override
    public List<String> members() {
        removeSilentMembers();
        return List.copyOf(subscriptions.keySet());
    }

    @Override
    public int generation() {
        removeSilentMembers();
        return generation;
    }

    @Override
    public SortedMap<String, List<TopicPartition>> assignment() {
        removeSilentMembers();
        return assignment;
    }

    @Override
    public void commit(String memberId, TopicPartition partition, long nextOffset) {
        removeSilentMembers();
        requireMember(memberId);
        String owner = null;
        for (Map.Entry<String, List<TopicPartition>> member : assignment.entrySet()) {
            if (member.getValue().contains(partition)) {
                owner = member.getKey();
            }
        }
        if (!memberId.equals(owner)) {
            throw CommitFailedException.notOwner(groupId, memberId, partition, owner, generation);
        }
        EventLog<Record> log = topics.log(partition.topic(), partition.partition());
        if (nextOffset < log.earliest() || nextOffset > log.endOffset()) {
            throw new OffsetOutOfRangeException("cannot commit offset " + nextOffset + " for " + partition + ": it has "
                    + log.earliest() + " to " + log.endOffset(), nextOffset, log.earliest(), log.endOffset());
        }
        commits.put(partition, nextOffset);
    }

    @Override
    public OptionalLong committed(TopicPartition partition) {
        removeSilentMembers();
        Long offset = commits.get(partition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public long startingOffset(TopicPartition partition) {
        removeSilentMembers();
        Long offset = commits.get(partition);
        if (offset != null) {
            return offset;
        }
        EventLog<Record> log = topics.log(partition.topic(), partition.partition());
        return switch (settings.autoOffsetReset()) {
            case EARLIEST -> log.earliest();
            case LATEST -> log.endOffset();
            case NONE -> throw NoOffsetForPartitionException.of(groupId, partition);
        };
    }

    @Override
    public long lag(TopicPartition partition) {
        removeSilentMembers();
        EventLog<Record> log = topics.log(partition.topic(), partition.partition());
        return log.endOffset() - commits.getOrDefault(partition, log.earliest());
    }

    @Override
    public long lag() {
        removeSilentMembers();
        Set<TopicPartition> partitions = new TreeSet<>(commits.keySet());
        for (Set<String> read : subscriptions.values()) {
            for (String topic : read) {
                for (int p = 0; p < topics.describeTopic(topic).partitions(); p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
        }
        long total = 0;
        for (TopicPartition partition : partitions) {
            total += lag(partition);
        }
        return total;
    }

    private void requireMember(String memberId) {
        if (!subscriptions.containsKey(memberId)) {
            throw UnknownMemberIdException.of(groupId, memberId);
        }
    }

    private void removeSilentMembers() {
        Instant now = clock.instant();
        List<String> silent = new ArrayList<>();
        lastHeard.forEach((member, heard) -> {
            if (Duration.between(heard, now).compareTo(settings.sessionTimeout()) > 0) {
                silent.add(member);
            }
        });
        if (!silent.isEmpty()) {
            silent.forEach(member -> {
                subscriptions.remove(member);
                lastHeard.remove(member);
            });
            rebalance();
        }
    }

    private void rebalance() {
        generation++;
        Map<String, Integer> partitionsPerTopic = new TreeMap<>();
        for (Set<String> read : subscriptions.values()) {
            for (String topic : read) {
                partitionsPerTopic.put(topic, topics.describeTopic(topic).partitions());
            }
        }
        assignment = assignor.assign(partitionsPerTopic, subscriptions, assignment);
    }
}
