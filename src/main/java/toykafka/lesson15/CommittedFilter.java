package toykafka.lesson15;

import java.util.List;
import toykafka.broker.AbortedTransaction;
import toykafka.common.RecordBatch;

// tag::contract[]
/**
 * What a {@code read_committed} consumer hands its application from one partition's fetch: the broker sends the
 * batches up to the last stable offset, aborted ones among them, and the list of transactions aborted in that
 * range; the consumer drops the batches of the aborted transactions, and every transaction marker.
 */
public interface CommittedFilter {

    /**
     * The data batches of {@code fetched} that belong to no aborted transaction, in log order.
     *
     * @param fetched the partition's batches in offset order, as a fetch returned them: data batches,
     *                transactional or not, and control batches holding one COMMIT or ABORT marker each
     * @param aborted the transactions the broker listed as aborted in this range: each producer's id and the
     *                offset of its transaction's first batch, in any order
     */
    List<RecordBatch> committed(List<RecordBatch> fetched, List<AbortedTransaction> aborted);
}
// end::contract[]
