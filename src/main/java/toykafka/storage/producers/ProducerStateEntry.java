package toykafka.storage.producers;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;

/**
 * One idempotent producer as one partition knows it: its epoch and its last five batches. That is enough
 * to tell a retry from a new batch, and a new batch that follows on from one that leaves a gap. Kafka's
 * {@code ProducerStateEntry}, with the checks of its {@code ProducerAppendInfo}.
 *
 * <p>Not thread-safe: an append holds the entry's lock from the check to the record (see
 * {@link ProducerAppendInfo}), so two copies of one batch racing on two connections are judged one after the other.
 */
final class ProducerStateEntry {

    /**
     * How many batches a producer's retries can reach back: Kafka keeps five, because an idempotent producer
     * has at most five requests in flight per connection (max.in.flight.requests.per.connection).
     */
    static final int BATCHES_RETAINED = 5;
    /** The epoch of a producer the partition knows nothing of yet. */
    static final short NO_EPOCH = -1;

    private final long producerId;
    private short epoch = NO_EPOCH;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(BATCHES_RETAINED);
    /** Held from an append's check to its record, and by whoever reads or forgets the entry. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Taken out of its partition's producers: whoever waited for its lock must look the producer up again. */
    private boolean removed;
    /** The first offset of the producer's open transaction in this partition, or -1 when none is open. */
    private long transactionFirstOffset = -1;
    /** The offset of the last marker that ended one of its transactions here, or -1. */
    private long lastMarkerOffset = -1;
    /** The timestamp of that marker, -1 if none: Kafka's producer state takes a marker's as its last timestamp. */
    private long lastMarkerTimestamp = -1;

    ProducerStateEntry(long producerId) {
        this.producerId = producerId;
    }

    /** The batch among the last five that {@code batch} repeats (same epoch and sequences), if any. */
    Optional<BatchMetadata> duplicateOf(RecordBatch batch) {
        if (batch.producerEpoch() != epoch) {
            return Optional.empty(); // a new epoch's sequences start again: nothing from an older one is a retry
        }
        return batches.stream().filter(known -> known.sameSequences(batch)).findFirst();
    }

    // tag::check[]
    /**
     * Refuses a batch that does not follow on from what the partition holds: an epoch older than the
     * producer's (its own stale batch, sent before it bumped its epoch), a new epoch that does not start at sequence 0, or
     * in the same epoch a sequence that is not the last one plus 1. A producer with no state here (new, or
     * all of whose batches retention removed) may start anywhere, as Kafka accepts it.
     */
    void checkNext(RecordBatch batch, TopicPartition partition) {
        short sent = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        if (epoch == NO_EPOCH) {
            return;
        }
        if (sent < epoch) {
            throw ProducerStateException.fencedEpoch("producer " + producerId + " sent epoch " + sent + " to "
                    + partition + ", older than its current epoch " + epoch + ": a newer instance of the producer"
                    + " has taken over, so this one is fenced; epochs from " + epoch + " on are accepted");
        }
        if (sent > epoch) {
            if (firstSeq != 0) {
                throw ProducerStateException.outOfOrder("producer " + producerId + " starts epoch " + sent
                        + " in " + partition + " at sequence " + firstSeq + ": a new epoch starts at sequence 0");
            }
            return;
        }
        int lastSeq = batches.isEmpty() ? -1 : batches.getLast().lastSeq();
        if (firstSeq != nextSequence(lastSeq)) {
            throw ProducerStateException.outOfOrder("out of order sequence number from producer " + producerId
                    + " (epoch " + epoch + ") in " + partition + ": expected sequence " + nextSequence(lastSeq)
                    + ", received " + firstSeq + " (" + (firstSeq > nextSequence(lastSeq) ? "a gap: the batches"
                    + " between were not written" : "a retry of a batch older than the last "
                    + BATCHES_RETAINED + " the partition remembers") + ")");
        }
    }
    // end::check[]

    /** The sequence after {@code lastSeq}: sequences go on from 0 after Integer.MAX_VALUE. */
    static int nextSequence(int lastSeq) {
        return lastSeq == Integer.MAX_VALUE ? 0 : lastSeq + 1;
    }

    /**
     * Remembers a batch the log now holds. A newer epoch forgets the older one's batches, whose sequences
     * no longer mean anything; past five, the oldest goes.
     */
    void written(short batchEpoch, BatchMetadata batch) {
        if (batchEpoch != epoch) {
            batches.clear();
            epoch = batchEpoch;
        }
        if (batches.size() == BATCHES_RETAINED) {
            batches.removeFirst();
        }
        batches.addLast(batch);
    }

    // tag::transaction[]
    /**
     * Refuses a batch that breaks the producer's transaction: a plain batch while its transaction is open
     * here (Kafka's "expected transactional write"), checked before {@link #checkNext}.
     */
    void checkTransaction(RecordBatch batch, TopicPartition partition) {
        if (!batch.isTransactional() && transactionFirstOffset >= 0) {
            throw ProducerStateException.transactional("producer " + producerId + " sent a batch without the"
                    + " transactional bit to " + partition + " while its transaction there, open since offset "
                    + transactionFirstOffset + ", is not yet committed or aborted");
        }
    }

    /**
     * Remembers a transactional batch the log now holds: the first one opens the producer's transaction in
     * this partition. Returns whether it did.
     */
    boolean opensTransaction(RecordBatch stored) {
        if (!stored.isTransactional() || transactionFirstOffset >= 0) {
            return false;
        }
        transactionFirstOffset = stored.baseOffset();
        return true;
    }

    /**
     * Refuses a marker from an epoch older than the producer's: a coordinator ends only the transaction of
     * the producer's current instance.
     */
    void checkMarker(short markerEpoch, TopicPartition partition) {
        if (epoch != NO_EPOCH && markerEpoch < epoch) {
            throw ProducerStateException.fencedEpoch("a transaction marker for producer " + producerId + " in "
                    + partition + " carries epoch " + markerEpoch + ", older than the producer's " + epoch);
        }
    }

    /**
     * Ends the producer's transaction here with the marker written at {@code markerOffset}, and returns the
     * offset the transaction began at: the marker's own if it wrote nothing here. A newer epoch (the
     * coordinator fencing an old instance) forgets the older epoch's sequences.
     */
    long endTransaction(short markerEpoch, long markerOffset, long markerTimestamp) {
        if (markerEpoch != epoch) {
            batches.clear();
            epoch = markerEpoch;
        }
        long first = transactionFirstOffset >= 0 ? transactionFirstOffset : markerOffset;
        transactionFirstOffset = -1;
        lastMarkerOffset = markerOffset;
        lastMarkerTimestamp = markerTimestamp;
        return first;
    }
    // end::transaction[]

    /** The last sequence the producer wrote here, or -1 if no batch is remembered. */
    int lastSequence() {
        return batches.isEmpty() ? -1 : batches.getLast().lastSeq();
    }

    /** The timestamp of the last it wrote here, batch (its max timestamp) or marker, or -1. */
    long lastTimestamp() {
        if (batches.isEmpty() || lastMarkerOffset > batches.getLast().lastOffset()) {
            return lastMarkerTimestamp;
        }
        return batches.getLast().maxTimestamp();
    }

    /** The first offset of the producer's open transaction here, or -1. */
    long transactionFirstOffset() {
        return transactionFirstOffset;
    }

    /** The offset of the last record or marker the producer wrote here, or -1 if none is remembered. */
    long lastOffset() {
        return Math.max(lastMarkerOffset, batches.isEmpty() ? -1 : batches.getLast().lastOffset());
    }

    short epoch() {
        return epoch;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    boolean removed() {
        return removed;
    }

    void remove() {
        removed = true;
    }

    @Override
    public String toString() {
        return "ProducerStateEntry[producer " + producerId + ", epoch " + epoch + ", " + batches
                + (transactionFirstOffset >= 0 ? ", transaction open since " + transactionFirstOffset : "") + "]";
    }
}
