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
    boolean failing;

    @Override
    public synchronized void write(String groupId, String memberId, int generation, Map<TopicPartition, Long> offsets) {
        if (failing) {
            throw new KafkaStorageException("the disk under the offsets store is failing", null);
        }
        writes.add(Map.entry(groupId, Map.copyOf(offsets)));
        stored.computeIfAbsent(groupId, id -> new TreeMap<>()).putAll(offsets);
    }

    @Override
    public synchronized void delete(String groupId, Collection<TopicPartition> partitions) {
        SortedMap<TopicPartition, Long> offsets = stored.get(groupId);
        if (offsets != null) {
            partitions.forEach(offsets::remove);
        }
    }

    @Override
    public synchronized Map<String, SortedMap<TopicPartition, Long>> replay() {
        Map<String, SortedMap<TopicPartition, Long>> copy = new TreeMap<>();
        stored.forEach((group, offsets) -> copy.put(group, new TreeMap<>(offsets)));
        return copy;
    }

    synchronized int writes() {
        return writes.size();
    }
}
