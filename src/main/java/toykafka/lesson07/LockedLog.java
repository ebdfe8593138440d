package toykafka.lesson07;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import toykafka.common.EventLog;

/**
 * Any lesson 1 log, made safe for many threads by one lock around every call. Readers can also wait,
 * without spinning, until the log grows past a position: that is what a long poll needs.
 * <p>
 * Several LockedLogs may share one lock, as MiniKafka's whole broker does: simple, and every append to
 * any partition waits for every other.
 */
public final class LockedLog<E> implements EventLog<E> {

    private final EventLog<E> log;
    private final ReentrantLock lock;
    private final Condition grew;
    private final Condition readerAsleep; // lets a test or a demo wait until a reader is really waiting

    /** Guards {@code log} with a lock of its own. The log must not be used except through this wrapper. */
    public LockedLog(EventLog<E> log) {
        this(log, new ReentrantLock());
    }

    /** Guards {@code log} with a lock that other logs may share. */
    public LockedLog(EventLog<E> log, ReentrantLock lock) {
        this.log = Objects.requireNonNull(log, "log");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.grew = lock.newCondition();
        this.readerAsleep = lock.newCondition();
    }

    // tag::append[]
    @Override
    public long append(E event) {
        lock.lock();
        try {
            long offset = log.append(event);
            grew.signalAll(); // wake every reader waiting for this offset
            return offset;
        } finally {
            lock.unlock();
        }
    }
    // end::append[]

    @Override
    public E read(long offsetOrIndex) {
        return locked(() -> log.read(offsetOrIndex));
    }

    @Override
    public long earliest() {
        return locked(log::earliest);
    }

    @Override
    public long endOffset() {
        return locked(log::endOffset);
    }

    @Override
    public long resolve(long offsetOrIndex) {
        return locked(() -> log.resolve(offsetOrIndex)); // endOffset() and earliest() must come from the same moment
    }

    @Override
    public long size() {
        return locked(log::size);
    }

    /** A read under the lock, so it never sees an append half done. */
    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    // tag::await[]
    /**
     * Waits until the log holds an event at {@code position} or after it, or until the timeout passes.
     * The waiting thread sleeps on a condition that append signals: it uses no CPU while it waits.
     *
     * @return true if there is something to read at {@code position}; false if the time ran out first,
     *         or the thread was interrupted (its interrupt flag is then set again, for its loop to see)
     */
    public boolean awaitEventAt(long position, Duration timeout) {
        long nanos = requireTimeout(timeout).toNanos();
        lock.lock();
        try {
            while (log.endOffset() <= position) {
                if (nanos <= 0) {
                    return false;
                }
                readerAsleep.signalAll();
                nanos = grew.awaitNanos(nanos); // releases the lock while it sleeps
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return log.endOffset() > position;
        } finally {
            lock.unlock();
        }
    }
    // end::await[]

    /** How many threads are asleep in {@link #awaitEventAt}, waiting for an append. */
    public int waitingReaders() {
        return locked(() -> lock.getWaitQueueLength(grew));
    }

    /**
     * Waits until at least {@code readers} threads are asleep in {@link #awaitEventAt}, or the timeout passes.
     * For demos and tests that want to show a reader waking up, rather than guess when it has gone to sleep.
     */
    public boolean awaitWaitingReaders(int readers, Duration timeout) {
        long nanos = requireTimeout(timeout).toNanos();
        lock.lock();
        try {
            while (lock.getWaitQueueLength(grew) < readers) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = readerAsleep.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    static Duration requireTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null: use Duration.ZERO not to wait");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout must be zero or more, was " + timeout);
        }
        return timeout;
    }

    @Override
    public String toString() {
        return locked(() -> "LockedLog[" + log + "]");
    }
}
