package toykafka.exercises.lesson07;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import toykafka.common.EventLog;
import toykafka.lesson07.ConcurrentProducer;

/** A learner's finished lesson 7 exercise, written from the lesson's text and hints. */
public class MyBatchingProducer<E> implements ConcurrentProducer<E> {

    private final class Batch {
        final int partition;
        final long createdAt = System.nanoTime();
        final List<E> events = new ArrayList<>();
        final List<CompletableFuture<Long>> offsets = new ArrayList<>();
        final CompletableFuture<Void> written = new CompletableFuture<>();
        boolean sendNow;

        Batch(int partition) {
            this.partition = partition;
        }

        boolean ready(long now) {
            return closed || sendNow || events.size() >= batchSize || now - (createdAt + lingerNanos) >= 0;
        }

        void fail(Throwable why) {
            offsets.forEach(future -> future.completeExceptionally(why));
            written.completeExceptionally(why);
        }
    }

    private final List<? extends EventLog<E>> logs;
    private final int batchSize;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final List<Deque<Batch>> waiting = new ArrayList<>();
    private final Set<Batch> beingWritten = new HashSet<>();
    private final AtomicLong batchesSent = new AtomicLong();
    private final Thread sender;
    private boolean closed;
    private Throwable senderFailure;

    public MyBatchingProducer(List<? extends EventLog<E>> logs, int batchSize, Duration linger) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch.size has to be 1 or more, got " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger cannot be negative, got " + linger);
        }
        this.logs = List.copyOf(logs);
        this.batchSize = batchSize;
        this.lingerNanos = linger.toNanos();
        for (int i = 0; i < logs.size(); i++) {
            waiting.add(new ArrayDeque<>());
        }
        sender = new Thread(this::sendBatches, "my-batching-producer-sender");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public CompletableFuture<Long> send(int partition, E event) {
        if (partition < 0 || partition >= logs.size()) {
            throw new IllegalArgumentException("there is no partition " + partition + ", only 0.." + (logs.size() - 1));
        }
        Objects.requireNonNull(event, "cannot send a null event");
        lock.lock();
        try {
            refuseIfFinished();
            Deque<Batch> batches = waiting.get(partition);
            Batch batch = batches.peekLast();
            if (batch == null || batch.events.size() >= batchSize) {
                batch = new Batch(partition);
                batches.addLast(batch);
                work.signal(); // the sender needs the new batch's linger deadline
            }
            CompletableFuture<Long> offset = new CompletableFuture<>();
            batch.events.add(event);
            batch.offsets.add(offset);
            if (batch.events.size() == batchSize) {
                work.signal();
            }
            return offset;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        if (Thread.currentThread() == sender) {
            throw new IllegalStateException("flush() in a callback would wait for the very thread that runs the"
                    + " callback");
        }
        List<Batch> toWaitFor = new ArrayList<>(beingWrittenAndWaiting());
        for (Batch batch : toWaitFor) {
            try {
                batch.written.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("a batch could not be written: " + e.getCause(), e.getCause());
            }
        }
    }

    private List<Batch> beingWrittenAndWaiting() {
        lock.lock();
        try {
            refuseIfFailed();
            List<Batch> all = new ArrayList<>(beingWritten);
            for (Deque<Batch> batches : waiting) {
                for (Batch batch : batches) {
                    batch.sendNow = true;
                    all.add(batch);
                }
            }
            work.signal();
            return all;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() == sender) {
            return; // a callback: the sender finishes what was accepted once the callback returns
        }
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many batches the sender thread has written so far. */
    public long batchesSent() {
        return batchesSent.get();
    }

    private void refuseIfFinished() {
        refuseIfFailed();
        if (closed) {
            throw new IllegalStateException("this producer is closed");
        }
    }

    private void refuseIfFailed() {
        if (senderFailure != null) {
            throw new IllegalStateException("the sender thread stopped: " + senderFailure, senderFailure);
        }
    }

    private void sendBatches() {
        try {
            List<Batch> ready;
            while (!(ready = takeReadyBatches()).isEmpty()) {
                for (Batch batch : ready) {
                    write(batch);
                }
            }
        } catch (Throwable failure) {
            giveUp(failure);
        }
    }

    /** Waits until some batch is ready and takes every ready one; an empty list means closed and done. */
    private List<Batch> takeReadyBatches() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                List<Batch> ready = new ArrayList<>();
                long soonest = Long.MAX_VALUE;
                boolean anyWaiting = false;
                for (Deque<Batch> batches : waiting) {
                    for (Iterator<Batch> it = batches.iterator(); it.hasNext(); ) {
                        Batch batch = it.next();
                        anyWaiting = true;
                        if (batch.ready(now)) {
                            it.remove();
                            ready.add(batch);
                        } else {
                            soonest = Math.min(soonest, batch.createdAt + lingerNanos - now);
                        }
                    }
                }
                if (!ready.isEmpty()) {
                    beingWritten.addAll(ready);
                    return ready;
                }
                if (closed && !anyWaiting) {
                    return ready;
                }
                if (anyWaiting) {
                    work.awaitNanos(soonest);
                } else {
                    work.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void write(Batch batch) {
        List<Long> offsets = new ArrayList<>();
        try {
            for (E event : batch.events) {
                offsets.add(logs.get(batch.partition).append(event));
            }
        } catch (Throwable failure) {
            for (int i = 0; i < offsets.size(); i++) {
                batch.offsets.get(i).complete(offsets.get(i));
            }
            batch.fail(failure);
            forget(batch);
            throw failure;
        }
        batchesSent.incrementAndGet();
        forget(batch);
        for (int i = 0; i < offsets.size(); i++) {
            batch.offsets.get(i).complete(offsets.get(i));
        }
        batch.written.complete(null);
    }

    private void forget(Batch batch) {
        lock.lock();
        try {
            beingWritten.remove(batch);
        } finally {
            lock.unlock();
        }
    }

    /** The sender cannot go on: fail everything still waiting, and refuse new work from now on. */
    private void giveUp(Throwable failure) {
        List<Batch> left = new ArrayList<>();
        lock.lock();
        try {
            senderFailure = failure;
            left.addAll(beingWritten);
            beingWritten.clear();
            waiting.forEach(left::addAll);
            waiting.forEach(Deque::clear);
        } finally {
            lock.unlock();
        }
        left.forEach(batch -> batch.fail(failure));
    }
}
