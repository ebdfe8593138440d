package toykafka.lesson07;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import toykafka.common.EventLog;

/**
 * Fix 1, as MiniKafka does it: one lock for all partitions. The calling thread appends, under the lock,
 * before send returns; the future is complete at once. There are no threads of its own to stop.
 */
public final class LockingProducer<E> implements ConcurrentProducer<E> {

    private final ReentrantLock lock = new ReentrantLock();
    private final List<LockedLog<E>> partitions;
    private boolean closed; // guarded by lock

    /** The logs must be written only through this producer from now on. */
    public LockingProducer(List<? extends EventLog<E>> logs) {
        // tag::global-lock[]
        this.partitions = Partitions.require(logs).stream()
                .map(log -> new LockedLog<E>(log, lock)) // every partition shares the one lock
                .toList();
        // end::global-lock[]
    }

    @Override
    public CompletableFuture<Long> send(int partition, E event) {
        Partitions.checkSend(partition, event, partitions.size());
        lock.lock(); // the check and the append in one hold, so close() cannot slip in between
        try {
            if (closed) {
                throw Partitions.closed();
            }
            return CompletableFuture.completedFuture(partitions.get(partition).append(event));
        } finally {
            lock.unlock();
        }
    }

    /** Nothing to wait for: every accepted event was written before send returned. */
    @Override
    public void flush() {
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
