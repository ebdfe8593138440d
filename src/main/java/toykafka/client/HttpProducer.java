package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import toykafka.common.Record;
import toykafka.lesson07.ConcurrentProducer;

/**
 * Kafka's {@code KafkaProducer} for the broker over HTTP, built as lesson 7's batching sender: any thread
 * may send; records wait in a batch per partition until {@code batch.size} records are there or
 * {@code linger.ms} has passed; one sender thread sends each batch as one request, a partition's batches
 * one after another, so a partition's records keep the order they were sent in.
 */
public final class HttpProducer implements ConcurrentProducer<Record> {

    private record Pending(Record record, CompletableFuture<Long> offset) {
    }

    private final BrokerConnection broker;
    private final String topic;
    private final int batchSize;
    private final Duration linger;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Deque<Pending>> waiting = new ArrayList<>();
    private final List<Long> oldestWaiting = new ArrayList<>();
    private int inFlight;
    private long batchesSent;
    private int flushing; // threads in flush(): what waits is sent now, lingering or not
    private boolean closed;
    private final Thread sender;

    /**
     * @param batchSize most records in one request (Kafka's batch.size counts bytes; here it counts records)
     * @param linger    how long a record may wait for others to share its request (linger.ms)
     */
    public HttpProducer(String address, String topic, int batchSize, Duration linger) {
        this.broker = new BrokerConnection(address);
        this.topic = Objects.requireNonNull(topic, "topic");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batch.size must be from 1 to 10000 records, was " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must be 0 or more, was " + linger);
        }
        this.batchSize = batchSize;
        this.linger = linger;
        int partitions = new HttpTopics(address).partitionsFor(topic); // Kafka's first request: the metadata
        for (int p = 0; p < partitions; p++) {
            waiting.add(new ArrayDeque<>());
            oldestWaiting.add(0L);
        }
        this.sender = new Thread(this::sendUntilClosed, "toykafka-http-producer-" + topic);
        sender.setDaemon(true);
        sender.start();
    }

    /** How many partitions the topic had when the producer started: it sends to 0 up to one less. */
    public int partitions() {
        return waiting.size();
    }

    @Override
    public CompletableFuture<Long> send(int partition, Record record) {
        Objects.requireNonNull(record, "an event (record) must not be null");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the producer for " + topic + " is closed");
            }
            if (partition < 0 || partition >= waiting.size()) { // Kafka's producer refuses it the same way
                throw new IllegalArgumentException("partition " + partition + " is not one of topic " + topic
                        + "'s partitions, 0.." + (waiting.size() - 1));
            }
            CompletableFuture<Long> offset = new CompletableFuture<>();
            if (waiting.get(partition).isEmpty()) {
                oldestWaiting.set(partition, System.nanoTime());
            }
            waiting.get(partition).add(new Pending(record, offset));
            changed.signalAll();
            return offset;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        if (Thread.currentThread() == sender) {
            throw new IllegalStateException("flush() from a callback on the producer's own thread would wait for itself");
        }
        lock.lock();
        flushing++;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            changed.signalAll();
            while (inFlight > 0 || waiting.stream().anyMatch(batch -> !batch.isEmpty())) {
                if (!changed.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        && System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker at " + broker.address() + " took over a minute");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            flushing--;
            lock.unlock();
        }
    }

    // tag::sender[]
    private void sendUntilClosed() {
        while (true) {
            int partition;
            List<Pending> batch = new ArrayList<>();
            lock.lock();
            try {
                partition = ready();
                while (partition < 0) {
                    if (closed && waiting.stream().allMatch(Deque::isEmpty)) {
                        return;
                    }
                    changed.awaitNanos(untilALingerEnds());
                    partition = ready();
                }
                Deque<Pending> queue = waiting.get(partition);
                while (!queue.isEmpty() && batch.size() < batchSize) {
                    batch.add(queue.poll());
                }
                oldestWaiting.set(partition, System.nanoTime());
                inFlight++;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            send(partition, batch);
            lock.lock();
            try {
                inFlight--;
                batchesSent++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A partition whose batch is full, has waited linger.ms, or must go now (flush, close); -1 if none. */
    private int ready() {
        long now = System.nanoTime();
        for (int p = 0; p < waiting.size(); p++) {
            Deque<Pending> queue = waiting.get(p);
            if (!queue.isEmpty() && (queue.size() >= batchSize || closed || flushing > 0
                    || now - oldestWaiting.get(p) >= linger.toNanos())) {
                return p;
            }
        }
        return -1;
    }
    // end::sender[]

    /** How long until the oldest waiting record has lingered long enough; a second if none waits. */
    private long untilALingerEnds() {
        long now = System.nanoTime();
        long soonest = TimeUnit.SECONDS.toNanos(1);
        for (int p = 0; p < waiting.size(); p++) {
            if (!waiting.get(p).isEmpty()) {
                soonest = Math.min(soonest, Math.max(1, oldestWaiting.get(p) + linger.toNanos() - now));
            }
        }
        return soonest;
    }

    private void send(int partition, List<Pending> batch) {
        List<String> json = new ArrayList<>(batch.size());
        batch.forEach(pending -> json.add(BrokerConnection.json(pending.record(), partition)));
        try {
            JsonNode replies = broker.call("POST", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic)
                    + "/records", "[" + String.join(",", json) + "]").body();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).offset().complete(replies.get(i).get("offset").asLong());
            }
        } catch (RuntimeException refused) {
            batch.forEach(pending -> pending.offset().completeExceptionally(refused)); // all or none, as the broker wrote
        }
    }

    /** How many requests the sender has made: fewer than records sent, when batching works. */
    public long batchesSent() {
        lock.lock();
        try {
            return batchesSent;
        } finally {
            lock.unlock();
        }
    }

    /** Sends everything accepted, then stops the sender thread; sends after this are refused. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != sender) {
            try {
                sender.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "HttpProducer[" + topic + " at " + broker.address() + ", batches of " + batchSize + ", linger "
                + linger.toMillis() + " ms]";
    }
}
