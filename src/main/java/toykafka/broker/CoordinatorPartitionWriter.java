package toykafka.broker;

import java.time.Clock;
import java.util.List;
import toykafka.broker.coordinators.PartitionWriter;
import toykafka.broker.txn.MarkerWriter;
import toykafka.common.Compression;
import toykafka.common.ControlRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;

// tag::writer[]
/**
 * How the broker writes to partitions of its own: the group coordinator's commits, the transaction
 * coordinator's state and markers, the statistics. Kafka's name is {@code CoordinatorPartitionWriter}, and
 * like Kafka's it is no second way to a log: every write enters the data path ({@link Partitions}), so it
 * is counted in the statistics and completes the reads parked on its partition, as a producer's append does.
 * A write the partition refuses throws the refusal, for the coordinator to answer its client with.
 *
 * <p>Completing a parked read runs on the writer's thread, which may hold a group's lock: safe, because a
 * read's completion only reads logs and hands its answer to the front end, and takes no coordinator's lock.
 */
final class CoordinatorPartitionWriter implements PartitionWriter {

    private final Partitions partitions;
    private final Clock clock;

    CoordinatorPartitionWriter(Partitions partitions, Clock clock) {
        this.partitions = partitions;
        this.clock = clock;
    }

    /**
     * {@inheritDoc} As Kafka's writer does: the offset the partition's high watermark must reach for the write to
     * be committed.
     */
    @Override
    public long append(TopicPartition partition, List<Record> records) {
        return partitions.appendInternal(partition, RecordBatch.of(records, 0, Compression.NONE)).baseOffset()
                + records.size();
    }

    @Override
    public long appendTransactional(TopicPartition partition, long producerId, short epoch, List<Record> records) {
        RecordBatch batch = RecordBatch.of(records, 0, Compression.NONE);
        batch.setProducer(producerId, epoch, -1, RecordBatch.TRANSACTIONAL_BIT);
        return partitions.appendInternal(partition, batch).baseOffset() + records.size();
    }

    /** {@inheritDoc} Under coordinator epoch 0: this broker's only transaction coordinator. */
    @Override
    public MarkerWriter.Written writeMarker(TopicPartition partition, long producerId, short epoch, boolean commit) {
        AppendResult result = partitions.writeMarker(partition, producerId, epoch, commit, 0,
                clock.instant());
        return new MarkerWriter.Written(result.error(), result.message());
    }
}
// end::writer[]
