package toykafka.lesson15;

import java.util.List;
import toykafka.broker.AbortedTransaction;
import toykafka.broker.CommittedBatches;
import toykafka.common.RecordBatch;

/**
 * The reference {@link CommittedFilter}: the broker's own walk ({@link CommittedBatches}), which its HTTP
 * consumers use at {@code read_committed}, as Kafka's consumer walks a fetch in {@code CompletedFetch}.
 */
public final class AbortedTransactionFilter implements CommittedFilter {

    @Override
    public List<RecordBatch> committed(List<RecordBatch> fetched, List<AbortedTransaction> aborted) {
        return CommittedBatches.of(fetched, aborted);
    }
}
