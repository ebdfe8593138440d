package toykafka.broker.group.base;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

/**
 * One group's committed offsets in force, each with its leader epoch and metadata, and when it was committed
 * (Kafka keeps them apart from the group's members too, in its {@code OffsetMetadataManager}). Guarded by its
 * group's lock; the {@link GroupCoordinator} writes to the {@link OffsetStore} before it changes them here.
 */
public final class GroupOffsets {

    private final CoordinatorMemory memory;
    private final SortedMap<TopicPartition, OffsetAndMetadata> offsets = new TreeMap<>();
    /** When each offset was committed: a group that never had members keeps each for the retention after it. */
    private final Map<TopicPartition, Instant> committedAt = new HashMap<>();
    /** Whom each offset's bytes were charged to: the owners of the commit that wrote it last. */
    private final Map<TopicPartition, Owners> committedBy = new HashMap<>();

    public GroupOffsets(CoordinatorMemory memory) {
        this.memory = memory;
    }

    /** How many bytes of the coordinator's memory these offsets would add, or free if negative, were they committed. */
    public long growth(Map<TopicPartition, OffsetAndMetadata> committed) {
        long growth = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            growth += bytes(entry.getKey(), entry.getValue())
                    - (offsets.containsKey(entry.getKey()) ? bytes(entry.getKey(), offsets.get(entry.getKey())) : 0);
        }
        return growth;
    }

    private static long bytes(TopicPartition partition, OffsetAndMetadata value) {
        return CoordinatorMemory.offsetBytes(partition.topic(), value.metadata());
    }

    /**
     * Offsets committed (or loaded at start, by {@link Owners#NONE}) now, each replacing what its partition had:
     * the bytes it had are credited back to whoever committed them, and the new ones charged to {@code by}.
     */
    public void committed(Map<TopicPartition, OffsetAndMetadata> committed, Instant now, Owners by) {
        committed.forEach((partition, value) -> {
            OffsetAndMetadata replaced = offsets.put(partition, value);
            if (replaced != null) {
                memory.credit(bytes(partition, replaced), committedBy.get(partition));
            }
            memory.charge(bytes(partition, value), by);
            committedAt.put(partition, now);
            committedBy.put(partition, by);
        });
    }

    /** Offsets removed (deleted by hand, their topic was deleted, or they expired). */
    public void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            OffsetAndMetadata gone = offsets.remove(partition);
            if (gone != null) {
                memory.credit(bytes(partition, gone), committedBy.get(partition));
            }
            committedAt.remove(partition);
            committedBy.remove(partition);
        });
    }

    /** Every offset removed: the group is deleted. */
    void clear() {
        forget(List.copyOf(offsets.keySet()));
        offsets.clear();
        committedAt.clear();
        committedBy.clear();
    }

    boolean isEmpty() {
        return offsets.isEmpty();
    }

    public boolean has(TopicPartition partition) {
        return offsets.containsKey(partition);
    }

    /** Every partition with an offset, in order. */
    public List<TopicPartition> partitions() {
        return List.copyOf(offsets.keySet());
    }

    /** The partitions of this topic with an offset. */
    public List<TopicPartition> ofTopic(String topic) {
        return offsets.keySet().stream().filter(partition -> partition.topic().equals(topic)).toList();
    }

    // tag::expiry[]
    /**
     * The offsets of an empty group whose retention ran out, as Kafka's {@code offsets.retention.minutes} (KIP-211)
     * has it: a group that had members kept its offsets while it had any, and keeps them all for the retention after
     * the last one left ({@code emptySince}); a group that never had members (its offsets committed from outside any
     * generation) keeps each offset for the retention after its commit.
     */
    public List<TopicPartition> expired(Duration retention, Instant now, Instant emptySince, boolean hadMembers) {
        if (hadMembers) {
            return now.isBefore(emptySince.plus(retention)) ? List.of() : partitions();
        }
        return olderThan(retention, now, emptySince);
    }
    // end::expiry[]

    /** The partitions whose offset was committed at least {@code retention} before now; one of unknown time at {@code since}. */
    public List<TopicPartition> olderThan(Duration retention, Instant now, Instant since) {
        return offsets.keySet().stream()
                .filter(partition -> !now.isBefore(committedAt.getOrDefault(partition, since).plus(retention)))
                .toList();
    }

    /** What OffsetFetch answers: the offsets of these partitions, or of every one with null. */
    public OffsetFetchResponse fetch(Collection<TopicPartition> partitions) {
        SortedMap<TopicPartition, OffsetAndMetadata> fetched = new TreeMap<>(offsets);
        if (partitions != null) {
            fetched.keySet().retainAll(Set.copyOf(partitions));
        }
        return new OffsetFetchResponse(Errors.NONE, fetched);
    }
}
