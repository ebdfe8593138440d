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

    private static final int MAX_YIELDS = 64;

    private final Target target;
    private volatile long durableEnd; // every offset below this is on disk
    private boolean forcing;          // guarded by this
    private long forces;              // guarded by this

    GroupCommit(Target target) {
        this.target = target;
    }

    // tag::group[]
    @Override
    public void afterAppend(long endOffset) {
        while (durableEnd < endOffset) {
            synchronized (this) {
                if (durableEnd >= endOffset) {
                    return;
                }
                if (forcing) {
                    waitForTheForce(); // it may cover us; if not, we start the next one
                    continue;
                }
                forcing = true;
            }
            long reached = -1;
            try {
                waitForAppendsBeingWritten();
                reached = target.forceWritten(); // outside the monitor: others append and queue up meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException("fsync failed, so the append is not acknowledged: " + e.getMessage(), e);
            } finally {
                synchronized (this) {
                    forcing = false;
                    if (reached > durableEnd) {
                        durableEnd = reached;
                        forces++;
                    }
                    notifyAll(); // every waiter checks at once whether this force covered it
                }
            }
        }
    }
    // end::group[]

    /**
     * Appenders that are writing right now will want an fsync in a few microseconds: give them a moment
     * (a bounded one) so this fsync covers them too. PostgreSQL's commit_delay and commit_siblings do the same.
     */
    private void waitForAppendsBeingWritten() {
        for (int i = 0; i < MAX_YIELDS && target.appendsWriting() > 0; i++) {
            Thread.yield();
        }
    }

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
