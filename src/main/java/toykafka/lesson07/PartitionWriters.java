package toykafka.lesson07;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import toykafka.common.EventLog;

/**
 * Fix 2, as Kaf does it with one goroutine per log: every partition has one writer thread, fed by a
 * queue. Only that thread ever touches its log, so the log needs no lock, and appends to different
 * partitions never wait for each other.
 * <p>
 * Other threads may read a log only after a future of this producer told them their events are written
 * (completing a future is a happens-before edge), or after {@link #close()}.
 * <p>
 * A writer completes the futures, so callbacks chained on them run on that writer thread. There, nothing
 * may wait for a writer: flush() throws, close() marks the producer closed and returns (the writers finish
 * their queues, then end), and send() throws rather than wait for room. If a log throws an Error, the
 * producer is broken: the writers fail every event still queued with it, and send, flush and close throw.
 */
public final class PartitionWriters<E> implements ConcurrentProducer<E> {

    /** How many events a partition's queue holds; a sender waits when it is full (back-pressure). */
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

    /** Which writer an Error stopped, and the Error. */
    private record Breakdown(String thread, Throwable cause) {
    }

    private final List<Writer> writers = new ArrayList<>();
    // Sends and flushes take the read lock, many at once, and only to queue, which never waits. close takes
    // the write lock, so nothing is queued behind Stop, and it never waits long for it.
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private boolean closed; // guarded by closing
    private final AtomicReference<Breakdown> broken = new AtomicReference<>(); // set once, by the first Error

    /** Starts one writer thread per log. The logs must be written only through this producer from now on. */
    public PartitionWriters(List<? extends EventLog<E>> logs) {
        List<? extends EventLog<E>> partitions = Partitions.require(logs);
        for (int partition = 0; partition < partitions.size(); partition++) {
            writers.add(new Writer(partitions.get(partition), "toykafka-writer-" + partition));
        }
        writers.forEach(writer -> writer.thread.start());
    }

    // tag::send[]
    @Override
    public CompletableFuture<Long> send(int partition, E event) {
        Partitions.checkSend(partition, event, writers.size());
        throwIfBroken();
        Writer writer = writers.get(partition);
        waitForRoom(writer, partition); // back-pressure, before taking the lock: a full queue holds up no one else
        boolean queued = false;
        closing.readLock().lock();
        try {
            if (closed) {
                throw Partitions.closed();
            }
            throwIfBroken();
            CompletableFuture<Long> offset = new CompletableFuture<>();
            writer.queue.add(new Append<>(event, offset)); // there is room: the permit says so
            queued = true;
            return offset;
        } finally {
            closing.readLock().unlock();
            if (!queued) {
                writer.room.release(); // refused: give the place back
            }
        }
    }
    // end::send[]

    @Override
    public void flush() {
        Writer own = ownWriter();
        if (own != null) {
            throw Partitions.waitingForItself("flush()", own.thread.getName());
        }
        throwIfBroken();
        List<CompletableFuture<Void>> barriers = new ArrayList<>();
        closing.readLock().lock();
        try {
            if (!closed) {
                for (Writer writer : writers) {
                    Barrier<E> barrier = new Barrier<>(new CompletableFuture<>());
                    writer.queue.add(barrier);
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
        throwIfBroken(); // then some events before the barriers failed rather than being written
    }

    // tag::close[]
    @Override
    public void close() {
        closing.writeLock().lock(); // waits only for sends and flushes that are queueing, which never wait
        try {
            if (!closed) {
                closed = true;
                // Stop goes in behind every event already queued: the writer finishes those first.
                writers.forEach(writer -> writer.queue.add(new Stop<>()));
            }
        } finally {
            closing.writeLock().unlock();
        }
        if (ownWriter() == null) { // in a callback on a writer, it would wait for itself: the writers end on their own
            joinWriters();
        }
        throwIfBroken();
    }
    // end::close[]

    @Override
    public String toString() {
        return "PartitionWriters[partitions=" + writers.size() + ", queue capacity=" + QUEUE_CAPACITY + "]";
    }

    private void joinWriters() {
        writers.forEach(writer -> Threads.joinUninterruptibly(writer.thread));
    }

    /** The writer whose thread this is, or null: callbacks on futures run on writer threads. */
    private Writer ownWriter() {
        for (Writer writer : writers) {
            if (writer.thread == Thread.currentThread()) {
                return writer;
            }
        }
        return null;
    }

    /** Takes a place in the writer's queue, waiting while it is full; never on a writer thread, which could wait for itself. */
    private void waitForRoom(Writer writer, int partition) {
        Writer own = ownWriter();
        if (own != null) {
            if (!writer.room.tryAcquire()) {
                throw new IllegalStateException("partition " + partition + "'s queue is full, and send() was"
                        + " called on " + own.thread.getName() + ", the producer's own thread, which runs the"
                        + " callbacks of its futures: waiting there for room could wait for itself. The event was"
                        + " not accepted");
            }
            return;
        }
        try {
            writer.room.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in partition " + partition
                    + "'s queue: the event was not accepted", e);
        }
    }

    private void throwIfBroken() {
        Breakdown breakdown = broken.get();
        if (breakdown != null) {
            throw Partitions.broken(breakdown.thread(), breakdown.cause());
        }
    }

    // tag::writer[]
    /** One partition's writer: takes requests in order, until Stop. Only this thread touches the log. */
    private final class Writer implements Runnable {
        private final EventLog<E> log;
        private final BlockingQueue<Request<E>> queue = new LinkedBlockingQueue<>();
        private final Semaphore room = new Semaphore(QUEUE_CAPACITY); // one permit per free place for an event
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
                    room.release(); // its place in the queue is free again
                    write(append);
                } else if (request instanceof Barrier<E> barrier) {
                    barrier.reached().complete(null);
                } else if (request instanceof Stop) {
                    return;
                }
            }
        }

        private void write(Append<E> append) {
            Breakdown breakdown = broken.get();
            if (breakdown != null) {
                append.offset().completeExceptionally(breakdown.cause()); // nothing is written after an Error
                return;
            }
            try {
                append.offset().complete(log.append(append.event()));
            } catch (RuntimeException e) {
                append.offset().completeExceptionally(e); // the log refused this event: the next may do
            } catch (Throwable e) { // an Error: no write after it can be trusted, and no caller may hang
                broken.compareAndSet(null, new Breakdown(thread.getName(), e));
                append.offset().completeExceptionally(e);
            }
        }
    }
    // end::writer[]
}
