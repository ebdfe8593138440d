package toykafka.exercises.lesson05;

import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import toykafka.common.TopicPartition;
import toykafka.lesson04.Topics;
import toykafka.lesson05.ConsumerGroup;
import toykafka.lesson05.GroupCoordinator;
import toykafka.lesson05.GroupSettings;
import toykafka.lesson05.PartitionAssignor;

/** A finished lesson 5 exercise that hands every call to the reference coordinator: it proves the check's wiring. */
public class MyConsumerGroup implements ConsumerGroup {

    private final ConsumerGroup group;

    public MyConsumerGroup(String groupId, Topics topics, PartitionAssignor assignor, GroupSettings settings,
                           Clock clock) {
        group = new GroupCoordinator(groupId, topics, assignor, settings, clock);
    }

    @Override
    public String groupId() {
        return group.groupId();
    }

    @Override
    public void join(String memberId, Set<String> topics) {
        group.join(memberId, topics);
    }

    @Override
    public void heartbeat(String memberId) {
        group.heartbeat(memberId);
    }

    @Override
    public void leave(String memberId) {
        group.leave(memberId);
    }

    @Override
    public List<String> members() {
        return group.members();
    }

    @Override
    public int generation() {
        return group.generation();
    }

    @Override
    public SortedMap<String, List<TopicPartition>> assignment() {
        return group.assignment();
    }

    @Override
    public void commit(String memberId, TopicPartition partition, long nextOffset) {
        group.commit(memberId, partition, nextOffset);
    }

    @Override
    public OptionalLong committed(TopicPartition partition) {
        return group.committed(partition);
    }

    @Override
    public long startingOffset(TopicPartition partition) {
        return group.startingOffset(partition);
    }

    @Override
    public long lag(TopicPartition partition) {
        return group.lag(partition);
    }

    @Override
    public long lag() {
        return group.lag();
    }
}
