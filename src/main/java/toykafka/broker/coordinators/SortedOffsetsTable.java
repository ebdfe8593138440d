package toykafka.broker.coordinators;

import java.util.Collections;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.TopicPartition;

/** The reference offsets table: a sorted map per group, so the group's offsets come out in order. */
public final class SortedOffsetsTable implements OffsetsTable {

    private final SortedMap<String, SortedMap<TopicPartition, Long>> groups = new TreeMap<>();

    // tag::apply[]
    @Override
    public void apply(Commit commit) {
        Objects.requireNonNull(commit, "a commit must not be null: the offsets topic holds no empty records");
        if (commit.isTombstone()) {
            SortedMap<TopicPartition, Long> offsets = groups.get(commit.group());
            if (offsets != null) {
                offsets.remove(commit.partition());
                if (offsets.isEmpty()) {
                    groups.remove(commit.group()); // a group with no offsets left is no group of this table's
                }
            }
            return;
        }
        groups.computeIfAbsent(commit.group(), group -> new TreeMap<>())
                .put(commit.partition(), commit.offset().getAsLong());
    }
    // end::apply[]

    @Override
    public OptionalLong committed(String group, TopicPartition partition) {
        Long offset = groups.getOrDefault(group, Collections.emptySortedMap()).get(partition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public SortedMap<TopicPartition, Long> offsets(String group) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(groups.getOrDefault(group, Collections.emptySortedMap())));
    }

    @Override
    public SortedSet<String> groups() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(groups.keySet()));
    }

    @Override
    public String toString() {
        return "SortedOffsetsTable" + groups;
    }
}
