package toykafka.exercises.lesson05;

import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import toykafka.common.TopicPartition;
import toykafka.lesson04.Topics;
import toykafka.lesson05.ConsumerGroup;
import toykafka.lesson05.GroupSettings;
import toykafka.lesson05.PartitionAssignor;

/**
 * Exercise for lesson 5: write the consumer group yourself.
 * Check your work with {@code ./toykafka check 5}; ask for help with {@code ./toykafka hint 5}.
 * Read the lesson with its code in place: {@code ./toykafka read 5} (add a section's name for one section).
 * The assignor you are given does the sharing out; the exceptions (UnknownMemberIdException,
 * CommitFailedException, NoOffsetForPartitionException) have factories that write their messages.
 */
public class MyConsumerGroup implements ConsumerGroup {

    public MyConsumerGroup(String groupId, Topics topics, PartitionAssignor assignor, GroupSettings settings,
                           Clock clock) {
        throw new UnsupportedOperationException("the constructor is yours to write: keep what it is given, and start"
                + " with no members, generation 0 and no commits; see"
                + " section \"The concept as an interface\" (./toykafka read 5 the concept as an interface)");
    }

    @Override
    public String groupId() {
        throw new UnsupportedOperationException("groupId() is yours to write: see"
                + " section \"The concept as an interface\" (./toykafka read 5 the concept as an interface)");
    }

    @Override
    public void join(String memberId, Set<String> topics) {
        throw new UnsupportedOperationException("join() is yours to write: see"
                + " section \"Joining and leaving\" (./toykafka read 5 membership)");
    }

    @Override
    public void heartbeat(String memberId) {
        throw new UnsupportedOperationException("heartbeat() is yours to write: see"
                + " section \"Heartbeats and the session timeout\" (./toykafka read 5 timeouts)");
    }

    @Override
    public void leave(String memberId) {
        throw new UnsupportedOperationException("leave() is yours to write: see"
                + " section \"Joining and leaving\" (./toykafka read 5 membership)");
    }

    @Override
    public List<String> members() {
        throw new UnsupportedOperationException("members() is yours to write: see"
                + " section \"Heartbeats and the session timeout\" (./toykafka read 5 timeouts)");
    }

    @Override
    public int generation() {
        throw new UnsupportedOperationException("generation() is yours to write: see"
                + " section \"Joining and leaving\" (./toykafka read 5 membership)");
    }

    @Override
    public SortedMap<String, List<TopicPartition>> assignment() {
        throw new UnsupportedOperationException("assignment() is yours to write: see"
                + " section \"Sharing out the partitions\" (./toykafka read 5 assignors)");
    }

    @Override
    public void commit(String memberId, TopicPartition partition, long nextOffset) {
        throw new UnsupportedOperationException("commit() is yours to write: see"
                + " section \"Committed offsets\" (./toykafka read 5 commits)");
    }

    @Override
    public OptionalLong committed(TopicPartition partition) {
        throw new UnsupportedOperationException("committed() is yours to write: see"
                + " section \"Committed offsets\" (./toykafka read 5 commits)");
    }

    @Override
    public long startingOffset(TopicPartition partition) {
        throw new UnsupportedOperationException("startingOffset() is yours to write: see"
                + " section \"Committed offsets\" (./toykafka read 5 commits)");
    }

    @Override
    public long lag(TopicPartition partition) {
        throw new UnsupportedOperationException("lag() is yours to write: see"
                + " section \"Lag\" (./toykafka read 5 lag)");
    }

    @Override
    public long lag() {
        throw new UnsupportedOperationException("lag() is yours to write: see"
                + " section \"Lag\" (./toykafka read 5 lag)");
    }
}
