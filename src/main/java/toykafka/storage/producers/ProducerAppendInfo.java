package toykafka.storage.producers;

import java.util.Optional;
import toykafka.common.ControlRecord;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;

/**
 * One producer's batch on its way into a partition's log, its producer held from the check to the record:
 * Kafka's {@code ProducerAppendInfo}. The log takes it from {@link ProducerStateManager#prepareUpdate}, asks
 * {@link #analyzeAndValidate} whether the batch may be written, writes it, hands the batch as stored to
 * {@link #update}, and closes it, which lets the producer go: two copies of one batch, from two connections, are
 * judged one after the other. Closing also undoes what an append that failed on the way left behind.
 */
public final class ProducerAppendInfo implements AutoCloseable {

    private final ProducerStateManager state;
    private final ProducerStateEntry producer;
    private final TopicPartition partition;
    private final RecordBatch batch;
    private final AppendOrigin origin;
    /** The last stable offset, held while a transaction's first batch is written; null when nothing is held. */
    private ProducerStateManager.Open hold;

    /** Made holding {@code producer}'s lock, which {@link #close} lets go. */
    ProducerAppendInfo(ProducerStateManager state, ProducerStateEntry producer, TopicPartition partition,
                       RecordBatch batch, AppendOrigin origin) {
        this.state = state;
        this.producer = producer;
        this.partition = partition;
        this.batch = batch;
        this.origin = origin;
    }

    // tag::analyze[]
    /**
     * Checks the batch against what the partition knows of its producer, before anything is written. A
     * producer's batch with the sequences of one of its last five is a retry: that one is returned, to answer
     * the retry as it was answered, and nothing is to be written. Otherwise a batch is refused if its epoch is
     * fenced, its sequence does not follow on, or it is plain while the producer's transaction is open here.
     * A marker, or a batch the broker writes for the producer, is checked by its epoch only. A transaction's
     * first batch holds the last stable offset at the log's end until its own offset is known.
     */
    public Optional<BatchMetadata> analyzeAndValidate() {
        if (origin == AppendOrigin.CLIENT && !batch.isControl()) {
            Optional<BatchMetadata> first = producer.duplicateOf(batch);
            if (first.isPresent()) {
                return first;
            }
            producer.checkTransaction(batch, partition);
            producer.checkNext(batch, partition);
        } else {
            producer.checkMarker(batch.producerEpoch(), partition); // an older epoch is fenced
        }
        if (batch.isTransactional() && !batch.isControl() && producer.transactionFirstOffset() < 0) {
            hold = state.holdFor(batch.producerId()); // before the log's end moves
        }
        return Optional.empty();
    }
    // end::analyze[]

    // tag::update[]
    /**
     * Records the batch the log just wrote, as stored (its offsets, and the log's time if the topic stamps one):
     * a producer's batch is remembered for its retries, a transaction's first batch opens the transaction at its
     * offset, and a marker ends it, moving the last stable offset past it (Kafka's {@code update} and
     * {@code completeTxn}).
     */
    public void update(RecordBatch stored) {
        if (stored.isControl()) {
            state.ended(producer, stored.producerId(), stored.producerEpoch(), stored.baseOffset(),
                    stored.maxTimestamp(), ControlRecord.of(stored).commit());
            return;
        }
        if (origin == AppendOrigin.CLIENT) {
            producer.written(stored.producerEpoch(), BatchMetadata.of(stored));
        }
        if (producer.opensTransaction(stored)) {
            hold = state.opened(stored.producerId(), stored.baseOffset(), hold);
        }
    }
    // end::update[]

    /**
     * Lets the producer go. If the batch was refused, or the log failed to write it, nothing of it stays: no
     * hold on the last stable offset, and no entry for a producer the partition knew nothing of before.
     */
    @Override
    public void close() {
        try {
            if (hold != null) {
                state.release(hold); // the append failed: nothing was opened
            }
            state.removeIfEmpty(batch.producerId(), producer);
        } finally {
            producer.unlock();
        }
    }
}
