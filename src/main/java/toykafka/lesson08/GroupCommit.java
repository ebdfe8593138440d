package toykafka.lesson08;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fsync before acknowledging, with appenders sharing fsyncs. One appender at a time leads: it forces the
 * log, and the force covers everything written before it started, so every appender that wrote
 * meanwhile is covered too. The others wait for the leader's force, then find themselves covered or
 * lead the next one.
 */
final class GroupCommit implements Flusher {

    /** The longest a leader waits for others to join its fsync. */
    private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Target target;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition forceDone = lock.newCondition();
    private final Condition groupComplete = lock.newCondition();
    private long durableEnd;      // every offset below this is on disk
    private boolean forcing;      // a leader is gathering or forcing
    private long wanted;          // while gathering: the end offset the leader waits for
    private long lastGroup = 1;   // how many appends the last fsync covered
    private long lastForceNanos;  // how long the last fsync took
    private long forces;

    GroupCommit(Target target) {
        this.target = target;
        this.durableEnd = target.writtenEnd(); // what the log held when it opened is on disk already
    }

    // tag::group[]
    @Override
    public void afterAppend(long endOffset) {
        lock.lock();
        try {
            while (durableEnd < endOffset) {
                if (forcing) {
                    if (endOffset >= wanted) {
                        groupComplete.signal(); // the leader was waiting for this append
                    }
                    await(forceDone); // the force may cover us; if not, we lead the next one
                    continue;
                }
                forcing = true;
                gather();
                long started = System.nanoTime();
                long reached = -1;
                lock.unlock(); // others append and queue up while the disk works
                try {
                    reached = target.forceWritten();
                } catch (IOException e) {
                    throw new UncheckedIOException("fsync failed, so the append is not acknowledged: "
                            + e.getMessage(), e);
                } finally {
                    lock.lock();
                    forcing = false;
                    if (reached > durableEnd) {
                        lastGroup = reached - durableEnd;
                        lastForceNanos = System.nanoTime() - started;
                        durableEnd = reached;
                        forces++;
                    }
                    forceDone.signalAll(); // every waiter checks at once whether this force covered it
                }
            }
        } finally {
            lock.unlock();
        }
    }
    // end::group[]

    // tag::gather[]
    /**
     * Lets the others catch up before forcing: when an fsync ends, everyone it covered goes back to
     * append again, and the first one back would otherwise force almost alone. The leader waits until
     * as many appends are written as its last fsync covered, and never longer than an fsync takes. A
     * lone appender never waits. PostgreSQL's commit_delay rests on the same idea.
     */
    private void gather() {
        wanted = durableEnd + lastGroup;
        long patience = Math.min(lastForceNanos, MAX_GATHER_NANOS);
        while (target.writtenEnd() < wanted && patience > 0) {
            try {
                patience = groupComplete.awaitNanos(patience);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // force now with whoever is here
            }
        }
    }
    // end::gather[]

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
        lock.lock();
        try {
            return forces;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
    }
}
