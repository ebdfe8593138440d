package toykafka.lesson05;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.EventLog;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRange;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.Topics;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.common.CommitFailedException;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.UnknownMemberIdException;

/**
 * The reference consumer group: who is in it, what each reads, when each last spoke, who owns which
 * partition, and the offsets committed. In Kafka one broker is the coordinator of each group, and keeps
 * the committed offsets in the topic __consumer_offsets; here they are a map.
 */
public final class GroupCoordinator implements ConsumerGroup {

    private final String groupId;
    private final Topics topics;
    private final PartitionAssignor assignor;
    private final GroupSettings settings;
    private final Clock clock;

    private final SortedMap<String, Set<String>> subscriptions = new TreeMap<>();
    private final Map<String, Instant> lastHeard = new HashMap<>();
    private SortedMap<String, List<TopicPartition>> assignment = new TreeMap<>();
    private int generation;
    private final SortedMap<TopicPartition, Long> committed = new TreeMap<>();

    public GroupCoordinator(String groupId, Topics topics, PartitionAssignor assignor, GroupSettings settings,
                            Clock clock) {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("a consumer group needs a group.id that is not blank, was "
                    + (groupId == null ? "null" : "'" + groupId + "'"));
        }
        this.groupId = groupId;
        this.topics = Objects.requireNonNull(topics, "topics");
        this.assignor = Objects.requireNonNull(assignor, "assignor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String groupId() {
        return groupId;
    }

    // tag::join[]
    @Override
    public synchronized void join(String memberId, Set<String> wanted) {
        removeSilentMembers();
        if (memberId == null || memberId.isBlank()) {
            throw new IllegalArgumentException("a member needs an id that is not blank, was "
                    + (memberId == null ? "null" : "'" + memberId + "'"));
        }
        if (subscriptions.containsKey(memberId)) {
            throw new IllegalStateException("member '" + memberId + "' is already in group '" + groupId
                    + "': leave first, or join under another id");
        }
        if (wanted == null || wanted.isEmpty()) {
            throw new IllegalArgumentException("member '" + memberId + "' must read at least one topic");
        }
        List<String> existing = topics.listTopics();
        for (String topic : new TreeSet<>(wanted)) {
            if (!existing.contains(topic)) {
                throw UnknownTopicOrPartitionException.unknownTopic(topic, existing);
            }
        }
        subscriptions.put(memberId, Set.copyOf(wanted));
        lastHeard.put(memberId, clock.instant());
        rebalance();
    }
    // end::join[]

    @Override
    public synchronized void heartbeat(String memberId) {
        removeSilentMembers();
        requireMember(memberId);
        lastHeard.put(memberId, clock.instant());
    }

    @Override
    public synchronized void leave(String memberId) {
        removeSilentMembers();
        requireMember(memberId);
        subscriptions.remove(memberId);
        lastHeard.remove(memberId);
        rebalance();
    }

    @Override
    public synchronized List<String> members() {
        removeSilentMembers();
        return List.copyOf(subscriptions.keySet());
    }

    @Override
    public synchronized int generation() {
        removeSilentMembers();
        return generation;
    }

    @Override
    public synchronized SortedMap<String, List<TopicPartition>> assignment() {
        removeSilentMembers();
        return Collections.unmodifiableSortedMap(new TreeMap<>(assignment));
    }

    // tag::timeout[]
    /** Removes every member not heard from for longer than session.timeout.ms; one rebalance for them all. */
    private void removeSilentMembers() {
        Instant now = clock.instant();
        Duration timeout = settings.sessionTimeout();
        List<String> silent = new ArrayList<>();
        lastHeard.forEach((member, heard) -> {
            if (Duration.between(heard, now).compareTo(timeout) > 0) {
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
    // end::timeout[]

    // tag::rebalance[]
    private void rebalance() {
        generation++;
        Map<String, Integer> partitionsPerTopic = new TreeMap<>();
        List<String> existing = topics.listTopics();
        subscriptions.values().forEach(wanted -> wanted.stream().filter(existing::contains)
                .forEach(topic -> partitionsPerTopic.put(topic, topics.describeTopic(topic).partitions())));
        // The current owners go in too, so that a sticky assignor can leave them where they are.
        assignment = assignor.assign(partitionsPerTopic, subscriptions, assignment);
    }
    // end::rebalance[]

    // tag::commit[]
    @Override
    public synchronized void commit(String memberId, TopicPartition partition, long nextOffset) {
        removeSilentMembers();
        requireMember(memberId);
        String owner = ownerOf(partition);
        if (!memberId.equals(owner)) {
            throw CommitFailedException.notOwner(groupId, memberId, partition, owner, generation);
        }
        EventLog<Record> log = topics.log(partition.topic(), partition.partition());
        OffsetRange.check(nextOffset, log, "cannot commit offset " + nextOffset + " for " + partition
                + ": a committed offset is the next offset to read");
        committed.put(partition, nextOffset);
    }
    // end::commit[]

    /**
     * Takes back an offset committed before a restart, as Kafka's coordinator does when it loads a group's
     * offsets from __consumer_offsets. No member is asked for: the commit was checked when it was made.
     */
    public synchronized void restoreCommitted(TopicPartition partition, long nextOffset) {
        committed.put(partition, nextOffset);
    }

    /** Forgets the group's offset for a partition, as Kafka does when the partition's topic is deleted. */
    public synchronized void forgetCommitted(TopicPartition partition) {
        committed.remove(partition);
    }

    @Override
    public synchronized OptionalLong committed(TopicPartition partition) {
        Long offset = committed.get(partition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    // tag::start[]
    @Override
    public synchronized long startingOffset(TopicPartition partition) {
        EventLog<Record> log = topics.log(partition.topic(), partition.partition());
        Long offset = committed.get(partition);
        if (offset != null && OffsetRange.holds(offset, log)) {
            return offset;
        }
        return switch (settings.autoOffsetReset()) {
            case EARLIEST -> log.earliest();
            case LATEST -> log.endOffset();
            case NONE -> throw offset == null ? NoOffsetForPartitionException.of(groupId, partition)
                    : OffsetOutOfRangeException.of(offset, log.earliest(), log.endOffset());
        };
    }
    // end::start[]

    // tag::lag[]
    @Override
    public synchronized long lag(TopicPartition partition) {
        EventLog<Record> log = topics.log(partition.topic(), partition.partition());
        long readUpTo = Math.max(log.earliest(), committed.getOrDefault(partition, log.earliest()));
        return log.endOffset() - readUpTo;
    }

    @Override
    public synchronized long lag() {
        removeSilentMembers();
        Set<String> read = new TreeSet<>();
        subscriptions.values().forEach(read::addAll);
        committed.keySet().forEach(partition -> read.add(partition.topic()));
        read.retainAll(topics.listTopics());
        long total = 0;
        for (String topic : read) {
            for (int p = 0; p < topics.describeTopic(topic).partitions(); p++) {
                total += lag(new TopicPartition(topic, p));
            }
        }
        return total;
    }
    // end::lag[]

    private void requireMember(String memberId) {
        if (!subscriptions.containsKey(memberId)) {
            throw UnknownMemberIdException.of(groupId, memberId);
        }
    }

    private String ownerOf(TopicPartition partition) {
        return assignment.entrySet().stream().filter(entry -> entry.getValue().contains(partition))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    @Override
    public synchronized String toString() {
        return "GroupCoordinator[" + groupId + ", generation " + generation + ", " + assignment + "]";
    }
}
