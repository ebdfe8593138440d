package toykafka.broker.group.streams;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * A member's tasks of each kind, each a subtopology id with partitions (Kafka's {@code TasksTuple}): the active tasks
 * it runs, the standby tasks whose state it keeps warm, and warm-up tasks. A value: every change makes a new one.
 */
public record StreamsTasks(SortedMap<String, SortedSet<Integer>> active, SortedMap<String, SortedSet<Integer>> standby,
                           SortedMap<String, SortedSet<Integer>> warmup) {

    public static final StreamsTasks NONE = new StreamsTasks(Map.of(), Map.of(), Map.of());

    /** One kind of task: the assignment and reconciliation treat each alike. */
    enum Kind { ACTIVE, STANDBY, WARMUP }

    public StreamsTasks {
        active = frozen(active);
        standby = frozen(standby);
        warmup = frozen(warmup);
    }

    public StreamsTasks(Map<String, ? extends Set<Integer>> active, Map<String, ? extends Set<Integer>> standby,
                        Map<String, ? extends Set<Integer>> warmup) {
        this(copy(active), copy(standby), copy(warmup));
    }

    static StreamsTasks of(Map<String, List<Integer>> active, Map<String, List<Integer>> standby,
                           Map<String, List<Integer>> warmup) {
        return new StreamsTasks(sets(active), sets(standby), sets(warmup));
    }

    SortedMap<String, SortedSet<Integer>> of(Kind kind) {
        return kind == Kind.ACTIVE ? active : kind == Kind.STANDBY ? standby : warmup;
    }

    boolean has(Kind kind, String subtopology, int partition) {
        return of(kind).getOrDefault(subtopology, Collections.emptySortedSet()).contains(partition);
    }

    boolean isEmpty() {
        return count() == 0;
    }

    int count() {
        return count(active) + count(standby) + count(warmup);
    }

    /** Whether any task of this is also in {@code other}, kind for kind. */
    boolean overlaps(StreamsTasks other) {
        for (Kind kind : Kind.values()) {
            for (Map.Entry<String, SortedSet<Integer>> sub : of(kind).entrySet()) {
                if (sub.getValue().stream().anyMatch(p -> other.has(kind, sub.getKey(), p))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every task of this kind. */
    void forEach(Kind kind, BiConsumer<String, Integer> task) {
        of(kind).forEach((sub, partitions) -> partitions.forEach(p -> task.accept(sub, p)));
    }

    private static int count(Map<String, SortedSet<Integer>> tasks) {
        return tasks.values().stream().mapToInt(Set::size).sum();
    }

    private static Map<String, Set<Integer>> sets(Map<String, List<Integer>> tasks) {
        Map<String, Set<Integer>> sets = new TreeMap<>();
        tasks.forEach((sub, partitions) -> sets.computeIfAbsent(sub, s -> new TreeSet<>()).addAll(partitions));
        return sets;
    }

    private static SortedMap<String, SortedSet<Integer>> copy(Map<String, ? extends Set<Integer>> tasks) {
        SortedMap<String, SortedSet<Integer>> copy = new TreeMap<>();
        tasks.forEach((sub, partitions) -> copy.put(sub, new TreeSet<>(partitions)));
        return copy;
    }

    private static SortedMap<String, SortedSet<Integer>> frozen(Map<String, ? extends Set<Integer>> tasks) {
        SortedMap<String, SortedSet<Integer>> frozen = new TreeMap<>();
        tasks.forEach((sub, partitions) -> {
            if (!partitions.isEmpty()) {
                frozen.put(sub, Collections.unmodifiableSortedSet(new TreeSet<>(partitions)));
            }
        });
        return Collections.unmodifiableSortedMap(frozen);
    }
}
