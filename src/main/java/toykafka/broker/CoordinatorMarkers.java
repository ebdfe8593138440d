package toykafka.broker;

import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.txn.MarkerWriter;
import toykafka.common.TopicPartition;

/**
 * The transaction coordinator's way to a partition: a marker through the data path, under coordinator epoch 0 (this
 * broker's only coordinator). A marker on the offsets topic also ends the producer's commits there, in the group
 * coordinator, which holds them until then.
 */
final class CoordinatorMarkers implements MarkerWriter {

    private final CoordinatorPartitionWriter writer;
    private final GroupCoordinator groups;

    CoordinatorMarkers(CoordinatorPartitionWriter writer, GroupCoordinator groups) {
        this.writer = writer;
        this.groups = groups;
    }

    @Override
    public Written write(TopicPartition partition, long producerId, short epoch, boolean commit) {
        Partitions.AppendResult result = writer.writeMarker(partition, producerId, epoch, commit, 0);
        if (result.written() && partition.topic().equals(Broker.OFFSETS_TOPIC)) {
            groups.completeTransaction(producerId, commit);
        }
        return new Written(result.error(), result.message());
    }
}
