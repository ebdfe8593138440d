package toykafka.lesson05;

import toykafka.common.Record;
import toykafka.common.TopicPartition;

/** A record as a group member reads it: with the partition and offset it came from. Kafka's name. */
public record ConsumerRecord(TopicPartition partition, long offset, Record record) {

    @Override
    public String toString() {
        return partition + "@" + offset + " " + record.valueText();
    }
}
