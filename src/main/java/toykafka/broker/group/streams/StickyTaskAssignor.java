package toykafka.broker.group.streams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The streams group's task assignor (Kafka's default, {@code StickyTaskAssignor}, named "sticky"): every task goes to
 * one member as an active task, and each task with state to {@code streams.num.standby.replicas} more as standby
 * tasks, never on a process that already has that task. Tasks stay where they were when the balance allows, and the
 * rest go to the least loaded process, then its least loaded member. It makes no warm-up tasks, as Kafka 4.4's does
 * not.
 */
final class StickyTaskAssignor {

    /** The name members and {@code streams.assignor.name} know it by. */
    static final String NAME = "sticky";

    /** A member as the assignor sees it: its process, and the tasks it had, for stickiness. */
    record Member(String memberId, String processId, StreamsTasks previous) {
    }

    /** A task: a subtopology's partition. */
    record Task(String subtopology, int partition) {
    }

    private static final Comparator<Task> BY_PARTITION = Comparator.comparingInt(Task::partition)
            .thenComparing(Task::subtopology);
    private static final Comparator<Task> BY_SUBTOPOLOGY = Comparator.comparing(Task::subtopology)
            .thenComparingInt(Task::partition);

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<Task, Member> previousActive = new HashMap<>();
    private final Map<Task, List<Member>> previousStandby = new HashMap<>();
    private final int standbyReplicas;
    private int activeLeft;
    private int activeMembersLeft;
    private int activePerMember;
    private int totalLeft;
    private int totalMembersLeft;
    private int totalPerMember;

    private StickyTaskAssignor(int standbyReplicas) {
        this.standbyReplicas = standbyReplicas;
    }

    /**
     * Each member's tasks.
     *
     * @param tasks    each subtopology's task count
     * @param stateful the subtopologies with state, whose tasks get standby replicas
     */
    static Map<String, StreamsTasks> assign(List<Member> members, SortedMap<String, Integer> tasks,
                                            Set<String> stateful, int standbyReplicas) {
        StickyTaskAssignor assignor = new StickyTaskAssignor(standbyReplicas);
        assignor.start(members, tasks, stateful);
        List<Task> active = new ArrayList<>();
        List<Task> withState = new ArrayList<>();
        tasks.forEach((sub, count) -> {
            for (int partition = 0; partition < count; partition++) {
                active.add(new Task(sub, partition));
                if (stateful.contains(sub)) {
                    withState.add(new Task(sub, partition));
                }
            }
        });
        assignor.assignActive(active);
        if (standbyReplicas > 0) {
            assignor.assignStandby(withState);
        }
        return assignor.result();
    }

    private void start(List<Member> given, SortedMap<String, Integer> tasks, Set<String> stateful) {
        for (Member member : given) {
            members.put(member.memberId(), member);
            processes.computeIfAbsent(member.processId(), Process::new).add(member.memberId());
            member.previous().forEach(StreamsTasks.Kind.ACTIVE, (sub, p) ->
                    previousActive.put(new Task(sub, p), member));
            member.previous().forEach(StreamsTasks.Kind.STANDBY, (sub, p) ->
                    previousStandby.computeIfAbsent(new Task(sub, p), t -> new ArrayList<>()).add(member));
        }
        tasks.forEach((sub, count) -> {
            activeLeft += count;
            totalLeft += count * (stateful.contains(sub) ? 1 + standbyReplicas : 1);
        });
        activeMembersLeft = given.size();
        totalMembersLeft = given.size();
        activePerMember = perMember(activeLeft, activeMembersLeft);
        totalPerMember = perMember(totalLeft, totalMembersLeft);
    }

    // tag::sticky-rule[]
    /**
     * Active tasks: first each to the member that ran it, while that member is under its share (the tasks divided by
     * the members, rounded up); then each to a member that kept it as a standby, the least loaded; the rest, in
     * subtopology order, to the least loaded process (tasks per member), and there to its least loaded member.
     */
    private void assignActive(List<Task> tasks) {
        List<Task> left = new ArrayList<>(tasks);
        left.sort(BY_PARTITION);
        left.removeIf(task -> {
            Member previous = previousActive.get(task);
            return previous != null && underActiveShare(previous) && add(previous, task, true);
        });
        left.removeIf(task -> {
            Member previous = leastLoaded(previousStandby.get(task), null);
            return previous != null && underActiveShare(previous) && add(previous, task, true);
        });
        left.sort(BY_SUBTOPOLOGY);
        PriorityQueue<Process> byLoad = new PriorityQueue<>(Comparator.comparingDouble(Process::load));
        byLoad.addAll(processes.values());
        for (Task task : left) {
            Process process = byLoad.poll();
            counted(process.addToLeastLoaded(task, true), true);
            byLoad.add(process);
        }
    }
    // end::sticky-rule[]

    /**
     * Standby tasks, {@code streams.num.standby.replicas} of each, never two of one task on a process: first to the
     * member that ran it as active before, then to those that kept it as a standby, each while under its share of
     * all tasks; the rest to the least loaded process that does not have the task yet.
     */
    private void assignStandby(List<Task> tasks) {
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort(BY_PARTITION.reversed());
        Map<Task, Integer> remaining = new TreeMap<>(BY_SUBTOPOLOGY.reversed());
        for (Task task : sorted) {
            int placed = 0;
            while (placed < standbyReplicas) {
                Member previous = previousActive.get(task);
                if (previous != null && !processOf(previous).has(task) && underTotalShare(previous)) {
                    add(previous, task, false);
                    placed++;
                    continue;
                }
                Member standby = leastLoaded(previousStandby.get(task), task);
                if (standby == null || !underTotalShare(standby)) {
                    break;
                }
                add(standby, task, false);
                placed++;
            }
            remaining.put(task, standbyReplicas - placed);
        }
        PriorityQueue<Process> byLoad = new PriorityQueue<>(Comparator.comparingDouble(Process::load));
        byLoad.addAll(processes.values());
        remaining.forEach((task, count) -> {
            for (int i = 0; i < count && toLeastLoadedWithout(byLoad, task); i++) {
                // not enough processes: Kafka warns and assigns fewer replicas
            }
        });
    }

    /** A standby of {@code task} to the least loaded process that has none of it; false if none can take it. */
    private boolean toLeastLoadedWithout(PriorityQueue<Process> byLoad, Task task) {
        List<Process> passed = new ArrayList<>();
        boolean placed = false;
        while (!byLoad.isEmpty() && !placed) {
            Process process = byLoad.poll();
            passed.add(process);
            if (!process.has(task)) {
                counted(process.addToLeastLoaded(task, false), false);
                placed = true;
            }
        }
        byLoad.addAll(passed);
        return placed;
    }

    /** Of these members, the one on the least loaded process with the fewest tasks; none on {@code task}'s process. */
    private Member leastLoaded(List<Member> candidates, Task task) {
        Member best = null;
        double bestProcessLoad = Double.MAX_VALUE;
        double bestMemberLoad = Double.MAX_VALUE;
        for (Member member : candidates == null ? List.<Member>of() : candidates) {
            Process process = processOf(member);
            if (task != null && process.has(task)) {
                continue;
            }
            double processLoad = process.load();
            double memberLoad = process.taskCount(member.memberId());
            if (best == null || processLoad < bestProcessLoad && memberLoad < bestMemberLoad) {
                best = member;
                bestProcessLoad = processLoad;
                bestMemberLoad = memberLoad;
            }
        }
        return best;
    }

    private boolean underActiveShare(Member member) {
        return processOf(member).taskCount(member.memberId()) < activePerMember;
    }

    private boolean underTotalShare(Member member) {
        return processOf(member).taskCount(member.memberId()) < totalPerMember;
    }

    private boolean add(Member member, Task task, boolean active) {
        counted(processOf(member).add(member.memberId(), task, active), active);
        return true;
    }

    /** A member reached its share: the shares of the others are worked out again without it. */
    private void counted(int memberTasks, boolean active) {
        if (active && memberTasks == activePerMember) {
            activeMembersLeft--;
            activeLeft -= memberTasks;
            activePerMember = perMember(activeLeft, activeMembersLeft);
        }
        if (memberTasks == totalPerMember) {
            totalMembersLeft--;
            totalLeft -= memberTasks;
            totalPerMember = perMember(totalLeft, totalMembersLeft);
        }
    }

    private Process processOf(Member member) {
        return processes.get(member.processId());
    }

    private static int perMember(int tasks, int members) {
        return members == 0 ? 0 : (tasks + members - 1) / members;
    }

    private Map<String, StreamsTasks> result() {
        Map<String, StreamsTasks> result = new TreeMap<>();
        for (Member member : members.values()) {
            Process process = processOf(member);
            result.put(member.memberId(), new StreamsTasks(process.tasksOf(member.memberId(), true),
                    process.tasksOf(member.memberId(), false), Map.of()));
        }
        return result;
    }

    /** One Streams instance: its members (threads) and the tasks they have (Kafka's {@code ProcessState}). */
    private static final class Process {
        private final Map<String, Integer> taskCounts = new LinkedHashMap<>();
        private final Map<String, Set<Task>> active = new HashMap<>();
        private final Map<String, Set<Task>> standby = new HashMap<>();
        private final Set<Task> tasks = new HashSet<>();
        private int taskCount;

        Process(String processId) {
        }

        void add(String memberId) {
            taskCounts.put(memberId, 0);
        }

        /** Tasks per member: the process with the fewest goes first. */
        double load() {
            return taskCounts.isEmpty() ? -1 : (double) taskCount / taskCounts.size();
        }

        boolean has(Task task) {
            return tasks.contains(task);
        }

        int taskCount(String memberId) {
            return taskCounts.get(memberId);
        }

        int add(String memberId, Task task, boolean isActive) {
            taskCount++;
            tasks.add(task);
            (isActive ? active : standby).computeIfAbsent(memberId, m -> new HashSet<>()).add(task);
            int count = taskCounts.get(memberId) + 1;
            taskCounts.put(memberId, count);
            return count;
        }

        int addToLeastLoaded(Task task, boolean isActive) {
            String least = taskCounts.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return add(least, task, isActive);
        }

        Map<String, Set<Integer>> tasksOf(String memberId, boolean isActive) {
            Map<String, Set<Integer>> bySubtopology = new TreeMap<>();
            (isActive ? active : standby).getOrDefault(memberId, Set.of()).forEach(task ->
                    bySubtopology.computeIfAbsent(task.subtopology(), s -> new TreeSet<>()).add(task.partition()));
            return bySubtopology;
        }
    }
}
