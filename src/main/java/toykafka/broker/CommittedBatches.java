package toykafka.broker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import toykafka.common.ControlRecord;
import toykafka.common.FetchedBatches;
import toykafka.common.OffsetRecord;
import toykafka.common.RecordBatch;

/**
 * What a {@code read_committed} consumer keeps of one partition's fetch: Kafka's consumer walks it the same way
 * ({@code CompletedFetch}), one batch at a time, keeping the producers whose aborted transaction has begun and
 * not yet met its ABORT marker. The broker's HTTP consumers, which hand records to clients that cannot filter,
 * walk their reads with it; lesson 15's exercise asks for it.
 */
public final class CommittedBatches {

    private CommittedBatches() {
    }

    // tag::filter[]
    /** The data batches of {@code fetched} that belong to no transaction of {@code aborted}, in log order. */
    public static List<RecordBatch> of(List<RecordBatch> fetched, List<AbortedTransaction> aborted) {
        PriorityQueue<AbortedTransaction> notYetBegun =
                new PriorityQueue<>(Comparator.comparingLong(AbortedTransaction::firstOffset));
        notYetBegun.addAll(aborted);
        Set<Long> aborting = new HashSet<>(); // producers inside an aborted transaction here
        List<RecordBatch> delivered = new ArrayList<>();
        for (RecordBatch batch : fetched) {
            while (!notYetBegun.isEmpty() && notYetBegun.peek().firstOffset() <= batch.lastOffset()) {
                aborting.add(notYetBegun.poll().producerId());
            }
            if (batch.isControl()) {
                if (!ControlRecord.of(batch).commit()) {
                    aborting.remove(batch.producerId()); // its aborted transaction ends here
                }
                continue; // a marker is never handed to the application
            }
            if (batch.isTransactional() && aborting.contains(batch.producerId())) {
                continue;
            }
            delivered.add(batch);
        }
        return delivered;
    }
    // end::filter[]

    /**
     * The data batches of {@code fetched} that belong to a transaction of {@code aborted} (null: a read of everything,
     * which drops none), in log order: what a {@code read_committed} consumer skips.
     */
    public static List<RecordBatch> aborted(List<RecordBatch> fetched, List<AbortedTransaction> aborted) {
        if (aborted == null || aborted.isEmpty()) {
            return List.of();
        }
        Set<RecordBatch> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(of(fetched, aborted));
        return fetched.stream().filter(batch -> !batch.isControl() && !kept.contains(batch)).toList();
    }

    /**
     * Up to {@code max} records of a read from the offset it asked for, decoded, markers left out, and the records
     * of {@code aborted} too when a {@code read_committed} read listed them (null: a read of everything).
     */
    static List<OffsetRecord> records(FetchedBatches read, List<AbortedTransaction> aborted, int max) {
        if (aborted == null || aborted.isEmpty()) {
            return read.offsetRecords(max);
        }
        return FetchedBatches.offsetRecords(of(read.batches(), aborted), read.fromOffset(), max);
    }
}
