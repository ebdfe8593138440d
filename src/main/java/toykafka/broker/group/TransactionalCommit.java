package toykafka.broker.group;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.TopicPartition;

/**
 * A group's offsets committed inside a producer's transaction (TxnOffsetCommit): written to the offsets topic at
 * once, in force only when the transaction commits, and forgotten if it aborts.
 */
public record TransactionalCommit(String groupId, SortedMap<TopicPartition, Long> offsets,
                                  Map<TopicPartition, String> metadata) {

    public TransactionalCommit {
        offsets = new TreeMap<>(offsets);
        metadata = Map.copyOf(metadata);
    }
}
