package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import toykafka.broker.Partitions.AppendResult;
import toykafka.common.ControlRecord;
import toykafka.common.Errors;
import toykafka.common.InvalidRecordException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.storage.AbortedTxn;
import toykafka.storage.BatchLog;

/**
 * Appends of idempotent producers: check the batch against its producer's state in the partition, append
 * it, remember it, as one step per producer and partition. A retry of one of the producer's last five
 * batches is answered with the offset that batch got, and nothing is written again; a batch that leaves a
 * gap, or comes from a fenced epoch, is refused. In Kafka this is {@code UnifiedLog.append}'s
 * {@code analyzeAndValidateProducerState} and the {@code ProducerStateManager} of each log.
 *
 * <p>Batches without a producer id never come here (see {@link #fromProducer}): they take no lock but the
 * log's own, so their appends still share fsyncs (lesson 9's group commit).
 */
final class ProducerAppends {

    /** Bit 4 of a batch's attributes: the batch is part of a transaction. */
    private static final int TRANSACTIONAL_BIT = 0x10;
    /** Bit 5: a control batch, a transaction marker. */
    private static final int CONTROL_BIT = 0x20;

    private final Map<TopicPartition, ProducerStateManager> partitions = new ConcurrentHashMap<>();
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

    // tag::append[]
    /**
     * Appends one idempotent producer's batch to {@code log} with {@code write} (which writes the bytes and
     * answers as any append does, throwing its refusals), unless it is a retry of a batch already written:
     * that is answered with the offset the batch got (and, if the topic uses LogAppendTime, the time stamped
     * on it then), and nothing is written. Nothing is written for a refusal either.
     */
    AppendResult append(TopicPartition partition, BatchLog log, ByteBuffer batches, Supplier<AppendResult> write) {
        RecordBatch batch = onlyBatch(batches, partition);
        ProducerStateManager state = stateOf(partition, log);
        while (true) {
            ProducerStateEntry producer = state.entry(batch.producerId());
            synchronized (producer) { // from the check to the write: two copies of one batch go one at a time
                if (producer.removed()) {
                    continue; // forgotten while we waited: look it up again
                }
                Optional<BatchMetadata> duplicate = producer.duplicateOf(batch);
                if (duplicate.isPresent() && batch.storedCrc() == batch.computeCrc()) {
                    return answerDuplicate(duplicate.get(), log); // a damaged copy goes on, for the log to refuse
                }
                ProducerStateManager.Open hold = null;
                try {
                    producer.checkTransaction(batch, partition);
                    producer.checkNext(batch, partition);
                    if (batch.isTransactional() && producer.transactionFirstOffset() < 0) {
                        hold = state.holdFor(batch.producerId(), log.endOffset()); // before the log's end moves
                    }
                    AppendResult result = write.get();
                    RecordBatch stored = RecordBatch.wrap(batches.duplicate()); // its offsets and stamp now in it
                    producer.written(stored.producerEpoch(), BatchMetadata.of(stored));
                    if (producer.opensTransaction(stored)) {
                        hold = state.opened(stored.producerId(), stored.baseOffset(), hold);
                    }
                    return result;
                } finally {
                    if (hold != null) {
                        state.release(hold); // the append failed: nothing was opened
                    }
                    state.removeIfEmpty(batch.producerId(), producer); // refused before anything was remembered
                }
            }
        }
    }
    // end::append[]

    /**
     * Appends a batch the broker writes for a producer inside its transaction (offsets it commits, on the
     * offsets topic): checked against the producer's transaction and epoch, counted among the open
     * transactions, but carrying no sequence, so kept out of the window of batches retries are matched with.
     */
    AppendResult appendForCoordinator(TopicPartition partition, BatchLog log, ByteBuffer batches,
                                      Supplier<AppendResult> write) {
        RecordBatch batch = RecordBatch.wrap(batches.duplicate());
        verifier.verify(partition, batch.producerId(), batch.producerEpoch());
        ProducerStateManager state = stateOf(partition, log);
        while (true) {
            ProducerStateEntry producer = state.entry(batch.producerId());
            synchronized (producer) {
                if (producer.removed()) {
                    continue;
                }
                ProducerStateManager.Open hold = null;
                try {
                    producer.checkMarker(batch.producerEpoch(), partition); // an older epoch is fenced
                    if (producer.transactionFirstOffset() < 0) {
                        hold = state.holdFor(batch.producerId(), log.endOffset());
                    }
                    AppendResult result = write.get();
                    RecordBatch stored = RecordBatch.wrap(batches.duplicate());
                    if (producer.opensTransaction(stored)) {
                        hold = state.opened(stored.producerId(), stored.baseOffset(), hold);
                    }
                    return result;
                } finally {
                    if (hold != null) {
                        state.release(hold);
                    }
                    state.removeIfEmpty(batch.producerId(), producer);
                }
            }
        }
    }

    // tag::marker[]
    /**
     * Writes a transaction marker for {@code producerId} with {@code write} (which appends {@code marker}),
     * ending the producer's transaction in the partition: the last stable offset moves past it, and an
     * abort is remembered for {@code read_committed} reads. Refuses a marker from an epoch older than the
     * producer's.
     */
    AppendResult writeMarker(TopicPartition partition, BatchLog log, RecordBatch marker, Supplier<AppendResult> write) {
        boolean commit = ControlRecord.of(marker).commit();
        ProducerStateManager state = stateOf(partition, log);
        while (true) {
            ProducerStateEntry producer = state.entry(marker.producerId());
            synchronized (producer) {
                if (producer.removed()) {
                    continue;
                }
                try {
                    producer.checkMarker(marker.producerEpoch(), partition);
                    AppendResult result = write.get();
                    state.ended(producer, marker.producerId(), marker.producerEpoch(), result.baseOffset(), commit);
                    return result;
                } finally {
                    state.removeIfEmpty(marker.producerId(), producer);
                }
            }
        }
    }
    // end::marker[]

    /**
     * Who decides whether a transactional batch belongs to a transaction: the transaction coordinator, once
     * the broker has one. Until then every transactional batch is refused.
     */
    void verifyTransactionsWith(TransactionVerifier verifier) {
        this.verifier = verifier;
    }

    /** The last stable offset of a partition, reading its producer state from the log first if need be. */
    long lastStableOffset(TopicPartition partition, BatchLog log) {
        return stateOf(partition, log).lastStableOffset();
    }

    /** The last stable offset if the partition's producer state is known, without reading the log for it. */
    OptionalLong lastStableOffsetIfKnown(TopicPartition partition, BatchLog log) {
        ProducerStateManager state = partitions.get(partition);
        return state != null && state.log() == log && state.loaded() ? OptionalLong.of(state.lastStableOffset())
                : OptionalLong.empty();
    }

    /** The producers the partition knows, reading its producer state from the log first if need be. */
    List<ActiveProducer> active(TopicPartition partition, BatchLog log) {
        return stateOf(partition, log).active();
    }

    /** The aborted transactions a read of {@code [from, upTo)} of the partition may hold records of. */
    List<AbortedTxn> abortedOverlapping(TopicPartition partition, BatchLog log, long from, long upTo) {
        return stateOf(partition, log).abortedOverlapping(from, upTo);
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

    /** The partition's producer state: made on first use, new if the topic was deleted and created again. */
    private ProducerStateManager stateOf(TopicPartition partition, BatchLog log) {
        return partitions.compute(partition, (key, known) ->
                known != null && known.log() == log ? known : new ProducerStateManager(key, log));
    }

    /** Forgets the producers of a deleted topic. */
    void forgetTopic(String topic) {
        partitions.keySet().removeIf(partition -> partition.topic().equals(topic));
    }

    /** The partition's producer state, if anything made it: for tests. */
    ProducerStateManager state(TopicPartition partition) {
        return partitions.get(partition);
    }
}
