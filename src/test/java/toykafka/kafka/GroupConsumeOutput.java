package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.KafkaClients.only;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@link GroupConsumeChild}ren printed (assignments with their generation, records, commits), read back, and
 * the rules every group holds to: no partition has two owners in a generation, every record is read, no commit goes
 * back, and nothing committed is read again.
 */
final class GroupConsumeOutput {

    private GroupConsumeOutput() {
    }

    /** A record's place in the topic. */
    record At(int partition, long offset) implements Comparable<At> {
        @Override
        public int compareTo(At other) {
            return Comparator.comparingInt(At::partition).thenComparingLong(At::offset).compare(this, other);
        }
    }

    /**
     * Each member's whole assignment ({@code owned}) in each generation it was told of, from its assigned
     * lines: generation, then member ("A/0": the child and the consumer's index in it), then partitions.
     */
    static SortedMap<Integer, Map<String, Set<Integer>>> assignments(GroupConsumeChild... children) {
        SortedMap<Integer, Map<String, Set<Integer>>> byGeneration = new TreeMap<>();
        for (GroupConsumeChild child : children) {
            for (ProbeLine line : only("assigned", child.lines())) {
                byGeneration.computeIfAbsent((int) line.getLong("generation"), generation -> new TreeMap<>())
                        .put(child.name + "/" + line.get("member"), partitions(line.get("owned")));
            }
        }
        return byGeneration;
    }

    static Set<Integer> partitions(String list) {
        return list.isEmpty() ? new TreeSet<>()
                : Arrays.stream(list.split(",")).map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    static void assertNoPartitionHasTwoOwners(SortedMap<Integer, Map<String, Set<Integer>>> assignments) {
        assignments.forEach((generation, owners) -> {
            Map<Integer, String> ownerOf = new HashMap<>();
            owners.forEach((member, owned) -> owned.forEach(partition -> {
                String other = ownerOf.put(partition, member);
                assertNull(other, "generation " + generation + " gave partition " + partition + " to " + other
                        + " and to " + member + ": " + assignments);
            }));
        });
    }

    /** Every record a child's consumers read, by place; a place read twice must hold the same value. */
    static Map<At, String> recordsRead(GroupConsumeChild... children) {
        Map<At, String> read = new TreeMap<>();
        for (GroupConsumeChild child : children) {
            for (ProbeLine line : only("record", child.lines())) {
                At at = new At((int) line.getLong("partition"), line.getLong("offset"));
                String before = read.put(at, line.get("value"));
                assertTrue(before == null || before.equals(line.get("value")), "two values read at " + at);
            }
        }
        return read;
    }

    /** The partitions a child's consumers read records of. */
    static Set<Integer> partitionsRead(GroupConsumeChild child) {
        return recordsRead(child).keySet().stream().map(At::partition).collect(Collectors.toSet());
    }

    /** The values of every record a child's consumers read. */
    static Set<String> values(GroupConsumeChild child) {
        return only("record", child.lines()).stream().map(line -> line.get("value"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every record produced was read, each commit only went forward, and nothing committed was read again. */
    static void assertEveryRecordReadOnce(Map<At, String> produced, GroupConsumeChild... children) {
        assertEveryRecordRead(produced, children);
        assertCommitsHeld(children);
    }

    static void assertEveryRecordRead(Map<At, String> produced, GroupConsumeChild... children) {
        Map<At, String> read = recordsRead(children);
        List<String> missing = new ArrayList<>();
        produced.forEach((at, value) -> {
            if (!value.equals(read.get(at))) {
                missing.add(at + " " + value + (read.containsKey(at) ? " (read as " + read.get(at) + ")" : ""));
            }
        });
        assertEquals(List.of(), missing, "records the group never read (or read otherwise)");
    }

    /** No commit went back, and no consumer read again what the group had committed past. */
    static void assertCommitsHeld(GroupConsumeChild... children) {
        assertCommitsNeverGoBack(children);
        assertNothingCommittedIsReadAgain(children);
    }

    /**
     * Each partition's commits, in generation order (within one generation a partition has one owner, which
     * commits in the order it prints), never go back.
     */
    static void assertCommitsNeverGoBack(GroupConsumeChild... children) {
        record Commit(int generation, int order, long offset, String by) {
        }
        Map<Integer, List<Commit>> byPartition = new TreeMap<>();
        for (GroupConsumeChild child : children) {
            List<ProbeLine> commits = only("committed", child.lines());
            for (int i = 0; i < commits.size(); i++) {
                ProbeLine line = commits.get(i);
                byPartition.computeIfAbsent((int) line.getLong("partition"), p -> new ArrayList<>()).add(new Commit(
                        (int) line.getLong("generation"), i, line.getLong("offset"), child.name + "/" + line.get("member")));
            }
        }
        assertFalse(byPartition.isEmpty(), "something was committed");
        byPartition.forEach((partition, commits) -> {
            commits.sort(Comparator.comparingInt(Commit::generation).thenComparing(Commit::by).thenComparingInt(Commit::order));
            for (int i = 1; i < commits.size(); i++) {
                assertTrue(commits.get(i).offset() >= commits.get(i - 1).offset(), "partition " + partition
                        + "'s committed offset went back: " + commits.get(i - 1) + " then " + commits.get(i));
            }
        });
    }

    /**
     * Every record was read in a generation after the commits of the generations before it: whoever takes a
     * partition over starts at its committed offset, so no record below an offset committed in an earlier
     * generation is read again. (Records read and not yet committed may be read twice; none are here, as each
     * member commits before it rejoins and a killed one had committed all it read.)
     */
    static void assertNothingCommittedIsReadAgain(GroupConsumeChild... children) {
        Map<Integer, TreeMap<Integer, Long>> highestByGeneration = new TreeMap<>(); // partition, generation: offset
        for (GroupConsumeChild child : children) {
            for (ProbeLine line : only("committed", child.lines())) {
                highestByGeneration.computeIfAbsent((int) line.getLong("partition"), p -> new TreeMap<>())
                        .merge((int) line.getLong("generation"), line.getLong("offset"), Math::max);
            }
        }
        List<String> readAgain = new ArrayList<>();
        for (GroupConsumeChild child : children) {
            for (ProbeLine line : only("record", child.lines())) {
                int generation = (int) line.getLong("generation");
                long committedBefore = highestByGeneration.getOrDefault((int) line.getLong("partition"), new TreeMap<>())
                        .headMap(generation).values().stream().mapToLong(Long::longValue).max().orElse(0);
                if (line.getLong("offset") < committedBefore) {
                    readAgain.add(child.name + "/" + line.get("member") + " read partition " + line.get("partition")
                            + " offset " + line.get("offset") + " in generation " + generation + ", below the "
                            + committedBefore + " committed before it");
                }
            }
        }
        assertEquals(List.of(), readAgain, "records read again although the group had committed past them");
    }

    /** The partitions a member's revoked lines name, up to its closing line (a close revokes all it owns). */
    static Set<Integer> revokedBeforeClosing(GroupConsumeChild child, String member) {
        return revokedSince(child, member, Integer.MIN_VALUE);
    }

    /** The partitions a member was asked to revoke in generations after {@code generation}, before it closed. */
    static Set<Integer> revokedSince(GroupConsumeChild child, String member, int generation) {
        String index = member.substring(member.indexOf('/') + 1);
        Set<Integer> revoked = new TreeSet<>();
        for (ProbeLine line : child.lines()) {
            if (!index.equals(line.fields().get("member"))) {
                continue;
            }
            if (line.word().equals("closing")) {
                break;
            }
            if (line.word().equals("revoked") && line.getLong("generation") > generation) {
                revoked.addAll(partitions(line.get("partitions")));
            }
        }
        return revoked;
    }

    /**
     * Whether the client with this member id has run its assignment callback. The broker counts a member stable as soon
     * as it hands out partitions nobody must give up, before the client's next poll runs the callback.
     */
    static boolean toldItsAssignment(String memberId, GroupConsumeChild... children) {
        return Stream.of(children).anyMatch(child -> only("assigned", child.lines()).stream()
                .anyMatch(line -> memberId.equals(line.get("memberId"))));
    }

    /** The member id a child's (only) consumer had. */
    static String memberId(GroupConsumeChild child) {
        List<ProbeLine> assigned = only("assigned", child.lines());
        assertFalse(assigned.isEmpty(), child.describe());
        return assigned.get(assigned.size() - 1).get("memberId");
    }
}
