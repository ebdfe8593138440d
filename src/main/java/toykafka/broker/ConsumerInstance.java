package toykafka.broker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.InvalidRequestException;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.OffsetReset;
import toykafka.common.RecordLog;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson05.ConsumerRecord;

/**
 * One REST Proxy consumer instance: the member it is in its group (its coordinator-given id, generation
 * and assignment) and what a Kafka consumer would keep for itself, its position in each partition it owns.
 * Guarded by its group's lock in {@link ConsumerInstances}.
 */
final class ConsumerInstance {

    final String name;
    final OffsetReset reset;
    Set<String> topics = Set.of(); // none until it subscribes
    String memberId = "";          // the coordinator's id for it, once it has joined
    int generation = -1;
    boolean joining;
    List<TopicPartition> assigned = List.of();
    int assignedInGeneration = -1;
    Instant lastHeard;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private int generationSeen = -1;
    private int firstPartition; // turns with each read, so a small max_records starves no partition

    ConsumerInstance(String name, OffsetReset reset, Instant now) {
        this.name = name;
        this.reset = reset;
        this.lastHeard = now;
    }

    boolean subscribed() {
        return !topics.isEmpty();
    }

    /** The partitions it owns in its generation: none while its assignment for it is on the way. */
    List<TopicPartition> owned() {
        return subscribed() && assignedInGeneration == generation ? assigned : List.of();
    }

    /** Its positions, after {@link #syncPositions}. */
    SortedMap<TopicPartition, Long> positions() {
        return new TreeMap<>(positions);
    }

    /**
     * After a rebalance, forgets partitions the instance lost and places it in those it gained. An instance
     * whose client did not call while the group rebalanced twice or more may have lost a partition and got
     * it back, and another member may have read further and committed meanwhile: none of its positions can
     * be trusted then, and each partition starts again at the group's committed offset.
     */
    List<TopicPartition> syncPositions(TopicRegistry topics, String groupId, Map<TopicPartition, Long> committed) {
        List<TopicPartition> owned = owned();
        if (assignedInGeneration - generationSeen > 1) {
            positions.clear();
        }
        positions.keySet().retainAll(owned);
        for (TopicPartition partition : owned) {
            if (!positions.containsKey(partition)) {
                positions.put(partition, startingOffset(topics, groupId, partition, committed.get(partition)));
            }
        }
        generationSeen = assignedInGeneration;
        return owned;
    }

    /** Where a partition with no position starts: the group's commit if the log still holds it, else the reset. */
    private long startingOffset(TopicRegistry topics, String groupId, TopicPartition partition, Long committed) {
        RecordLog log = topics.log(partition.topic(), partition.partition());
        if (committed != null && committed >= log.earliest() && committed <= log.endOffset()) {
            return committed;
        }
        return switch (reset) {
            case EARLIEST -> log.earliest();
            case LATEST -> log.endOffset();
            case NONE -> throw committed == null ? NoOffsetForPartitionException.of(groupId, partition)
                    : OffsetOutOfRangeException.of(committed, log.earliest(), log.endOffset());
        };
    }

    /** Up to {@code maxRecords} records from its partitions, taking them in turn; positions move past them. */
    List<ConsumerRecord> read(TopicRegistry topics, BrokerStats stats, int maxRecords) {
        List<TopicPartition> owned = owned();
        List<ConsumerRecord> records = new ArrayList<>();
        int first = owned.isEmpty() ? 0 : Math.floorMod(firstPartition++, owned.size());
        for (int i = 0; i < owned.size() && records.size() < maxRecords; i++) {
            TopicPartition partition = owned.get((first + i) % owned.size());
            RecordLog log = topics.log(partition.topic(), partition.partition());
            long position = Math.max(positions.get(partition), log.earliest()); // retention may have passed it
            long bytes = 0;
            List<OffsetRecord> read = log.readBatchWithOffsets(position, maxRecords - records.size());
            for (OffsetRecord record : read) {
                records.add(new ConsumerRecord(partition, record.offset(), record.record()));
                bytes += record.record().sizeInBytes();
                position = record.offset() + 1; // past any gap before it
            }
            positions.put(partition, position);
            stats.consumed(partition.topic(), read.size(), bytes);
        }
        return records;
    }

    /** Whether a read would return something: a record past a position, or a rebalance since the last read. */
    boolean hasRecordsOrRebalance(TopicRegistry topics) {
        if (!subscribed() || generationSeen != assignedInGeneration) {
            return true;
        }
        for (Map.Entry<TopicPartition, Long> position : positions.entrySet()) {
            TopicPartition partition = position.getKey();
            if (topics.log(partition.topic(), partition.partition()).endOffset() > position.getValue()) {
                return true;
            }
        }
        return false;
    }

    /** Moves its position in a partition it owns (after {@link #syncPositions}). */
    void seek(TopicRegistry topics, TopicPartition partition, long offset) {
        if (!owned().contains(partition)) {
            throw new InvalidRequestException("consumer instance '" + name + "' cannot seek in " + partition
                    + ": it owns " + owned());
        }
        RecordLog log = topics.log(partition.topic(), partition.partition());
        if (offset < log.earliest() || offset > log.endOffset()) {
            throw new OffsetOutOfRangeException("cannot seek to offset " + offset + " in " + partition
                    + ": a position runs from the log start offset " + log.earliest() + " to the end offset "
                    + log.endOffset(), offset, log.earliest(), log.endOffset());
        }
        positions.put(partition, offset);
    }

    @Override
    public String toString() {
        return "ConsumerInstance[" + name + ", " + memberId + ", generation " + generation + ", owns " + owned() + "]";
    }
}
