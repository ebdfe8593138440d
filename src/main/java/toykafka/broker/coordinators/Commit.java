package toykafka.broker.coordinators;

import java.util.Objects;
import java.util.OptionalLong;
import toykafka.common.TopicPartition;

/**
 * One record of the committed-offsets topic, read back: a group's next offset to read in a partition, or a
 * tombstone (no offset) saying the group's commit for that partition is gone, as when its topic is deleted.
 *
 * @param offset the committed offset, or empty for a tombstone
 */
public record Commit(String group, TopicPartition partition, OptionalLong offset) {

    public Commit {
        Objects.requireNonNull(group, "a commit names its group");
        Objects.requireNonNull(partition, "a commit names its partition");
        Objects.requireNonNull(offset, "a commit's offset is a number, or empty for a tombstone");
        if (offset.isPresent() && offset.getAsLong() < 0) {
            throw new IllegalArgumentException("a committed offset is the next offset to read, 0 or more; "
                    + group + " committed " + offset.getAsLong() + " for " + partition);
        }
    }

    public static Commit of(String group, TopicPartition partition, long offset) {
        return new Commit(group, partition, OptionalLong.of(offset));
    }

    public static Commit tombstone(String group, TopicPartition partition) {
        return new Commit(group, partition, OptionalLong.empty());
    }

    public boolean isTombstone() {
        return offset.isEmpty();
    }

    @Override
    public String toString() {
        return group + " " + partition + (isTombstone() ? " (deleted)" : " -> " + offset.getAsLong());
    }
}
