package toykafka.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import toykafka.common.DelayedActionQueue;
import toykafka.common.TopicPartition;

// tag::purgatory[]
/**
 * Reads waiting for records without a thread each: Kafka's fetch purgatory (a
 * {@code DelayedOperationPurgatory} of {@code DelayedFetch}es). A waiting read is registered with its
 * partitions, the bytes it still needs and its deadline. Each append tells only the reads watching its
 * partition how many bytes arrived, and a read that has enough completes at once, on the appender's
 * thread once the append is answered ({@link DelayedActionQueue}); the others complete at their deadline, on one
 * timer thread for all of them. Completing is
 * calling the read back, so five thousand waiting reads cost five thousand small objects, not threads.
 */
final class DelayedFetches implements AutoCloseable {

    /** One waiting read: what it watches, how many bytes it still needs, and what to run when it is done. */
    private final class DelayedFetch {
        private final List<TopicPartition> partitions;
        private final long bytesNeeded;
        private final Runnable onComplete;
        private final AtomicLong arrived = new AtomicLong();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile ScheduledFuture<?> deadline;

        DelayedFetch(List<TopicPartition> partitions, long bytesNeeded, Runnable onComplete) {
            this.partitions = partitions;
            this.bytesNeeded = bytesNeeded;
            this.onComplete = onComplete;
        }

        void arrived(long bytes) {
            if (arrived.addAndGet(bytes) >= bytesNeeded) {
                complete();
            }
        }

        /** Runs the read's callback exactly once, whoever gets here first: an append, the deadline, or close. */
        void complete() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> timer = deadline;
            if (timer != null) {
                timer.cancel(false);
            }
            partitions.forEach(partition -> unwatch(partition, this));
            onComplete.run();
        }
    }
    // end::purgatory[]

    private final Map<TopicPartition, Set<DelayedFetch>> watchers = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    DelayedFetches() {
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "toykafka-delayed-fetches");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a read an append completed leaves nothing in the timer's queue
    }

    /**
     * Parks a read until {@code bytesNeeded} bytes have been appended to its partitions, or {@code maxWait}
     * has passed, whichever comes first; then runs {@code onComplete}, once. Returns a handle that completes
     * the read early (a caller that finds the data already there after registering uses it).
     */
    Runnable watch(List<TopicPartition> partitions, long bytesNeeded, Duration maxWait, Runnable onComplete) {
        DelayedFetch fetch = new DelayedFetch(List.copyOf(partitions), bytesNeeded, onComplete);
        for (TopicPartition partition : fetch.partitions) {
            watchers.compute(partition, (p, waiting) -> { // in compute: an unwatch may drop an emptied set
                Set<DelayedFetch> set = waiting != null ? waiting : ConcurrentHashMap.newKeySet();
                set.add(fetch);
                return set;
            });
        }
        if (closed) {
            fetch.complete();
            return fetch::complete;
        }
        fetch.deadline = timer.schedule(fetch::complete, maxWait.toNanos(), TimeUnit.NANOSECONDS);
        if (fetch.done.get()) {
            fetch.deadline.cancel(false); // an append completed it while the deadline was being set
        }
        return fetch::complete;
    }

    /** An append of {@code bytes} bytes landed on {@code partition}: the reads watching it count them. */
    void appended(TopicPartition partition, long bytes) {
        Set<DelayedFetch> waiting = watchers.get(partition);
        if (waiting != null) {
            for (DelayedFetch fetch : waiting) {
                fetch.arrived(bytes);
            }
        }
    }

    /** Completes every read watching a partition of the topic now: it was deleted, or gained partitions. */
    void wake(String topic) {
        for (Map.Entry<TopicPartition, Set<DelayedFetch>> entry : watchers.entrySet()) {
            if (entry.getKey().topic().equals(topic)) {
                entry.getValue().forEach(DelayedFetch::complete);
            }
        }
    }

    /** How many reads are waiting now. */
    int waiting() {
        return (int) watchers.values().stream().flatMap(Set::stream).distinct().count();
    }

    private void unwatch(TopicPartition partition, DelayedFetch fetch) {
        watchers.computeIfPresent(partition, (p, waiting) -> {
            waiting.remove(fetch);
            return waiting.isEmpty() ? null : waiting;
        });
    }

    /** Completes every waiting read now, with what it has, and stops the timer: the broker is stopping. */
    @Override
    public void close() {
        closed = true;
        watchers.values().forEach(waiting -> waiting.forEach(DelayedFetch::complete));
        timer.shutdownNow();
    }
}
