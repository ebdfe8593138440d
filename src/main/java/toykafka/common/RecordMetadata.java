package toykafka.common;

import java.time.Instant;

/** Where a written record went, and the timestamp it was stored with. Kafka's producer returns the same. */
public record RecordMetadata(TopicPartition partition, long offset, Instant timestamp) {

    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}
