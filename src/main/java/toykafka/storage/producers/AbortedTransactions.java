package toykafka.storage.producers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The transactions one partition saw aborted, oldest marker first: what a {@code read_committed} consumer
 * needs to skip the records they wrote. Kafka reads them from each segment's {@code .txnindex} when a fetch
 * needs them; here they are kept in memory, rebuilt from the log's markers when the partition's producer state
 * is, and forgotten when retention removes their marker. The {@code .txnindex} files are written all the same,
 * for Kafka's tools and for Kafka itself.
 */
final class AbortedTransactions {

    private final ConcurrentSkipListMap<Long, AbortedTxn> byMarker = new ConcurrentSkipListMap<>();

    void add(AbortedTxn aborted) {
        byMarker.put(aborted.lastOffset(), aborted);
    }

    // tag::in-range[]
    /**
     * The aborted transactions a read of {@code [from, upTo)} may hold records of: those that end at or after
     * {@code from} and begin before {@code upTo}. Kafka's {@code collectAbortedTransactions}.
     */
    List<AbortedTxn> overlapping(long from, long upTo) {
        List<AbortedTxn> found = new ArrayList<>();
        for (AbortedTxn aborted : byMarker.tailMap(from).values()) {
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
    List<AbortedTxn> all() {
        return List.copyOf(byMarker.values());
    }

    int size() {
        return byMarker.size();
    }
}
