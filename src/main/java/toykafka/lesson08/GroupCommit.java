package toykafka.lesson08;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;

/**
 * Fsync before acknowledging, with appenders sharing fsyncs. One appender at a time forces the log; the
 * force covers everything written before it started, so every appender that wrote meanwhile is covered
 * too. Appenders that arrive while a force runs wait for it, then either find themselves covered or
 * start the next force, which covers all of them at once.
 */
final class GroupCommit implements Flusher {

    /** The longest a leader waits for stragglers to join its fsync. */
    private static final long MAX_GATHER_NANOS = 1_000_000;

    private final Target target;
    private volatile long durableEnd; // every offset below this is on disk
    private boolean forcing;          // guarded by this
    private long forces;              // guarded by this
    private long lastGroup = 1;       // how many appends the last fsync covered; guarded by this
    private long lastForceNanos;      // how long the last fsync took; guarded by this

    GroupCommit(Target target) {
        this.target = target;
        this.durableEnd = target.writtenEnd(); // what the log held when it opened is on disk already
    }

    // tag::group[]
    @Override
    public void afterAppend(long endOffset) {
        while (durableEnd < endOffset) {
            long group;
            long patience;
            synchronized (this) {
                if (durableEnd >= endOffset) {
                    return;
                }
                if (forcing) {
                    waitForTheForce(); // it may cover us; if not, we start the next one
                    continue;
                }
                forcing = true;
                group = lastGroup;
                patience = Math.min(lastForceNanos, MAX_GATHER_NANOS);
            }
            long reached = -1;
            long started = System.nanoTime();
            try {
                gather(group, patience);
                started = System.nanoTime();
                reached = target.forceWritten(); // outside the monitor: others append and queue up meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException("fsync failed, so the append is not acknowledged: " + e.getMessage(), e);
            } finally {
                synchronized (this) {
                    forcing = false;
                    if (reached > durableEnd) {
                        lastGroup = reached - durableEnd;
                        lastForceNanos = System.nanoTime() - started;
                        durableEnd = reached;
                        forces++;
                    }
                    notifyAll(); // every waiter checks at once whether this force covered it
                }
            }
        }
    }
    // end::group[]

    // tag::gather[]
    /**
     * Before forcing, lets the others catch up: waits, at most about as long as an fsync takes, until as
     * many appends wait as the last fsync covered. A lone appender never waits; a crowd fills each fsync.
     * PostgreSQL's commit_delay rests on the same idea.
     */
    private void gather(long group, long patience) {
        long deadline = System.nanoTime() + patience;
        while (target.writtenEnd() - durableEnd < group && System.nanoTime() < deadline) {
            Thread.yield();
        }
    }
    // end::gather[]

    private void waitForTheForce() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException(
                    "interrupted while waiting for fsync; the append is written but not known to be durable"));
        }
    }

    /** How many fsyncs were needed so far: fewer than appends when appenders shared them. */
    synchronized long forces() {
        return forces;
    }

    @Override
    public void close() {
    }
}
