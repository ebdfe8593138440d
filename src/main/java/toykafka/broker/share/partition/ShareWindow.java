package toykafka.broker.share.partition;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A share partition's in-flight window as a watcher sees it: from the start offset to the end offset, the last offset
 * of the batches read from the log (records in them not handed out yet are available), how many records are in it
 * and in which state, who holds the acquired ones, and how often each has been delivered.
 * What {@code kafka-share-groups} cannot show, and the console does.
 *
 * @param archiving       the records set aside whose dead letters are being written
 * @param acquiredBy      the acquired records, by member
 * @param deliveryCounts  the records in flight, by how many times they have been delivered
 */
public record ShareWindow(long startOffset, long endOffset, long available, long acquired, long acknowledged,
                          long archiving, long archived, SortedMap<String, Long> acquiredBy, SortedMap<Integer, Long> deliveryCounts) {

    /** The window now, locks that ran out released first. */
    public static ShareWindow of(SharePartition partition, long nowMs) {
        synchronized (partition) {
            partition.expireLocks(nowMs);
            long start = partition.startOffset();
            long end = partition.endOffset();
            long[] counts = new long[RecordState.values().length];
            SortedMap<String, Long> holders = new TreeMap<>();
            SortedMap<Integer, Long> deliveries = new TreeMap<>();
            for (long offset = start; offset <= end; offset++) {
                InFlightState state = partition.stateAt(offset);
                if (state == null) {
                    continue;
                }
                counts[state.state().ordinal()]++;
                if (state.state() == RecordState.ACQUIRED) {
                    holders.merge(state.memberId(), 1L, Long::sum);
                }
                deliveries.merge(state.deliveryCount(), 1L, Long::sum);
            }
            return new ShareWindow(start, end, counts[RecordState.AVAILABLE.ordinal()],
                    counts[RecordState.ACQUIRED.ordinal()], counts[RecordState.ACKNOWLEDGED.ordinal()],
                    counts[RecordState.ARCHIVING.ordinal()], counts[RecordState.ARCHIVED.ordinal()], Collections.unmodifiableSortedMap(holders),
                    Collections.unmodifiableSortedMap(deliveries));
        }
    }

    /** The records in flight: from the start offset on, in any state. */
    public long inFlight() {
        return available + acquired + acknowledged + archiving + archived;
    }
}
