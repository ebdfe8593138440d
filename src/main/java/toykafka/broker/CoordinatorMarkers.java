package toykafka.broker;

import java.time.Clock;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.txn.MarkerWriter;
import toykafka.common.TopicPartition;

/**
 * The transaction coordinator's way to a partition: a marker through the data path, under coordinator epoch 0 (this
 * broker's only coordinator). A marker on the offsets topic also ends the producer's commits there, in the group
 * coordinator, which holds them until then.
 */
final class CoordinatorMarkers implements MarkerWriter {

    private final Partitions partitions;
    private final GroupCoordinator groups;
    private final Clock clock;

    CoordinatorMarkers(Partitions partitions, GroupCoordinator groups, Clock clock) {
        this.partitions = partitions;
        this.groups = groups;
        this.clock = clock;
    }

    @Override
    public Written write(TopicPartition partition, long producerId, short epoch, boolean commit) {
        Partitions.AppendResult result = partitions.writeMarker(partition, producerId, epoch, commit, 0, clock.instant());
        if (result.written() && partition.topic().equals(Broker.OFFSETS_TOPIC)) {
            groups.completeTransaction(producerId, commit);
        }
        return new Written(result.error(), result.message());
    }
}
