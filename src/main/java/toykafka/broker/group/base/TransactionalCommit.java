package toykafka.broker.group.base;

import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

/**
 * A group's offsets committed inside a producer's transaction (TxnOffsetCommit): written to the offsets topic at
 * once, in force only when the transaction commits, and forgotten if it aborts.
 */
public record TransactionalCommit(String groupId, SortedMap<TopicPartition, OffsetAndMetadata> committed) {

    public TransactionalCommit {
        committed = new TreeMap<>(committed);
    }

    /** The offsets alone. */
    public SortedMap<TopicPartition, Long> offsets() {
        return OffsetAndMetadata.offsets(committed);
    }
}
