package toykafka.broker.coordinators;

import java.util.List;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import toykafka.common.TopicPartition;

// tag::interface[]
/**
 * The committed offsets a broker rebuilds when it starts, by replaying its offsets topic from the first
 * record to the last: one entry per group and partition, where the latest commit wins and a tombstone
 * removes the entry. The topic is the stream; this is its table (lesson 6's duality, on the broker's own
 * state). Kafka's group coordinator does the same with {@code __consumer_offsets}.
 */
public interface OffsetsTable {

    /**
     * Applies the next record of the offsets topic: the latest commit wins, a tombstone removes. A null is no
     * record of that topic: it is refused with a NullPointerException.
     */
    void apply(Commit commit);

    /** Applies every record, in order. */
    default void replay(List<Commit> commits) {
        commits.forEach(this::apply);
    }

    /** The group's committed offset for the partition, if it has one. */
    OptionalLong committed(String group, TopicPartition partition);

    /** Every partition the group has an offset for, in partition order, with the offset. */
    SortedMap<TopicPartition, Long> offsets(String group);

    /** The groups that have at least one committed offset, in name order. */
    SortedSet<String> groups();
}
// end::interface[]
