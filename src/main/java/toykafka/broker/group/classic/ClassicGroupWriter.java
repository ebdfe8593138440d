package toykafka.broker.group.classic;

/**
 * Where a classic group writes what it is, so that its members outlive the broker: in Kafka, the group's
 * GroupMetadata record in {@code __consumer_offsets}. Each write is durable when it returns, and throws if it
 * cannot be.
 */
public interface ClassicGroupWriter {

    /** Writes the group's state as it is now, so a replay brings its members back. */
    void writeGroup(ClassicGroupSnapshot group);

    /** Writes that the group is gone, so a replay brings none of its members back. */
    void deleteGroup(String groupId);
}
