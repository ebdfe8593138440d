package toykafka.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The transactions one partition saw aborted, oldest marker first: what a {@code read_committed} consumer
 * needs to skip the records they wrote. Kafka keeps the same entries in each segment's {@code .txnindex}
 * ({@code TransactionIndex}, entries {@code AbortedTxn}); here they are rebuilt from the log's markers when
 * the partition's producer state is, and forgotten when retention removes their marker.
 */
final class AbortedTransactions {

    /**
     * One aborted transaction in the partition.
     *
     * @param producerId       whose transaction it was
     * @param firstOffset      its first record here (the marker's own offset if it wrote none)
     * @param lastOffset       the offset of its ABORT marker
     * @param lastStableOffset the partition's last stable offset once it was aborted: no later entry starts
     *                         below it, so a search for the transactions in a range stops at the first entry
     *                         whose last stable offset passes the range
     */
    record Aborted(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
    }

    private final ConcurrentSkipListMap<Long, Aborted> byMarker = new ConcurrentSkipListMap<>();

    void add(Aborted aborted) {
        byMarker.put(aborted.lastOffset(), aborted);
    }

    // tag::in-range[]
    /**
     * The aborted transactions a read of {@code [from, upTo)} may hold records of: those that end at or after
     * {@code from} and begin before {@code upTo}. Kafka's {@code collectAbortedTransactions}.
     */
    List<Aborted> overlapping(long from, long upTo) {
        List<Aborted> found = new ArrayList<>();
        for (Aborted aborted : byMarker.tailMap(from).values()) {
            if (aborted.firstOffset() < upTo) {
                found.add(aborted);
            }
            if (aborted.lastStableOffset() >= upTo) {
                break; // every later transaction began after this one was decided
            }
        }
        return found;
    }
    // end::in-range[]

    /** Forgets the transactions whose marker retention removed: no read can reach them. */
    void forgetBelow(long logStartOffset) {
        byMarker.headMap(logStartOffset).clear();
    }

    /** Every entry, oldest marker first: for the console and tests. */
    List<Aborted> all() {
        return List.copyOf(byMarker.values());
    }

    int size() {
        return byMarker.size();
    }
}
