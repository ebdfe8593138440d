package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson08.FaultyDisk;

/** Group commit, with a pretend disk whose fsync finishes only when the test says so. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupCommitTest {

    /** A log whose records up to {@code written} are in the page cache; an fsync covers what was written when it began. */
    private static class SlowDisk implements Flusher.Target {
        volatile long written;
        volatile long appends;
        final CountDownLatch firstFsyncMayFinish = new CountDownLatch(1);
        final CountDownLatch firstFsyncStarted = new CountDownLatch(1);
        int fsyncs;

        @Override
        public long forceWritten() throws IOException {
            long covered = written;
            synchronized (this) {
                fsyncs++;
            }
            firstFsyncStarted.countDown();
            FaultyDisk.await(firstFsyncMayFinish, "the test never let the fsync finish");
            return covered;
        }

        @Override
        public long writtenEnd() {
            return written;
        }

        @Override
        public long appendsWritten() {
            return appends;
        }

        /** An append of {@code records} records has been written. */
        void write(int records) {
            written += records;
            appends++;
        }
    }

    @Test
    void appenders_that_arrive_during_an_fsync_share_the_next_one() throws Exception {
        SlowDisk disk = new SlowDisk();
        GroupCommit commit = new GroupCommit(disk);
        disk.write(1);
        Thread first = new Thread(() -> commit.afterAppend(1));
        first.start();
        assertTrue(disk.firstFsyncStarted.await(10, TimeUnit.SECONDS));

        for (int i = 0; i < 5; i++) {
            disk.write(1); // five more appenders write while the first fsync runs, then wait for theirs
        }
        List<Thread> later = waitingAppenders(6, commit::afterAppend);
        disk.firstFsyncMayFinish.countDown();
        first.join(10_000);
        for (Thread appender : later) {
            appender.join(10_000);
            assertEquals(Thread.State.TERMINATED, appender.getState(), "every appender got its acknowledgement");
        }
        assertEquals(2, disk.fsyncs, "six appends, two fsyncs: the second covered all five late appenders");
        assertEquals(2, commit.forces());
    }

    @Test
    void an_append_already_covered_by_an_earlier_fsync_needs_none_of_its_own() {
        SlowDisk disk = new SlowDisk();
        disk.firstFsyncMayFinish.countDown();
        GroupCommit commit = new GroupCommit(disk);
        disk.write(3);
        commit.afterAppend(3);
        commit.afterAppend(2);
        commit.afterAppend(3);
        assertEquals(1, disk.fsyncs);
    }

    @Test
    void a_lone_appender_never_waits_for_company() {
        SlowDisk disk = new SlowDisk();
        disk.firstFsyncMayFinish.countDown();
        GroupCommit commit = new GroupCommit(disk);
        for (long end = 1; end <= 50; end++) {
            disk.write(1);
            commit.afterAppend(end);
        }
        assertEquals(50, disk.fsyncs, "one appender, one fsync per append");
    }

    @Test
    void a_lone_appender_never_waits_for_company_however_many_records_each_append_holds() {
        SlowDisk disk = new SlowDisk();
        disk.firstFsyncMayFinish.countDown();
        GroupCommit commit = new GroupCommit(disk);
        for (int records : new int[] {10, 2, 7, 1, 1, 30, 3}) { // appendAll of that many records each
            disk.write(records);
            commit.afterAppend(disk.written);
        }
        assertEquals(7, disk.fsyncs, "one fsync per append");
        assertEquals(0, commit.gathers(), "no fsync waited for others: group commit counts appenders, not records");
    }

    @Test
    void a_failed_fsync_fails_every_appender_waiting_for_it_and_every_later_one_without_trying_again()
            throws Exception {
        SlowDisk disk = new SlowDisk() {
            @Override
            public long forceWritten() throws IOException {
                super.forceWritten();
                throw new IOException("Input/output error");
            }
        };
        GroupCommit commit = new GroupCommit(disk);
        disk.write(1);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread first = new Thread(() -> failures.add(assertThrows(UncheckedIOException.class, () -> commit.afterAppend(1))));
        first.start();
        assertTrue(disk.firstFsyncStarted.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            disk.write(1);
        }
        List<Thread> later = waitingAppenders(4, mine -> failures.add(assertThrows(UncheckedIOException.class,
                () -> commit.afterAppend(mine))));
        disk.firstFsyncMayFinish.countDown();
        first.join(10_000);
        for (Thread appender : later) {
            appender.join(10_000);
        }
        assertEquals(4, failures.size(), "all four appenders were told their append is not acknowledged");
        assertThrows(UncheckedIOException.class, () -> commit.afterAppend(5), "so is any later one");
        assertEquals(1, disk.fsyncs, "nobody tried again: after a failure a good fsync would prove nothing");
        assertEquals(0, commit.forces());
    }

    @Test
    void a_leader_interrupted_while_gathering_forces_with_its_interrupt_cleared_and_gets_it_back() throws Exception {
        SlowDisk disk = new SlowDisk() {
            volatile boolean interruptedWhileForcing;

            @Override
            public long forceWritten() throws IOException {
                interruptedWhileForcing |= Thread.currentThread().isInterrupted();
                return super.forceWritten();
            }

            @Override
            public String toString() {
                return String.valueOf(interruptedWhileForcing);
            }
        };
        GroupCommit commit = new GroupCommit(disk);
        disk.write(1);
        Thread first = new Thread(() -> commit.afterAppend(1));
        first.start();
        assertTrue(disk.firstFsyncStarted.await(10, TimeUnit.SECONDS));
        disk.write(1);
        disk.write(1);
        Thread second = new Thread(() -> commit.afterAppend(2));
        Thread third = new Thread(() -> commit.afterAppend(3));
        second.start();
        third.start();
        awaitState(second, Thread.State.WAITING);
        awaitState(third, Thread.State.WAITING);
        disk.firstFsyncMayFinish.countDown();
        first.join(10_000);
        second.join(10_000);
        third.join(10_000);
        assertEquals(2, commit.forces(), "the second fsync covered two appenders, so the next leader gathers");

        disk.write(1);
        Thread.currentThread().interrupt();
        commit.afterAppend(4); // alone: it starts to gather, is interrupted, and forces with whoever is there
        assertTrue(Thread.interrupted(), "the interrupt is set again once the fsync is over");
        assertEquals(1, commit.gathers());
        assertEquals("false", disk.toString(), "the fsync ran with the interrupt flag cleared");
        assertEquals(3, commit.forces());
    }

    @Test
    void a_failed_fsync_fails_the_append_that_waited_for_it() {
        GroupCommit commit = new GroupCommit(() -> {
            throw new IOException("no space left on device");
        });
        UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> commit.afterAppend(1));
        assertEquals("fsync failed, so the append is not acknowledged, nor is anything written after the last good"
                + " fsync: IOException: no space left on device", error.getMessage());
    }

    /** A bounded wait for another thread to park: no sleep, and a clear failure if it never does. */
    /**
     * Appenders whose appends end at offsets 2 to {@code lastEnd}, each on a thread of its own, once every one of them
     * waits: for the fsync under way, or to lead the next.
     */
    private static List<Thread> waitingAppenders(long lastEnd, LongConsumer append) {
        List<Thread> appenders = new ArrayList<>();
        for (long end = 2; end <= lastEnd; end++) {
            long mine = end;
            Thread appender = new Thread(() -> append.accept(mine));
            appender.start();
            appenders.add(appender);
        }
        for (Thread appender : appenders) {
            awaitState(appender, Thread.State.WAITING);
        }
        return appenders;
    }

    private static void awaitState(Thread thread, Thread.State state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread.getName() + " is " + thread.getState() + ", never " + state);
            }
            Thread.onSpinWait();
        }
    }
}
