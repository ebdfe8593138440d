package toykafka.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

/**
 * The offsets committed inside transactions that have not ended (Kafka's {@code pendingTransactionalOffsetCommits}),
 * by producer, then group: a producer that commits the same partition again in its transaction replaces its
 * offset, so what is kept grows with the partitions, not with the commits. Each producer's share is counted in
 * the bytes {@link CoordinatorMemory} estimates, given back when its transaction ends. Thread-safe.
 */
final class PendingTransactionalOffsets {

    /** One producer's offsets, by group, and the bytes they were counted at. */
    private static final class Open {
        private final Map<String, TransactionalCommit> byGroup = new TreeMap<>();
        private long bytes;
    }

    private final Map<Long, Open> byProducer = new HashMap<>();

    /** The bytes {@code commit} would add to what {@code producerId} keeps: only its partitions not kept yet. */
    synchronized long growth(long producerId, TransactionalCommit commit) {
        Open open = byProducer.get(producerId);
        TransactionalCommit kept = open == null ? null : open.byGroup.get(commit.groupId());
        long bytes = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : commit.committed().entrySet()) {
            if (kept == null || !kept.committed().containsKey(entry.getKey())) {
                bytes += CoordinatorMemory.offsetBytes(entry.getKey().topic(), entry.getValue().metadata());
            }
        }
        return bytes;
    }

    /** Keeps {@code commit} for {@code producerId}'s transaction, counted at {@code bytes}. */
    synchronized void add(long producerId, TransactionalCommit commit, long bytes) {
        Open open = byProducer.computeIfAbsent(producerId, id -> new Open());
        TransactionalCommit kept = open.byGroup.get(commit.groupId());
        if (kept == null) {
            open.byGroup.put(commit.groupId(), commit);
        } else {
            TreeMap<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>(kept.committed());
            committed.putAll(commit.committed());
            open.byGroup.put(commit.groupId(), new TransactionalCommit(commit.groupId(), committed));
        }
        open.bytes += bytes;
    }

    /** What {@code producerId}'s transaction keeps, one commit a group; none if it keeps nothing. */
    synchronized List<TransactionalCommit> pendingOf(long producerId) {
        Open open = byProducer.get(producerId);
        return open == null ? List.of() : new ArrayList<>(open.byGroup.values());
    }

    /** Takes away what {@code producerId}'s transaction kept; returns the bytes it was counted at (0 for nothing). */
    synchronized long remove(long producerId) {
        Open open = byProducer.remove(producerId);
        return open == null ? 0 : open.bytes;
    }

    /** The group's partitions with offsets in a transaction not yet ended. */
    synchronized Set<TopicPartition> partitionsOf(String groupId) {
        Set<TopicPartition> partitions = new TreeSet<>();
        for (Open open : byProducer.values()) {
            TransactionalCommit kept = open.byGroup.get(groupId);
            if (kept != null) {
                partitions.addAll(kept.committed().keySet());
            }
        }
        return partitions;
    }
}
