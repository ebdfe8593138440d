package toykafka.lesson09;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import toykafka.lesson08.PartitionDirectory;

/**
 * Fsync before acknowledging, with appenders sharing fsyncs. One appender at a time leads: it forces the
 * log, and the force covers everything written before it started, so every appender that wrote
 * meanwhile is covered too. The others wait for the leader's force, then find themselves covered or
 * lead the next one. A failed fsync ends it all: no append waiting then, or later, is acknowledged.
 */
final class GroupCommit implements Flusher {

    /** The longest a leader waits for others to join its fsync. */
    private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Target target;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition forceDone = lock.newCondition();
    private final Condition groupComplete = lock.newCondition();
    private long durableEnd;      // every offset below this is on disk
    private long durableAppends;  // how many appends were written when the last good fsync began
    private boolean forcing;      // a leader is gathering or forcing
    private long wanted;          // while gathering: the count of appends written the leader waits for
    private long lastGroup = 1;   // how many appends the last fsync covered
    private long lastForceNanos;  // how long the last fsync took
    private volatile long forces;  // fsyncs so far; written under the lock, read without it
    private volatile long gathers; // how often a leader waited for company; likewise
    private IOException failed;   // the fsync that failed; from then on nothing is acknowledged

    GroupCommit(Target target) {
        this.target = target;
        this.durableEnd = target.writtenEnd(); // what the log held when it opened is on disk already
        this.durableAppends = target.appendsWritten();
    }

    // tag::group[]
    @Override
    public void afterAppend(long endOffset) {
        boolean interrupted = false;
        lock.lock();
        try {
            while (durableEnd < endOffset) {
                if (failed != null) {
                    throw notAcknowledged(failed);
                }
                if (forcing) {
                    if (target.appendsWritten() >= wanted) {
                        groupComplete.signal(); // the leader was waiting for this many appends
                    }
                    await(forceDone); // the force may cover us; if not, we lead the next one
                    continue;
                }
                interrupted |= lead();
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt(); // noticed while gathering; kept until the fsync was done
            }
        }
    }

    /** Gathers, forces with the lock released, and tells everyone; returns whether an interrupt came meanwhile. */
    private boolean lead() {
        forcing = true;
        boolean interrupted = gather();
        long appends = target.appendsWritten(); // all written before this force starts, so it covers them all
        long started = System.nanoTime();
        long reached = -1;
        lock.unlock(); // others append and queue up while the disk works
        try {
            reached = target.forceWritten();
        } catch (IOException e) {
            failed = e; // the kernel may have dropped the pages: a later fsync that succeeds proves nothing
        } finally {
            lock.lock();
            forcing = false;
            if (reached > durableEnd) {
                lastGroup = Math.max(1, appends - durableAppends);
                lastForceNanos = System.nanoTime() - started;
                durableAppends = appends;
                durableEnd = reached;
                forces++;
            }
            forceDone.signalAll(); // every waiter checks at once whether this force covered it
        }
        return interrupted;
    }
    // end::group[]

    /**
     * Lets the others catch up before forcing: when an fsync ends, everyone it covered goes back to
     * append again, and the first one back would otherwise force almost alone. The leader waits until
     * as many appends are written as its last fsync covered, and never longer than an fsync takes.
     * Appends are counted, not records, so a lone appender never waits, however many records each of
     * its appends holds. PostgreSQL's commit_delay rests on the same idea. Returns whether the leader
     * was interrupted.
     */
    private boolean gather() {
        wanted = durableAppends + lastGroup;
        long patience = Math.min(lastForceNanos, MAX_GATHER_NANOS);
        if (target.appendsWritten() >= wanted || patience <= 0) {
            return false;
        }
        gathers++;
        while (target.appendsWritten() < wanted && patience > 0) {
            try {
                patience = groupComplete.awaitNanos(patience);
            } catch (InterruptedException e) {
                return true; // force now with whoever is here; the flag is set again once the fsync is over
            }
        }
        return false;
    }

    private static UncheckedIOException notAcknowledged(IOException failure) {
        return new UncheckedIOException("fsync failed, so the append is not acknowledged, nor is anything written"
                + " after the last good fsync: " + PartitionDirectory.describe(failure), failure);
    }

    private void await(Condition condition) {
        try {
            condition.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException(
                    "interrupted while waiting for fsync; the append is written but not known to be durable"));
        }
    }

    /** How many fsyncs were needed so far: fewer than appends when appenders shared them. */
    long forces() {
        return forces;
    }

    /** How often a leader waited for others before forcing. */
    long gathers() {
        return gathers;
    }

    @Override
    public void close() {
    }
}
