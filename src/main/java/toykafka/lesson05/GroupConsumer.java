package toykafka.lesson05;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import toykafka.common.EventLog;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.Topics;
import toykafka.common.CommitFailedException;

/**
 * One member of a consumer group, reading: it polls only the partitions the group gave it, keeps its own
 * position in each, and commits them when told. Every poll is also a heartbeat.
 */
public final class GroupConsumer {

    private final ConsumerGroup group;
    private final Topics topics;
    private final String memberId;
    private final int maxPollRecords;
    private final Map<TopicPartition, Long> positions = new TreeMap<>();
    private List<TopicPartition> owned = List.of();
    private int knownGeneration = -1;
    private int firstPartition; // which owned partition the next poll reads first, so none is starved

    private GroupConsumer(ConsumerGroup group, Topics topics, String memberId, int maxPollRecords) {
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("max.poll.records must be at least 1, was " + maxPollRecords);
        }
        this.group = Objects.requireNonNull(group, "group");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.memberId = memberId;
        this.maxPollRecords = maxPollRecords;
    }

    /** Joins the group as {@code memberId}, reading {@code subscription}, up to maxPollRecords a poll. */
    public static GroupConsumer join(ConsumerGroup group, Topics topics, String memberId, Set<String> subscription,
                                     int maxPollRecords) {
        GroupConsumer consumer = new GroupConsumer(group, topics, memberId, maxPollRecords);
        group.join(memberId, subscription);
        return consumer;
    }

    // tag::poll[]
    public List<ConsumerRecord> poll() {
        group.heartbeat(memberId);
        int generation = group.generation();
        if (generation != knownGeneration) {
            // A rebalance: drop every position, as Kafka's eager protocol revokes every partition, and start
            // each partition owned now from the group's committed offset. No stale partition is read again.
            // Every start is found before any is kept: if one fails (auto.offset.reset=none and no commit),
            // this poll changes nothing, and the next one, after the commit, tries again.
            List<TopicPartition> nowOwned = group.assignment(memberId);
            Map<TopicPartition, Long> starts = new TreeMap<>();
            nowOwned.forEach(partition -> starts.put(partition, group.startingOffset(partition)));
            owned = nowOwned;
            positions.clear();
            positions.putAll(starts);
            knownGeneration = generation;
        }
        List<ConsumerRecord> batch = new ArrayList<>();
        for (int i = 0; i < owned.size() && batch.size() < maxPollRecords; i++) {
            TopicPartition partition = owned.get((firstPartition + i) % owned.size());
            EventLog<Record> log = topics.log(partition.topic(), partition.partition());
            long position = positions.get(partition);
            while (position < log.endOffset() && batch.size() < maxPollRecords) {
                batch.add(new ConsumerRecord(partition, position, log.read(position)));
                position++;
            }
            positions.put(partition, position);
        }
        firstPartition = owned.isEmpty() ? 0 : (firstPartition + 1) % owned.size();
        return batch;
    }
    // end::poll[]

    // tag::commit[]
    /** Commits the position of every partition this member owns: "I have read up to here". */
    public void commitSync() {
        int now = group.generation();
        if (now != knownGeneration) {
            throw CommitFailedException.rebalanced(group.groupId(), memberId, knownGeneration, now);
        }
        positions.forEach((partition, position) -> group.commit(memberId, partition, position));
    }
    // end::commit[]

    /** Leaves the group, so that the others take over its partitions at once, not after a timeout. */
    public void close() {
        group.leave(memberId);
    }

    /** The partitions this member read from in its last poll. */
    public List<TopicPartition> assignment() {
        return owned;
    }

    public String memberId() {
        return memberId;
    }

    @Override
    public String toString() {
        return "GroupConsumer[" + memberId + ", positions " + positions + "]";
    }
}
