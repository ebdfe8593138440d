package toykafka.broker.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.KafkaStorageException;
import toykafka.common.TopicPartition;

/** An offset store in memory that outlives the coordinators built on it, and can be made to refuse writes. */
final class MemoryOffsetStore implements OffsetStore {

    private final List<Map.Entry<String, Map<TopicPartition, Long>>> writes = new ArrayList<>();
    private final Map<String, SortedMap<TopicPartition, Long>> stored = new TreeMap<>();
    private final Map<String, Map<TopicPartition, String>> strings = new TreeMap<>();
    /** Commits inside transactions, by producer id: this store sees no markers, so a replay gives them back held. */
    private final Map<Long, List<TransactionalCommit>> held = new TreeMap<>();
    /** Each classic group's last written state. */
    private final Map<String, ClassicGroupSnapshot> groups = new TreeMap<>();
    boolean failing;

    @Override
    public synchronized void writeGroup(ClassicGroupSnapshot group) {
        if (failing) {
            throw new KafkaStorageException("the disk under the offsets store is failing", null);
        }
        groups.put(group.groupId(), group);
    }

    @Override
    public synchronized void deleteGroup(String groupId) {
        groups.remove(groupId);
    }

    @Override
    public synchronized void writeTransactional(long producerId, short epoch, TransactionalCommit commit) {
        if (failing) {
            throw new KafkaStorageException("the disk under the offsets store is failing", null);
        }
        held.computeIfAbsent(producerId, id -> new ArrayList<>()).add(commit);
    }

    @Override
    public synchronized Replayed replayAll() {
        Map<Long, List<TransactionalCommit>> pending = new TreeMap<>();
        held.forEach((producerId, commits) -> pending.put(producerId, List.copyOf(commits)));
        return new Replayed(replay(), replayMetadata(), pending, new TreeMap<>(groups));
    }

    @Override
    public synchronized void write(String groupId, String memberId, int generation, Map<TopicPartition, Long> offsets) {
        if (failing) {
            throw new KafkaStorageException("the disk under the offsets store is failing", null);
        }
        writes.add(Map.entry(groupId, Map.copyOf(offsets)));
        stored.computeIfAbsent(groupId, id -> new TreeMap<>()).putAll(offsets);
    }

    @Override
    public synchronized void write(String groupId, String memberId, int generation, Map<TopicPartition, Long> offsets,
                                   Map<TopicPartition, String> metadata) {
        write(groupId, memberId, generation, offsets);
        Map<TopicPartition, String> group = strings.computeIfAbsent(groupId, id -> new TreeMap<>());
        offsets.keySet().forEach(partition -> group.put(partition, metadata.getOrDefault(partition, "")));
    }

    @Override
    public synchronized void delete(String groupId, Collection<TopicPartition> partitions) {
        SortedMap<TopicPartition, Long> offsets = stored.get(groupId);
        if (offsets != null) {
            partitions.forEach(offsets::remove);
        }
        Map<TopicPartition, String> group = strings.get(groupId);
        if (group != null) {
            partitions.forEach(group::remove);
        }
    }

    @Override
    public synchronized Map<String, SortedMap<TopicPartition, Long>> replay() {
        Map<String, SortedMap<TopicPartition, Long>> copy = new TreeMap<>();
        stored.forEach((group, offsets) -> copy.put(group, new TreeMap<>(offsets)));
        return copy;
    }

    @Override
    public synchronized Map<String, Map<TopicPartition, String>> replayMetadata() {
        Map<String, Map<TopicPartition, String>> copy = new TreeMap<>();
        strings.forEach((group, metadata) -> copy.put(group, new TreeMap<>(metadata)));
        return copy;
    }

    synchronized int writes() {
        return writes.size();
    }
}
