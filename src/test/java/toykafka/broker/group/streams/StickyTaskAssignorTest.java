package toykafka.broker.group.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The streams group's sticky task assignor against Kafka's rules: every task active on exactly one member, balanced;
 * tasks stay with the member that had them; standby tasks never on the process of the active one. Random groups are
 * made from a seed, which a failure names.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StickyTaskAssignorTest {

    private static SortedMap<String, Integer> tasks(int... counts) {
        SortedMap<String, Integer> tasks = new TreeMap<>();
        for (int i = 0; i < counts.length; i++) {
            tasks.put(String.valueOf(i), counts[i]);
        }
        return tasks;
    }

    private static StickyTaskAssignor.Member member(String id, String process, StreamsTasks previous) {
        return new StickyTaskAssignor.Member(id, process, previous);
    }

    private static StreamsTasks active(String sub, Integer... partitions) {
        return new StreamsTasks(Map.of(sub, new TreeSet<>(List.of(partitions))), Map.of(), Map.of());
    }

    @Test
    void every_task_is_active_once_and_the_members_are_balanced() {
        Map<String, StreamsTasks> assigned = StickyTaskAssignor.assign(List.of(
                member("a", "p1", StreamsTasks.NONE), member("b", "p2", StreamsTasks.NONE),
                member("c", "p3", StreamsTasks.NONE)), tasks(4, 4), Set.of(), 0);
        assertEquals(8, assigned.values().stream().mapToInt(t -> t.active().values().stream()
                .mapToInt(Set::size).sum()).sum());
        assigned.values().forEach(t -> assertTrue(t.count() == 2 || t.count() == 3, assigned.toString()));
        assertEveryTaskActiveOnce(assigned, tasks(4, 4), "no seed");
    }

    @Test
    void a_task_stays_with_the_member_that_ran_it_and_a_new_member_takes_only_its_share() {
        Map<String, StreamsTasks> assigned = StickyTaskAssignor.assign(List.of(
                member("a", "p1", active("0", 0, 1, 2, 3)), member("b", "p2", StreamsTasks.NONE)),
                tasks(4), Set.of(), 0);
        assertEquals(Set.of(0, 1), assigned.get("a").active().get("0"), "a keeps the first tasks of its share");
        assertEquals(Set.of(2, 3), assigned.get("b").active().get("0"));
    }

    @Test
    void a_standby_never_lands_on_the_process_of_its_active_task_and_prefers_the_previous_active() {
        Map<String, StreamsTasks> assigned = StickyTaskAssignor.assign(List.of(
                member("a1", "p1", active("0", 0, 1)), member("a2", "p1", StreamsTasks.NONE),
                member("b1", "p2", active("0", 2, 3))), tasks(4), Set.of("0"), 1);
        for (int partition = 0; partition < 4; partition++) {
            String activeProcess = null;
            String standbyProcess = null;
            for (Map.Entry<String, StreamsTasks> member : assigned.entrySet()) {
                String process = member.getKey().startsWith("a") ? "p1" : "p2";
                if (member.getValue().has(StreamsTasks.Kind.ACTIVE, "0", partition)) {
                    activeProcess = process;
                }
                if (member.getValue().has(StreamsTasks.Kind.STANDBY, "0", partition)) {
                    standbyProcess = process;
                }
            }
            assertTrue(activeProcess != null && standbyProcess != null && !activeProcess.equals(standbyProcess),
                    "task 0_" + partition + ": " + assigned);
        }
    }

    @Test
    void a_stateless_subtopology_gets_no_standby_tasks() {
        Map<String, StreamsTasks> assigned = StickyTaskAssignor.assign(List.of(member("a", "p1", StreamsTasks.NONE),
                member("b", "p2", StreamsTasks.NONE)), tasks(2, 2), Set.of("1"), 1);
        assigned.values().forEach(t -> assertFalse(t.standby().containsKey("0"), assigned.toString()));
        assertEquals(2, assigned.values().stream().mapToInt(t -> t.standby().getOrDefault("1", new TreeSet<>())
                .size()).sum());
    }

    @Test
    void random_groups_keep_the_rules_and_a_second_run_moves_nothing() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            int processes = 1 + random.nextInt(4);
            List<StickyTaskAssignor.Member> members = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                int threads = 1 + random.nextInt(3);
                for (int t = 0; t < threads; t++) {
                    members.add(member("m" + p + "-" + t, "p" + p, StreamsTasks.NONE));
                }
            }
            int[] counts = new int[1 + random.nextInt(3)];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = 1 + random.nextInt(8);
            }
            SortedMap<String, Integer> tasks = tasks(counts);
            int standbys = random.nextInt(3);
            Map<String, StreamsTasks> first = StickyTaskAssignor.assign(members, tasks, tasks.keySet(), standbys);
            assertEveryTaskActiveOnce(first, tasks, "seed " + seed);
            int total = tasks.values().stream().mapToInt(i -> i).sum();
            int share = (total + members.size() - 1) / members.size();
            String named = "seed " + seed;
            first.forEach((id, t) -> assertTrue(t.active().values().stream().mapToInt(Set::size).sum() <= share,
                    named + ": " + id + " has more than its share " + share + ": " + first));
            assertStandbysApart(first, members, tasks, standbys, processes, "seed " + seed);

            List<StickyTaskAssignor.Member> again = members.stream().map(m -> member(m.memberId(), m.processId(),
                    first.get(m.memberId()))).toList();
            Map<String, StreamsTasks> second = StickyTaskAssignor.assign(again, tasks, tasks.keySet(), standbys);
            for (StickyTaskAssignor.Member m : members) {
                assertEquals(first.get(m.memberId()).active(), second.get(m.memberId()).active(),
                        named + ": the same group assigned again keeps every active task where it was");
            }
        }
    }

    private static void assertEveryTaskActiveOnce(Map<String, StreamsTasks> assigned, SortedMap<String, Integer> tasks,
                                                  String seed) {
        tasks.forEach((sub, count) -> {
            for (int p = 0; p < count; p++) {
                int partition = p;
                long owners = assigned.values().stream().filter(t -> t.has(StreamsTasks.Kind.ACTIVE, sub, partition))
                        .count();
                assertEquals(1, owners, seed + ": task " + sub + "_" + p + " active on one member: " + assigned);
            }
        });
    }

    private static void assertStandbysApart(Map<String, StreamsTasks> assigned, List<StickyTaskAssignor.Member> members,
                                            SortedMap<String, Integer> tasks, int standbys, int processes,
                                            String seed) {
        Map<String, String> processOf = new HashMap<>();
        members.forEach(m -> processOf.put(m.memberId(), m.processId()));
        tasks.forEach((sub, count) -> {
            for (int p = 0; p < count; p++) {
                Set<String> holding = new HashSet<>();
                int replicas = 0;
                for (Map.Entry<String, StreamsTasks> member : assigned.entrySet()) {
                    StreamsTasks t = member.getValue();
                    if (t.has(StreamsTasks.Kind.ACTIVE, sub, p) || t.has(StreamsTasks.Kind.STANDBY, sub, p)) {
                        assertTrue(holding.add(processOf.get(member.getKey())), seed + ": task " + sub + "_" + p
                                + " twice on process " + processOf.get(member.getKey()) + ": " + assigned);
                        replicas++;
                    }
                }
                assertEquals(1 + Math.min(standbys, processes - 1), replicas, seed + ": task " + sub + "_" + p
                        + " has its standby replicas, as many as there are other processes: " + assigned);
            }
        });
    }
}
