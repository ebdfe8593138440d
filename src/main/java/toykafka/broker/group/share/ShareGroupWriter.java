package toykafka.broker.group.share;

import java.util.List;

/**
 * Where a share group writes its parts, so that its members outlive the broker: in Kafka, its records in
 * {@code __consumer_offsets}.
 */
public interface ShareGroupWriter {

    /**
     * Writes the parts of a share group that changed, or their tombstones, as one write: durable when this returns,
     * so a replay brings the group back as it is now; throws if they cannot be written.
     */
    void writeShareGroup(List<ShareGroupRecord> records);
}
