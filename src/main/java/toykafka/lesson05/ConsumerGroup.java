package toykafka.lesson05;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownMemberIdException;

/**
 * Consumers that share the reading of topics: each partition is read by exactly one member, and the group
 * remembers how far it has read each partition. This is the group coordinator's side; a member's side,
 * reading records, is {@link GroupConsumer}. Every call that depends on who is in the group first removes
 * the members whose session has timed out.
 */
public interface ConsumerGroup {

    String groupId();

    // tag::membership[]
    /** Adds a member that reads these topics. The partitions are shared out again: a rebalance. */
    void join(String memberId, Set<String> topics);

    /** Tells the group the member is alive; a member silent for longer than the session timeout is removed. */
    void heartbeat(String memberId);

    /** Removes a member at its own request, and rebalances. */
    void leave(String memberId);

    /** The members, in member-id order. */
    List<String> members();

    /** 0 for a new group, one more after every rebalance. */
    int generation();

    /** Each member's partitions, members in id order. */
    SortedMap<String, List<TopicPartition>> assignment();
    // end::membership[]

    // tag::offsets[]
    /** Records that the group has read a partition up to {@code nextOffset}, the next offset to read. */
    void commit(String memberId, TopicPartition partition, long nextOffset);

    /** The last offset committed for a partition, if any. */
    OptionalLong committed(TopicPartition partition);

    /** Where the group starts reading a partition: its committed offset, or where auto.offset.reset says. */
    long startingOffset(TopicPartition partition);

    /** How far behind the group is on a partition: end offset minus committed offset (log start if none). */
    long lag(TopicPartition partition);

    /** The lag summed over every partition of every topic the group reads or has committed offsets for. */
    long lag();
    // end::offsets[]

    /** One member's partitions. */
    default List<TopicPartition> assignment(String memberId) {
        List<TopicPartition> partitions = assignment().get(memberId);
        if (partitions == null) {
            throw UnknownMemberIdException.of(groupId(), memberId);
        }
        return partitions;
    }
}
