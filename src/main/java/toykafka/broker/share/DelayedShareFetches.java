package toykafka.broker.share;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import toykafka.common.TopicPartition;

// tag::share-purgatory[]
/**
 * Share fetches waiting for records they may acquire: Kafka's share-fetch purgatory of {@code DelayedShareFetch}es,
 * watched by group and partition. A fetch that acquired nothing parks, without a thread, and tries again when one of
 * its partitions gets an append, or when the share partitions {@link #wake} it: records of its group there were
 * released, their locks ran out, or an acknowledgement moved the window on. It answers once a try acquires something,
 * or at its MaxWait with what a last try gets. A try woken by a request runs after that request is answered, on its
 * thread: a producer or an acknowledging member is never kept waiting for the fetches it woke.
 */
final class DelayedShareFetches {

    private record Key(String groupId, TopicPartition partition) {
    }
    // end::share-purgatory[]

    private final Map<Key, Set<Parking>> watchers = new ConcurrentHashMap<>();
    /** Counts wakes: a fetch that sees it move between its try and its parking tries again at once. */
    private final AtomicLong wakes = new AtomicLong();
    private final ShareLog log;

    DelayedShareFetches(ShareLog log) {
        this.log = log;
    }

    /**
     * Answers {@code attempt}'s result once it is {@code enough}, trying again at each append to {@code wanted} and each
     * wake of the group there, until {@code maxWait} has passed. The first try runs on the caller's thread, and what it
     * throws reaches the caller; later ones run on the thread that woke the fetch.
     */
    <T> CompletableFuture<T> fetch(String groupId, List<TopicPartition> wanted, Duration maxWait, Supplier<T> attempt,
                                   Predicate<T> enough) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        long seen = wakes.get();
        Map<TopicPartition, Long> ends = ends(wanted);
        T got = attempt.get();
        if (enough.test(got) || maxWait.isZero() || wanted.isEmpty()) {
            return CompletableFuture.completedFuture(got);
        }
        DelayedShareFetch<T> fetch = new DelayedShareFetch<>(groupId, List.copyOf(wanted), deadline, attempt, enough);
        fetch.parkOrRetry(got, seen, ends);
        return fetch.answer;
    }

    /**
     * Records of the group on the partition may be acquirable again: the fetches parked on them try again on the
     * caller's thread, once the request it handles is answered ({@link ShareLog#addToActionQueue}), so the member that
     * released them does not wait for the others' answers. Call it without holding a share partition's lock.
     */
    void wake(String groupId, TopicPartition partition) {
        wakes.incrementAndGet(); // now: a fetch parking meanwhile sees it and tries again itself
        log.addToActionQueue(() -> {
            Set<Parking> parked = watchers.get(new Key(groupId, partition));
            if (parked != null) {
                List.copyOf(parked).forEach(Parking::fire); // a copy: a fetch that parks again is not woken twice
            }
        });
    }

    private Map<TopicPartition, Long> ends(List<TopicPartition> wanted) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        wanted.forEach(partition -> ends.put(partition, log.listOffsets(partition, ShareLog.LATEST).offset()));
        return ends;
    }

    /** One share fetch, from its first parking to its answer. */
    private final class DelayedShareFetch<T> {
        private final String groupId;
        private final List<TopicPartition> wanted;
        private final long deadline;
        private final Supplier<T> attempt;
        private final Predicate<T> enough;
        private final CompletableFuture<T> answer = new CompletableFuture<>();

        DelayedShareFetch(String groupId, List<TopicPartition> wanted, long deadline, Supplier<T> attempt,
                          Predicate<T> enough) {
            this.groupId = groupId;
            this.wanted = wanted;
            this.deadline = deadline;
            this.attempt = attempt;
            this.enough = enough;
        }

        /** Woken: tries again, and answers or parks again. */
        void tryAgain() {
            try {
                long seen = wakes.get();
                Map<TopicPartition, Long> ends = ends(wanted);
                parkOrRetry(attempt.get(), seen, ends);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }

        /**
         * Answers {@code got} if it is enough or the time is up; parks otherwise. A wake or an append that came after
         * {@code seen} and {@code ends} were taken, before the parking was watched, means another try at once.
         */
        void parkOrRetry(T got, long seen, Map<TopicPartition, Long> ends) {
            while (true) {
                long left = deadline - System.nanoTime();
                if (enough.test(got) || left <= 0) {
                    answer.complete(got);
                    return;
                }
                Parking parking = new Parking(this);
                switch (parking.park(Duration.ofNanos(left), seen, ends)) {
                    case PARKED -> {
                        return;
                    }
                    case LAST_TRY -> {
                        answer.complete(attempt.get());
                        return;
                    }
                    default -> {
                        seen = wakes.get();
                        ends = ends(wanted);
                        got = attempt.get();
                    }
                }
            }
        }
    }

    private enum Parked { PARKED, RETRY, LAST_TRY }

    /** One parking of a fetch: watched by its group's partitions and, in the fetch purgatory, by their appends. */
    private final class Parking {
        private static final int REGISTERING = 0;
        private static final int WATCHED = 1;
        private static final int DONE = 2;

        private final DelayedShareFetch<?> fetch;
        private final AtomicInteger state = new AtomicInteger(REGISTERING);
        private volatile Runnable appendWatch;

        Parking(DelayedShareFetch<?> fetch) {
            this.fetch = fetch;
        }

        Parked park(Duration left, long seen, Map<TopicPartition, Long> ends) {
            for (TopicPartition partition : fetch.wanted) {
                watchers.compute(new Key(fetch.groupId, partition), (k, parked) -> { // in compute: see unwatch
                    Set<Parking> set = parked != null ? parked : ConcurrentHashMap.newKeySet();
                    set.add(this);
                    return set;
                });
            }
            appendWatch = log.awaitAppend(fetch.wanted, left, this::fire);
            if (!state.compareAndSet(REGISTERING, WATCHED)) { // fired while parking: the broker stops, or a race
                unwatch();
                return Parked.LAST_TRY;
            }
            if (wakes.get() == seen && ends.equals(ends(fetch.wanted))) {
                return Parked.PARKED;
            }
            if (!state.compareAndSet(WATCHED, DONE)) {
                return Parked.PARKED; // whoever fired it tries again
            }
            unwatch();
            return Parked.RETRY;
        }

        /** An append, a wake or the deadline: the first of them takes the parking and tries again. */
        void fire() {
            if (state.compareAndSet(WATCHED, DONE)) {
                unwatch();
                fetch.tryAgain();
            } else {
                state.compareAndSet(REGISTERING, DONE);
            }
        }

        private void unwatch() {
            for (TopicPartition partition : fetch.wanted) {
                watchers.computeIfPresent(new Key(fetch.groupId, partition), (k, parked) -> { // drops an emptied set
                    parked.remove(this);
                    return parked.isEmpty() ? null : parked;
                });
            }
            appendWatch.run(); // leaves the fetch purgatory; the callback this runs finds the parking done
        }
    }
}
