package toykafka.broker;

import java.util.Objects;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

/**
 * Where to read one partition from, and the most bytes to take from it (Kafka's partition_max_bytes), with the
 * leader epoch the reader believes current and the epoch of the last batch it fetched ({@link #NO_EPOCH} for
 * either when it names none): a reader ahead of this leader's epoch is told so, and one whose last epoch ended
 * before its offset is told where the log diverges from what it holds.
 */
public record FetchPartition(TopicPartition partition, long offset, int maxBytes, int currentLeaderEpoch,
                             int lastFetchedEpoch) {

    /** No epoch named: Kafka reads any negative epoch as none. */
    public static final int NO_EPOCH = -1;

    public FetchPartition {
        Objects.requireNonNull(partition, "partition");
        if (maxBytes < 0) {
            throw new InvalidRequestException("partition max bytes must be 0 or more, was " + maxBytes);
        }
        currentLeaderEpoch = Math.max(NO_EPOCH, currentLeaderEpoch);
        lastFetchedEpoch = Math.max(NO_EPOCH, lastFetchedEpoch);
    }

    /** A read that names no epochs, as a consumer's before KIP-320 and every reader inside the broker. */
    public FetchPartition(TopicPartition partition, long offset, int maxBytes) {
        this(partition, offset, maxBytes, NO_EPOCH, NO_EPOCH);
    }
}
