package toykafka.broker;

import java.util.Objects;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

/** Where to read one partition from, and the most bytes to take from it (Kafka's partition_max_bytes). */
public record FetchPartition(TopicPartition partition, long offset, int maxBytes) {
    public FetchPartition {
        Objects.requireNonNull(partition, "partition");
        if (maxBytes < 0) {
            throw new InvalidRequestException("partition max bytes must be 0 or more, was " + maxBytes);
        }
    }
}
