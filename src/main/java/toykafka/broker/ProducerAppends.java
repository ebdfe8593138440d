package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.Optional;
import toykafka.common.Errors;
import toykafka.common.InvalidRecordException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.storage.BatchLog;
import toykafka.storage.producers.AppendOrigin;
import toykafka.storage.producers.BatchMetadata;

/**
 * Appends of idempotent and transactional producers, as far as they are the broker's: the checks that need
 * the broker (one batch a request, no markers from clients, the transaction coordinator's say over
 * transactional batches), then the log's own append for a producer ({@link BatchLog#appendAsLeader}), which
 * checks the batch against its producer state, writes it and records it as one step. In Kafka the
 * coordinator's verification is {@code ReplicaManager}'s, the rest {@code UnifiedLog.append}'s.
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
     * Appends one idempotent producer's batch to {@code log}, as the log's producer state allows, throwing its
     * refusals. Returns the batch already written that this one repeats, if it is a retry: then nothing is
     * written, and the retry is answered as its first append was ({@link #answerDuplicate}).
     */
    Optional<BatchMetadata> append(TopicPartition partition, BatchLog log, ByteBuffer batches) {
        onlyBatch(batches, partition);
        return log.appendAsLeader(partition, batches, AppendOrigin.CLIENT);
    }

    /**
     * Appends a batch the broker writes for a producer inside its transaction (offsets it commits, on the
     * offsets topic): refused unless the transaction coordinator places the partition in the producer's
     * transaction, then checked by the log against the producer's epoch.
     */
    void appendForCoordinator(TopicPartition partition, BatchLog log, ByteBuffer batches) {
        RecordBatch batch = RecordBatch.wrap(batches.duplicate());
        verifier.verify(partition, batch.producerId(), batch.producerEpoch());
        log.appendAsLeader(partition, batches, AppendOrigin.COORDINATOR);
    }

    /**
     * Who decides whether a transactional batch belongs to a transaction: the transaction coordinator, once
     * the broker has one. Until then every transactional batch is refused.
     */
    void verifyTransactionsWith(TransactionVerifier verifier) {
        this.verifier = verifier;
    }

    /** The answer the first append of the batch got: its offset, and its LogAppendTime if the topic stamps one. */
    static AppendResult answerDuplicate(BatchMetadata original, BatchLog log) {
        long logAppendTime = log.config().logAppendTime() ? original.maxTimestamp() : -1;
        return new AppendResult(Errors.NONE, null, original.baseOffset(), logAppendTime, log.earliest());
    }

    /**
     * The one batch an idempotent producer's append holds, as Kafka's produce (v3 on) requires: its
     * sequences are judged batch by batch, and a retry is answered whole. Refuses a transactional batch the
     * {@link TransactionVerifier} does not place in its producer's transaction, and a producer id without an
     * epoch or sequence.
     */
    private void onlyBatch(ByteBuffer batches, TopicPartition partition) {
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
    }
}
