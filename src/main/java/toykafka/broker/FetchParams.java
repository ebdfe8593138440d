package toykafka.broker;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

/**
 * A read of many partitions (Kafka's {@code FetchParams} and fetch data): answer as soon as
 * {@code minBytes} are there, or at {@code maxWait} with what there is; take at most {@code maxBytes}
 * in all, though always one whole batch from the first partition that has any, so a batch larger than
 * the bounds still gets read. With {@code readCommitted} (Kafka's READ_COMMITTED), each partition is read
 * only up to its last stable offset, and its answer lists the aborted transactions in what was read.
 */
public record FetchParams(Duration maxWait, int minBytes, int maxBytes, List<FetchPartition> partitions,
                          boolean readCommitted) {

    /** A read of everything written, committed or not (Kafka's READ_UNCOMMITTED). */
    public FetchParams(Duration maxWait, int minBytes, int maxBytes, List<FetchPartition> partitions) {
        this(maxWait, minBytes, maxBytes, partitions, false);
    }

    public FetchParams {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new InvalidRequestException("max wait must be 0 ms or more, was " + maxWait.toMillis() + " ms");
        }
        if (minBytes < 0 || maxBytes < 0) {
            throw new InvalidRequestException("min bytes and max bytes must be 0 or more, were " + minBytes
                    + " and " + maxBytes);
        }
        partitions = List.copyOf(partitions);
    }

    /** One partition, waiting for one byte: what a single consumer's long poll asks. */
    public static FetchParams of(TopicPartition partition, long offset, int maxBytes, Duration maxWait) {
        return new FetchParams(maxWait, 1, maxBytes, List.of(new FetchPartition(partition, offset, maxBytes)));
    }
}
