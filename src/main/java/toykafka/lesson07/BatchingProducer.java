package toykafka.lesson07;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import toykafka.common.EventLog;

/**
 * Fix 3, the way Kafka's own producer works: callers only add events to a per-partition batch and return;
 * one background sender thread writes whole batches. A batch goes when it is full ({@code batch.size}),
 * when its first event has waited {@code linger} ({@code linger.ms}), on {@link #flush()}, or on
 * {@link #close()}. Wafka's client had the batches and the sender thread but no linger, so a lone message
 * waited for company forever; here it waits at most {@code linger}.
 * <p>
 * The sender is the only thread that appends to the logs. Readers may read a log once a future or flush()
 * told them their events are written, or through a {@link LockedLog}.
 * <p>
 * The sender also completes the futures, so callbacks chained on them ({@code thenRun} and the like) run on
 * the sender thread. There, flush() would wait for the very thread that is running it: it throws instead.
 * close() there marks the producer closed and returns; the sender finishes what was accepted, then ends.
 * If a log throws an Error, the sender fails every waiting event with it and stops; from then on the
 * producer is broken, and send, flush and close throw at once rather than wait for a thread that is gone.
 * <p>
 * What the sender does with a batch is a {@link Writer}'s job: here it appends each event to its partition's
 * log; lesson 10's HTTP client sends the whole batch to a broker as one request.
 */
public final class BatchingProducer<E> implements ConcurrentProducer<E> {

    /** How the sender writes one batch to its partition. */
    @FunctionalInterface
    public interface Writer<E> {
        /**
         * Writes {@code events} to {@code partition} in order, handing each one's offset to {@code written} as it
         * is written; what a throw leaves unwritten fails with it.
         */
        void write(int partition, List<E> events, LongConsumer written);
    }

    /** Events bound for one partition, sent together. */
    private static final class Batch<E> {
        final int partition;
        final long createdNanos;
        final List<E> events = new ArrayList<>();
        final List<CompletableFuture<Long>> offsets = new ArrayList<>();
        final CompletableFuture<Void> written = new CompletableFuture<>();
        boolean flushNow; // guarded by lock

        Batch(int partition, long createdNanos) {
            this.partition = partition;
            this.createdNanos = createdNanos;
        }
    }

    private final int partitions;
    private final Writer<E> writer;
    private final int batchSize;
    private final Duration linger;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition(); // a batch may be ready, or close() was called
    private final List<Deque<Batch<E>>> queued = new ArrayList<>(); // per partition, oldest first; guarded by lock
    private final Set<Batch<E>> unwritten = new LinkedHashSet<>(); // queued or being written; guarded by lock
    private boolean closed; // guarded by lock
    private Throwable broken; // guarded by lock: the Error that stopped the sender, or null while it runs
    private long batchesSent; // guarded by lock
    private final Thread sender;

    /**
     * @param logs      the partitions, written only by this producer's sender thread from now on
     * @param batchSize the most events in one batch (Kafka's {@code batch.size} counts bytes instead)
     * @param linger    how long a batch waits for more events before it goes anyway
     */
    public BatchingProducer(List<? extends EventLog<E>> logs, int batchSize, Duration linger) {
        this(Partitions.require(logs).size(), appendingTo(logs), batchSize, linger, "toykafka-sender");
    }

    /**
     * @param partitions how many partitions there are: events go to 0 up to one less
     * @param writer     what the sender thread hands each batch to
     * @param senderName the sender thread's name
     */
    public BatchingProducer(int partitions, Writer<E> writer, int batchSize, Duration linger, String senderName) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch.size must be at least 1 event, was " + batchSize);
        }
        Objects.requireNonNull(linger, "linger must not be null: use Duration.ZERO not to wait");
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must be zero or more, was " + linger);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("a producer needs at least one partition to write to");
        }
        this.partitions = partitions;
        this.writer = Objects.requireNonNull(writer, "writer");
        this.batchSize = batchSize;
        this.linger = linger;
        for (int p = 0; p < partitions; p++) {
            queued.add(new ArrayDeque<>());
        }
        this.sender = Threads.daemon(senderName, this::sendBatches);
        sender.start();
    }

    /** The writer of lesson 7's own producer: each event appended to its partition's log, one after another. */
    private static <E> Writer<E> appendingTo(List<? extends EventLog<E>> logs) {
        List<? extends EventLog<E>> partitions = List.copyOf(logs);
        return (partition, events, written) -> {
            EventLog<E> log = partitions.get(partition);
            for (E event : events) {
                written.accept(log.append(event));
            }
        };
    }

    // tag::send[]
    @Override
    public CompletableFuture<Long> send(int partition, E event) {
        Partitions.checkSend(partition, event, partitions);
        lock.lock();
        try {
            if (closed) {
                throw Partitions.closed();
            }
            if (broken != null) {
                throw Partitions.broken(sender.getName(), broken);
            }
            Batch<E> batch = queued.get(partition).peekLast();
            if (batch == null || batch.events.size() >= batchSize) {
                batch = new Batch<>(partition, System.nanoTime());
                queued.get(partition).addLast(batch);
                unwritten.add(batch);
                work.signal(); // the sender may have to wake up earlier, when this batch's linger ends
            }
            CompletableFuture<Long> offset = new CompletableFuture<>();
            batch.events.add(event);
            batch.offsets.add(offset);
            if (batch.events.size() == batchSize) {
                work.signal(); // full: it goes now
            }
            return offset;
        } finally {
            lock.unlock();
        }
    }
    // end::send[]

    // tag::sender[]
    /** The sender thread: waits for ready batches, writes them, and ends after close() once all are written. */
    private void sendBatches() {
        try {
            while (true) {
                List<Batch<E>> ready;
                lock.lock();
                try {
                    ready = takeReady();
                    while (ready.isEmpty()) {
                        if (closed) {
                            return; // closed, and takeReady() took every batch there was: all are written
                        }
                        long wait = nanosUntilALingerEnds();
                        if (wait == Long.MAX_VALUE) {
                            work.await(); // nothing queued: sleep until a send, a flush or close()
                        } else {
                            work.awaitNanos(wait); // no busy waiting: sleep until the oldest batch's linger is over
                        }
                        ready = takeReady();
                    }
                } catch (InterruptedException e) {
                    continue; // only close() ends the sender: accepted events must still be written
                } finally {
                    lock.unlock();
                }
                for (Batch<E> batch : ready) {
                    write(batch);
                }
            }
        } catch (Throwable e) { // an Error: a sender that just ended would leave every caller waiting for ever
            breakDown(e);
        }
    }

    /** Removes and returns every batch that may go now, oldest first within each partition. */
    private List<Batch<E>> takeReady() {
        long now = System.nanoTime();
        List<Batch<E>> ready = new ArrayList<>();
        for (Deque<Batch<E>> batches : queued) {
            while (!batches.isEmpty() && isReady(batches.peekFirst(), now)) {
                ready.add(batches.pollFirst());
            }
        }
        return ready;
    }

    private boolean isReady(Batch<E> batch, long now) {
        return batch.events.size() >= batchSize || batch.flushNow || closed
                || now - batch.createdNanos >= linger.toNanos();
    }
    // end::sender[]

    private long nanosUntilALingerEnds() {
        long now = System.nanoTime();
        long soonest = Long.MAX_VALUE;
        for (Deque<Batch<E>> batches : queued) {
            if (!batches.isEmpty()) {
                soonest = Math.min(soonest, Math.max(1, batches.peekFirst().createdNanos + linger.toNanos() - now));
            }
        }
        return soonest;
    }

    /**
     * Writes one batch to its partition, counts it, then completes its futures; sender thread only.
     * A RuntimeException fails the rest of this batch and the sender carries on; an Error is thrown on,
     * after this batch's futures are settled, and stops the sender.
     */
    private void write(Batch<E> batch) {
        List<Long> offsets = new ArrayList<>(batch.events.size());
        Throwable failure = null;
        try {
            writer.write(batch.partition, batch.events, offsets::add);
        } catch (Throwable e) {
            failure = e; // the events from here on were not written: their senders get the exception
        }
        int written = Math.min(offsets.size(), batch.events.size());
        if (failure == null && written < batch.events.size()) {
            failure = new IllegalStateException("the writer gave " + written + " offsets for a batch of "
                    + batch.events.size() + " events");
        }
        boolean fatal = failure != null && !(failure instanceof RuntimeException);
        lock.lock();
        try {
            unwritten.remove(batch);
            batchesSent++;
            if (fatal) {
                broken = failure; // before any callback runs: a send from one is refused already
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < batch.events.size(); i++) {
            if (i < written) {
                batch.offsets.get(i).complete(offsets.get(i));
            } else {
                batch.offsets.get(i).completeExceptionally(failure);
            }
        }
        batch.written.complete(null);
        if (failure instanceof Error error) {
            throw error;
        }
        if (fatal) {
            throw new IllegalStateException("a log threw " + failure, failure); // a checked exception, sneaked out
        }
    }

    /** The sender is stopping on an Error: every event not yet written fails with it, and nothing new is taken. */
    private void breakDown(Throwable error) {
        List<Batch<E>> left;
        Throwable cause;
        lock.lock();
        try {
            if (broken == null) {
                broken = error;
            }
            cause = broken;
            left = new ArrayList<>(unwritten); // queued, or taken by the sender but not written
            unwritten.clear();
            queued.forEach(Deque::clear);
        } finally {
            lock.unlock();
        }
        for (Batch<E> batch : left) {
            batch.offsets.forEach(offset -> offset.completeExceptionally(cause));
            batch.written.complete(null); // a flush() waiting for it wakes up, and finds the producer broken
        }
    }

    // tag::flush-close[]
    @Override
    public void flush() {
        if (Thread.currentThread() == sender) {
            throw Partitions.waitingForItself("flush()", sender.getName());
        }
        List<Batch<E>> waitFor;
        lock.lock();
        try {
            waitFor = new ArrayList<>(unwritten);
            waitFor.forEach(batch -> batch.flushNow = true);
            work.signal();
        } finally {
            lock.unlock();
        }
        waitFor.forEach(batch -> batch.written.join());
        throwIfBroken(); // then some of those events were failed, not written
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true; // from now on send() refuses, and every queued batch is ready
            work.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != sender) { // in a callback, the sender cannot wait for itself to end
            Threads.joinUninterruptibly(sender); // returns once the sender has written everything and ended
        }
        throwIfBroken();
    }
    // end::flush-close[]

    private void throwIfBroken() {
        lock.lock();
        try {
            if (broken != null) {
                throw Partitions.broken(sender.getName(), broken);
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many batches the sender has written so far. */
    public long batchesSent() {
        lock.lock();
        try {
            return batchesSent;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "BatchingProducer[batch.size=" + batchSize + ", linger=" + linger + ", partitions="
                + partitions + "]";
    }
}
