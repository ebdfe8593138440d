package toykafka.lesson15;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import toykafka.broker.AbortedTransaction;
import toykafka.common.ControlRecord;
import toykafka.common.RecordBatch;

/**
 * The reference {@link CommittedFilter}: Kafka's consumer walks a fetch the same way ({@code CompletedFetch}),
 * one batch at a time, keeping the producers whose aborted transaction has begun and not yet met its ABORT
 * marker.
 */
public final class AbortedTransactionFilter implements CommittedFilter {

    // tag::filter[]
    @Override
    public List<RecordBatch> committed(List<RecordBatch> fetched, List<AbortedTransaction> aborted) {
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
}
