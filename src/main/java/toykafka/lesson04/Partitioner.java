package toykafka.lesson04;

import toykafka.common.Record;

/** Chooses the partition for a record whose producer did not name one. */
public interface Partitioner {

    /** A partition from 0 to {@code partitionCount - 1} for this record of this topic. */
    int partition(String topic, Record record, int partitionCount);
}
