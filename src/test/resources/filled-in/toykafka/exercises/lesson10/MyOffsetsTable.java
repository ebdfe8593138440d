package toykafka.exercises.lesson10;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.coordinators.Commit;
import toykafka.broker.coordinators.OffsetsTable;
import toykafka.common.TopicPartition;

/** A learner's table, written another way than the reference: one flat map keyed by group and partition. */
public class MyOffsetsTable implements OffsetsTable {

    private record Key(String group, TopicPartition partition) {
    }

    private final Map<Key, Long> offsets = new HashMap<>();

    @Override
    public void apply(Commit commit) {
        if (commit == null) {
            throw new NullPointerException("no null commits");
        }
        Key key = new Key(commit.group(), commit.partition());
        if (commit.isTombstone()) {
            offsets.remove(key);
        } else {
            offsets.put(key, commit.offset().getAsLong());
        }
    }

    @Override
    public OptionalLong committed(String group, TopicPartition partition) {
        Long offset = offsets.get(new Key(group, partition));
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public SortedMap<TopicPartition, Long> offsets(String group) {
        SortedMap<TopicPartition, Long> mine = new TreeMap<>();
        offsets.forEach((key, offset) -> {
            if (key.group().equals(group)) {
                mine.put(key.partition(), offset);
            }
        });
        return mine;
    }

    @Override
    public SortedSet<String> groups() {
        SortedSet<String> groups = new TreeSet<>();
        offsets.keySet().forEach(key -> groups.add(key.group()));
        return groups;
    }
}
