package toykafka.bench;

import static toykafka.bench.GroupBenchSupport.STALL;
import static toykafka.bench.GroupBenchSupport.await;
import static toykafka.bench.GroupBenchSupport.sleep;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.GroupState;
import toykafka.harness.PrintedReport;

/**
 * The scale part of {@link KafkaGroupBenchmark}: for each group count, that many groups of two raw members each
 * ({@link RawGroupMembers}) joined, synced and heartbeating over a few plain sockets; the heap (after {@code
 * System.gc()}) and the live threads against the same with no groups, and that both, and {@link
 * GroupCoordinator#groupCount()}, come back once they all leave. The lanes' sockets and threads are open before
 * the baseline is taken.
 */
record GroupScaleBench(KafkaGroupBenchmark.Settings settings, PrintedReport report) {

    /** Threads driving the raw members, each with one connection for the first member of its groups and one for the second. */
    private static final int LANES = 4;

    /** For each group count: the groups joined, synced and heartbeating, measured, and gone again. */
    void run(GroupCoordinator coordinator, int port) {
        report.line(String.format(Locale.ROOT, "scale: groups of 2 members each, raw clients framing Kafka's JoinGroupRequestData"
                + " v%d, SyncGroupRequestData v%d, HeartbeatRequestData v%d and LeaveGroupRequestData v%d, driven by %d"
                + " threads with 2 connections each (one per member of a group: a join waits at the barrier);"
                + " session.timeout.ms=%d, a heartbeat every %d ms; measured after %.1f s Stable and heartbeating;"
                + " heap used after System.gc(), this JVM's (the broker's, and the clients' two ids a group)",
                RawGroupMembers.JOIN_VERSION, RawGroupMembers.SYNC_VERSION, RawGroupMembers.HEARTBEAT_VERSION,
                RawGroupMembers.LEAVE_VERSION, LANES, RawGroupMembers.SESSION_MS, RawGroupMembers.HEARTBEAT_MS,
                settings.steady().toMillis() / 1e3));
        // the readers' group goes at the cleanup after its last member's LeaveGroup: the baseline holds no group
        awaitGroupCount(coordinator, 0, "the readers' group to go after its members closed");
        for (int groups : settings.groupCounts()) {
            scaleOnce(coordinator, port, groups);
        }
    }

    private void scaleOnce(GroupCoordinator coordinator, int port, int groups) {
        String prefix = "scale-" + groups + "-";
        int lanes = Math.min(LANES, groups);
        ThreadPoolExecutor threads = new ThreadPoolExecutor(lanes, lanes, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), laneThreads());
        threads.prestartAllCoreThreads();
        List<RawGroupMembers> open = new ArrayList<>();
        try {
            for (int i = 0; i < lanes; i++) {
                open.add(new RawGroupMembers(port));
            }
            for (int g = 0; g < groups; g++) {
                open.get(g % lanes).add(prefix + g);
            }
            // the baseline: the lanes' threads and connections open, no group
            int groupsBefore = coordinator.groupCount();
            long heapBefore = heapUsedAfterGc();
            int threadsBefore = liveThreads();

            long started = System.nanoTime();
            await(open.stream().map(lane -> threads.submit(() -> lane.joinAll())).toList());
            double joinSeconds = (System.nanoTime() - started) / 1e9;
            long stableNow = stable(coordinator, prefix);
            if (stableNow != groups) {
                throw new IllegalStateException(stableNow + " of " + groups + " groups are Stable after every member"
                        + " joined and synced");
            }
            AtomicLong heartbeats = new AtomicLong();
            AtomicInteger stop = new AtomicInteger();
            long beating = System.nanoTime();
            List<Future<Object>> beats = open.stream().map(lane -> threads.submit(() -> lane.heartbeat(stop, heartbeats)))
                    .toList();
            sleepUntil(beating + settings.steady().toNanos(), beats);
            long heapDuring = heapUsedAfterGc();
            int threadsDuring = liveThreads();
            int groupsDuring = coordinator.groupCount();
            long stableDuring = stable(coordinator, prefix);
            stop.set(1);
            await(beats);
            double beatSeconds = (System.nanoTime() - beating) / 1e9;
            if (stableDuring != groups) {
                throw new IllegalStateException(stableDuring + " of " + groups + " groups are Stable while heartbeating");
            }

            long leaving = System.nanoTime();
            await(open.stream().map(lane -> threads.submit(() -> lane.leaveAll())).toList());
            double leaveSeconds = (System.nanoTime() - leaving) / 1e9;
            awaitGroupCount(coordinator, groupsBefore, "the coordinator to drop the groups every member left");
            double droppedSeconds = (System.nanoTime() - leaving) / 1e9;
            long heapAfter = heapUsedAfterGc();
            int threadsAfter = liveThreads();

            double perGroup = (double) (heapDuring - heapBefore) / groups;
            report.line(String.format(Locale.ROOT, "  %,5d groups: joined and synced in %.2f s, all Stable; %,d heartbeats in"
                            + " %.1f s, every one answered NONE; groupCount() %,d", groups, joinSeconds, heartbeats.get(),
                    beatSeconds, groupsDuring));
            report.line(String.format(Locale.ROOT, "         heap %s against %s with no groups: %s, %s a group; live threads"
                            + " %d against %d", mib(heapDuring), mib(heapBefore), signedMib(heapDuring - heapBefore),
                    kib(perGroup), threadsDuring, threadsBefore));
            report.line(String.format(Locale.ROOT, "         all left in %.2f s, groupCount() back to %d (%d with no groups) in"
                            + " %.2f s; heap %s (%s), live threads %d", leaveSeconds, coordinator.groupCount(),
                    groupsBefore, droppedSeconds, mib(heapAfter), signedMib(heapAfter - heapBefore), threadsAfter));
        } finally {
            open.forEach(RawGroupMembers::close);
            threads.shutdownNow();
        }
    }

    private static ThreadFactory laneThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "group-bench-lane-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static long stable(GroupCoordinator coordinator, String prefix) {
        return coordinator.listGroups(Set.of(GroupState.STABLE.kafkaName()), Set.of()).stream()
                .filter(group -> group.groupId().startsWith(prefix)).count();
    }

    private static void awaitGroupCount(GroupCoordinator coordinator, int count, String what) {
        long deadline = System.nanoTime() + STALL.toNanos();
        while (coordinator.groupCount() != count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + STALL.toSeconds() + " s for " + what + ": the coordinator"
                        + " holds " + coordinator.groupCount() + " groups, not " + count + ": " + coordinator);
            }
            sleep(1);
        }
    }

    /** Sleeps until {@code nanoTime} reaches {@code until}, but throws at once if a heartbeat loop failed. */
    private static void sleepUntil(long until, List<Future<Object>> loops) {
        while (System.nanoTime() < until) {
            for (Future<Object> loop : loops) {
                if (loop.isDone()) {
                    await(List.of(loop));
                    throw new IllegalStateException("a heartbeat loop ended before it was told to");
                }
            }
            sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    /** The heap in use after a collection: the least of three, each after System.gc(). */
    private static long heapUsedAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String signedMib(long bytes) {
        return String.format(Locale.ROOT, "%+.2f MiB", bytes / 1048576.0);
    }

    private static String kib(double bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024);
    }
}
