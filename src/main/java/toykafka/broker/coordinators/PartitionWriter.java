package toykafka.broker.coordinators;

import java.util.List;
import toykafka.broker.txn.MarkerWriter;
import toykafka.common.Record;
import toykafka.common.TopicPartition;

/**
 * How a coordinator writes to a partition: the broker's data path behind it, so each write is counted and wakes
 * the reads parked on its partition. Kafka's coordinators write through an interface of the same name, which its
 * broker's {@code CoordinatorPartitionWriter} implements.
 */
public interface PartitionWriter {

    /** Appends the records as one batch with no producer; returns the offset after the last one. */
    long append(TopicPartition partition, List<Record> records);

    /**
     * Appends the records as one transactional batch of the producer, with no sequence: refused unless the
     * producer's open transaction includes the partition. Returns the offset after the last one.
     */
    long appendTransactional(TopicPartition partition, long producerId, short epoch, List<Record> records);

    /** A COMMIT or ABORT marker ending the producer's transaction in the partition; refused for an older epoch. */
    MarkerWriter.Written writeMarker(TopicPartition partition, long producerId, short epoch, boolean commit);
}
