package toykafka.broker.group.streams;

import java.util.List;

/**
 * Where a streams group writes its parts, so that it outlives the broker: in Kafka, its records in
 * {@code __consumer_offsets}, beside its commits.
 */
public interface StreamsGroupWriter {

    /**
     * Writes the parts of a streams group that changed, or their tombstones, as one write: durable when this returns,
     * so a replay brings the group back as it is now; throws if they cannot be written.
     */
    void writeStreamsGroup(List<StreamsGroupRecord> records);
}
