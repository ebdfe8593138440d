package toykafka.lesson04;

import toykafka.common.Record;

/**
 * A keyed record goes where its key hashes; a record without a key is dealt round-robin. Kafka's
 * default does the same for keys, and since version 2.4 sends keyless records in "sticky" batches instead.
 */
public final class DefaultPartitioner implements Partitioner {

    private final KeyHashPartitioner byKey = new KeyHashPartitioner();
    private final RoundRobinPartitioner inTurn = new RoundRobinPartitioner();

    @Override
    public int partition(String topic, Record record, int partitionCount) {
        return record.hasKey() ? byKey.partition(topic, record, partitionCount)
                : inTurn.partition(topic, record, partitionCount);
    }

    @Override
    public String toString() {
        return "DefaultPartitioner[key: murmur2, no key: round robin]";
    }
}
