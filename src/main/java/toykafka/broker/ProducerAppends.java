package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.function.Supplier;
import toykafka.common.Errors;
import toykafka.common.InvalidRecordException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.storage.BatchLog;
import toykafka.storage.producers.BatchMetadata;

/**
 * Appends of idempotent and transactional producers, before the log's producer state takes them: the
 * checks that need the broker (one batch a request, no markers from clients, the transaction coordinator's
 * say over transactional batches), then the log's {@code ProducerStateManager}, which checks the batch
 * against its producer, appends it and remembers it as one step. In Kafka this is {@code UnifiedLog.append}'s
 * {@code analyzeAndValidateProducerState}, with the coordinator's verification from {@code ReplicaManager}.
 *
 * <p>Batches without a producer id never come here (see {@link #fromProducer}): they take no lock but the
 * log's own, so their appends still share fsyncs (lesson 9's group commit).
 */
final class ProducerAppends {

    /** Bit 4 of a batch's attributes: the batch is part of a transaction. */
    private static final int TRANSACTIONAL_BIT = 0x10;
    /** Bit 5: a control batch, a transaction marker. */
    private static final int CONTROL_BIT = 0x20;

    private volatile TransactionVerifier verifier = TransactionVerifier.NONE;

    // tag::peek[]
    /**
     * Whether any batch in {@code batches} (from the position to the limit) comes from an idempotent or
     * transactional producer. Reads two fields of each batch header in place: cheap enough for every append.
     * A batch too short to say is left to the log, which refuses it with the reason.
     */
    static boolean fromProducer(ByteBuffer batches) {
        int at = batches.position();
        while (batches.limit() - at >= RecordBatch.HEADER_SIZE) {
            if (batches.getLong(at + RecordBatch.PRODUCER_ID_AT) >= 0
                    || (batches.getShort(at + RecordBatch.ATTRIBUTES_AT) & TRANSACTIONAL_BIT) != 0) {
                return true;
            }
            int length = batches.getInt(at + RecordBatch.LENGTH_AT);
            if (length <= 0) {
                return false;
            }
            at += RecordBatch.LOG_OVERHEAD + length;
        }
        return false;
    }
    // end::peek[]

    /**
     * Refuses a control batch from a client: markers are the broker's to write, when a transaction ends
     * (Kafka's log validation of a client's append). Reads two bytes of each batch header in place.
     */
    static void refuseControlBatches(ByteBuffer batches, TopicPartition partition) {
        int at = batches.position();
        while (batches.limit() - at >= RecordBatch.HEADER_SIZE) {
            if ((batches.getShort(at + RecordBatch.ATTRIBUTES_AT) & CONTROL_BIT) != 0) {
                throw new InvalidRecordException("a control batch (attributes bit 5) to " + partition + " is a"
                        + " transaction marker, which the broker writes when a transaction ends; a client never sends one");
            }
            int length = batches.getInt(at + RecordBatch.LENGTH_AT);
            if (length <= 0) {
                return; // the log refuses it, with the reason
            }
            at += RecordBatch.LOG_OVERHEAD + length;
        }
    }

    /**
     * Appends one idempotent producer's batch to {@code log} with {@code write} (which writes the bytes and
     * answers as any append does, throwing its refusals), as the log's producer state allows: a retry of a
     * batch already written is answered as its first append was, and nothing is written.
     */
    AppendResult append(TopicPartition partition, BatchLog log, ByteBuffer batches, Supplier<AppendResult> write) {
        RecordBatch batch = onlyBatch(batches, partition);
        return log.producerState().append(partition, batch, batches, first -> answerDuplicate(first, log), write);
    }

    /**
     * Appends a batch the broker writes for a producer inside its transaction (offsets it commits, on the
     * offsets topic): refused unless the transaction coordinator places the partition in the producer's
     * transaction, then checked against the producer's epoch.
     */
    AppendResult appendForCoordinator(TopicPartition partition, BatchLog log, ByteBuffer batches,
                                      Supplier<AppendResult> write) {
        RecordBatch batch = RecordBatch.wrap(batches.duplicate());
        verifier.verify(partition, batch.producerId(), batch.producerEpoch());
        return log.producerState().appendForCoordinator(partition, batch, batches, write);
    }

    /** Writes a transaction marker, the control batch in {@code bytes}, ending the producer's transaction there. */
    AppendResult writeMarker(TopicPartition partition, BatchLog log, RecordBatch marker, ByteBuffer bytes,
                             Supplier<AppendResult> write) {
        return log.producerState().writeMarker(partition, marker, bytes, write);
    }

    /**
     * Who decides whether a transactional batch belongs to a transaction: the transaction coordinator, once
     * the broker has one. Until then every transactional batch is refused.
     */
    void verifyTransactionsWith(TransactionVerifier verifier) {
        this.verifier = verifier;
    }

    /** The answer the first append of the batch got: its offset, and its LogAppendTime if the topic stamps one. */
    private static AppendResult answerDuplicate(BatchMetadata original, BatchLog log) {
        long logAppendTime = log.config().logAppendTime() ? original.maxTimestamp() : -1;
        return new AppendResult(Errors.NONE, null, original.baseOffset(), logAppendTime, log.earliest());
    }

    /**
     * The one batch an idempotent producer's append holds, as Kafka's produce (v3 on) requires: its
     * sequences are judged batch by batch, and a retry is answered whole. Refuses a transactional batch the
     * {@link TransactionVerifier} does not place in its producer's transaction, and a producer id without an
     * epoch or sequence.
     */
    private RecordBatch onlyBatch(ByteBuffer batches, TopicPartition partition) {
        RecordBatch batch = RecordBatch.wrap(batches.duplicate());
        if (batch.sizeInBytes() != batches.remaining()) {
            throw new InvalidRecordException("an append to " + partition + " from an idempotent producer must hold"
                    + " exactly 1 record batch, as Kafka's produce requests do; this one holds more");
        }
        if (batch.isTransactional()) {
            verifier.verify(partition, batch.producerId(), batch.producerEpoch());
        }
        if (batch.producerEpoch() < 0 || batch.baseSequence() < 0) {
            throw new InvalidRecordException("a batch from producer " + batch.producerId() + " to " + partition
                    + " has epoch " + batch.producerEpoch() + " and base sequence " + batch.baseSequence()
                    + ": an idempotent producer's epoch and sequences are 0 or more");
        }
        return batch;
    }
}
