package toykafka.broker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where long polls wait for new records: every append signals, and each waiting reader checks whether
 * what it waits for has come. Kafka's fetch requests wait the same way, up to {@code fetch.max.wait.ms}.
 */
final class Arrivals {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private boolean closed;

    /** Wakes every waiting reader to look again. */
    void signal() {
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting reader for good: the broker is stopping, so each answers with what it has. */
    void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code ready} says yes or the time is up; returns its last answer. */
    boolean await(BooleanSupplier ready, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (!closed && !ready.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ready.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }
}
