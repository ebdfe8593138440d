package toykafka.broker.group.base;

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
 * offset, so what is kept grows with the partitions, not with the commits. Each producer's offsets are counted in
 * the bytes {@link CoordinatorMemory} estimates, charged to the owners that committed them (the transactional id
 * among them), and given back to them when its transaction ends. Thread-safe.
 */
public final class PendingTransactionalOffsets {

    /** One producer's offsets, by group, and what they were charged to whom. */
    private static final class Open {
        private final Map<String, TransactionalCommit> byGroup = new TreeMap<>();
        /** Who committed each group's offsets last: they are charged for them once they are in force. */
        private final Map<String, Owners> ownersByGroup = new HashMap<>();
        private final Charges charges;

        private Open(CoordinatorMemory memory) {
            this.charges = new Charges(memory);
        }
    }

    private final CoordinatorMemory memory;
    private final Map<Long, Open> byProducer = new HashMap<>();

    public PendingTransactionalOffsets(CoordinatorMemory memory) {
        this.memory = memory;
    }

    /** The bytes {@code commit} would add to what {@code producerId} keeps: only its partitions not kept yet. */
    public synchronized long growth(long producerId, TransactionalCommit commit) {
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

    /** Keeps {@code commit} for {@code producerId}'s transaction, its {@code bytes} charged to {@code owners}. */
    public synchronized void add(long producerId, TransactionalCommit commit, long bytes, Owners owners) {
        Open open = byProducer.computeIfAbsent(producerId, id -> new Open(memory));
        TransactionalCommit kept = open.byGroup.get(commit.groupId());
        if (kept == null) {
            open.byGroup.put(commit.groupId(), commit);
        } else {
            TreeMap<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>(kept.committed());
            committed.putAll(commit.committed());
            open.byGroup.put(commit.groupId(), new TransactionalCommit(commit.groupId(), committed));
        }
        open.ownersByGroup.put(commit.groupId(), owners);
        open.charges.charge(bytes, owners);
    }

    /** One group's offsets a transaction keeps, and who committed them. */
    public record Kept(TransactionalCommit commit, Owners owners) {
    }

    /** What {@code producerId}'s transaction keeps, one commit a group; none if it keeps nothing. */
    public synchronized List<Kept> keptBy(long producerId) {
        Open open = byProducer.get(producerId);
        List<Kept> kept = new ArrayList<>();
        if (open != null) {
            open.byGroup.forEach((groupId, commit) -> kept.add(new Kept(commit, open.ownersByGroup.get(groupId))));
        }
        return kept;
    }

    /** Takes away what {@code producerId}'s transaction kept, giving its bytes back to those charged. */
    public synchronized void remove(long producerId) {
        Open open = byProducer.remove(producerId);
        if (open != null) {
            open.charges.releaseAll();
        }
    }

    /** Whether a transaction not yet ended holds offsets of the group. */
    synchronized boolean holdsAny(String groupId) {
        return byProducer.values().stream().anyMatch(open -> open.byGroup.containsKey(groupId));
    }

    /** The group's partitions with offsets in a transaction not yet ended. */
    public synchronized Set<TopicPartition> partitionsOf(String groupId) {
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
