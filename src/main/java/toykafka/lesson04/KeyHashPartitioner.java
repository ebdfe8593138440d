package toykafka.lesson04;

import java.util.Objects;
import toykafka.common.Record;

/** Kafka's partitioner for keyed records: the same key always goes to the same partition. */
public final class KeyHashPartitioner implements Partitioner {

    // tag::partition[]
    @Override
    public int partition(String topic, Record record, int partitionCount) {
        byte[] key = Objects.requireNonNull(record, "record").key();
        if (key == null) {
            throw new IllegalArgumentException("the key-hash partitioner needs a key, and this record to topic '"
                    + topic + "' has none: give it a key, or use a round-robin partitioner");
        }
        return partitionForKey(key, partitionCount);
    }

    public static int partitionForKey(byte[] key, int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("a topic has 1 or more partitions, not " + partitionCount);
        }
        return Murmur2.toPositive(Murmur2.hash(key)) % partitionCount;
    }
    // end::partition[]

    @Override
    public String toString() {
        return "KeyHashPartitioner[murmur2]";
    }
}
