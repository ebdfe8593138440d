package toykafka.lesson07;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import toykafka.lesson01.EventLog;

/**
 * Fix 2, as Kaf does it with one goroutine per log: every partition has one writer thread, fed by a
 * queue. Only that thread ever touches its log, so the log needs no lock, and appends to different
 * partitions never wait for each other.
 * <p>
 * Other threads may read a log only after a future of this producer told them their events are written
 * (completing a future is a happens-before edge), or after {@link #close()}.
 */
public final class PartitionWriters<E> implements ConcurrentProducer<E> {

    /** How many requests a partition's queue holds; a sender waits when it is full (back-pressure). */
    public static final int QUEUE_CAPACITY = 1_024;

    /** What a writer thread is asked to do, in the order it was asked. */
    private interface Request<E> {
    }

    private record Append<E>(E event, CompletableFuture<Long> offset) implements Request<E> {
    }

    /** Completes when everything queued before it is written: flush() waits on one per partition. */
    private record Barrier<E>(CompletableFuture<Void> reached) implements Request<E> {
    }

    /** The last request a writer takes. */
    private record Stop<E>() implements Request<E> {
    }

    private final List<Writer<E>> writers = new ArrayList<>();
    // Many sends at once take the read lock; close takes the write lock, so no send can queue after Stop.
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private boolean closed; // guarded by closing

    /** Starts one writer thread per log. The logs must be written only through this producer from now on. */
    public PartitionWriters(List<? extends EventLog<E>> logs) {
        List<? extends EventLog<E>> partitions = Partitions.require(logs);
        for (int partition = 0; partition < partitions.size(); partition++) {
            writers.add(new Writer<>(partitions.get(partition), "toykafka-writer-" + partition));
        }
        writers.forEach(writer -> writer.thread.start());
    }

    // tag::send[]
    @Override
    public CompletableFuture<Long> send(int partition, E event) {
        Partitions.checkSend(partition, event, writers.size());
        closing.readLock().lock();
        try {
            if (closed) {
                throw Partitions.closed();
            }
            CompletableFuture<Long> offset = new CompletableFuture<>();
            writers.get(partition).queue.put(new Append<>(event, offset)); // waits while the queue is full
            return offset;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in partition " + partition
                    + "'s queue: the event was not accepted", e);
        } finally {
            closing.readLock().unlock();
        }
    }
    // end::send[]

    @Override
    public void flush() {
        List<CompletableFuture<Void>> barriers = new ArrayList<>();
        closing.readLock().lock();
        try {
            if (!closed) {
                for (Writer<E> writer : writers) {
                    Barrier<E> barrier = new Barrier<>(new CompletableFuture<>());
                    putUninterruptibly(writer.queue, barrier);
                    barriers.add(barrier.reached());
                }
            }
        } finally {
            closing.readLock().unlock();
        }
        barriers.forEach(CompletableFuture::join);
        if (barriers.isEmpty()) {
            joinWriters(); // closed, or closing: everything is written once the writers have stopped
        }
    }

    // tag::close[]
    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                // Stop goes in behind every event already queued: the writer finishes those first.
                writers.forEach(writer -> putUninterruptibly(writer.queue, new Stop<>()));
            }
        } finally {
            closing.writeLock().unlock();
        }
        joinWriters();
    }
    // end::close[]

    private void joinWriters() {
        writers.forEach(writer -> Threads.joinUninterruptibly(writer.thread));
    }

    private static <E> void putUninterruptibly(BlockingQueue<Request<E>> queue, Request<E> request) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(request);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // tag::writer[]
    /** One partition's writer: takes requests in order, until Stop. Only this thread touches the log. */
    private static final class Writer<E> implements Runnable {
        private final EventLog<E> log;
        private final BlockingQueue<Request<E>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        private final Thread thread;

        Writer(EventLog<E> log, String name) {
            this.log = log;
            this.thread = Threads.daemon(name, this);
        }

        @Override
        public void run() {
            while (true) {
                Request<E> request;
                try {
                    request = queue.take(); // sleeps while the queue is empty
                } catch (InterruptedException e) {
                    continue; // only Stop ends a writer: an event still queued must not be lost
                }
                if (request instanceof Append<E> append) {
                    try {
                        append.offset().complete(log.append(append.event()));
                    } catch (RuntimeException e) {
                        append.offset().completeExceptionally(e);
                    }
                } else if (request instanceof Barrier<E> barrier) {
                    barrier.reached().complete(null);
                } else if (request instanceof Stop) {
                    return;
                }
            }
        }
    }
    // end::writer[]
}
