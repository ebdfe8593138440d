package toykafka.broker.coordinators;

import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.txn.MarkerWriter;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * The transaction coordinator's way to a partition: a marker through the data path, under coordinator epoch 0 (this
 * broker's only coordinator). A marker on the offsets topic also ends the producer's commits there, in the group
 * coordinator, which holds them until then.
 */
public final class CoordinatorMarkers implements MarkerWriter {

    private final PartitionWriter writer;
    private final GroupCoordinator groups;

    public CoordinatorMarkers(PartitionWriter writer, GroupCoordinator groups) {
        this.writer = writer;
        this.groups = groups;
    }

    @Override
    public Written write(TopicPartition partition, long producerId, short epoch, boolean commit) {
        Written written = writer.writeMarker(partition, producerId, epoch, commit);
        if (written.error() == Errors.NONE && partition.topic().equals(InternalTopics.OFFSETS)) {
            groups.completeTransaction(producerId, commit);
        }
        return written;
    }
}
