package toykafka.broker.txn;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import toykafka.common.TopicPartition;

/**
 * One transactional id as the coordinator knows it, as Kafka's {@code TransactionMetadata} and as one
 * record of {@code __transaction_state} holds it: never changed in place, so what is written down is what
 * is in force.
 *
 * @param transactionalId the producer's {@code transactional.id}: what outlives the producer's instances
 * @param producerId      the id its batches carry
 * @param epoch           the epoch of its current instance: an older one is fenced
 * @param timeoutMs       its {@code transaction.timeout.ms}: an open transaction older than this is aborted
 * @param state           where its transaction is
 * @param partitions      the partitions of its open (or deciding) transaction, in order
 * @param startMs         when the open (or last) transaction began, -1 when none has since this instance began
 * @param updatedMs       when the state last changed
 * @param version         the transaction protocol its producer spoke when the state last changed
 * @param previousProducerId the producer id before the last change, -1 for none: a producer that missed the
 *                        answer which moved it to a new id still ends its transaction by the old one
 * @param nextProducerId  the id the producer moves to when its deciding transaction completes, -1 for none: an
 *                        end under transaction version 2 that would take the epoch past its last value
 */
public record Transaction(String transactionalId, long producerId, short epoch, int timeoutMs, TransactionState state,
                          SortedSet<TopicPartition> partitions, long startMs, long updatedMs,
                          TransactionVersion version, long previousProducerId, long nextProducerId) {

    public Transaction {
        partitions = new TreeSet<>(partitions);
    }

    /** A new transactional id's first instance, or one read back from a store that keeps no more. */
    public Transaction(String transactionalId, long producerId, short epoch, int timeoutMs, TransactionState state,
                       SortedSet<TopicPartition> partitions, long startMs, long updatedMs) {
        this(transactionalId, producerId, epoch, timeoutMs, state, partitions, startMs, updatedMs,
                TransactionVersion.TV_0, -1, -1);
    }

    Transaction withPartitions(Set<TopicPartition> added, long now, TransactionVersion by) {
        SortedSet<TopicPartition> all = new TreeSet<>(partitions);
        all.addAll(added);
        return new Transaction(transactionalId, producerId, epoch, timeoutMs, TransactionState.ONGOING, all,
                state == TransactionState.ONGOING ? startMs : now, now, by, producerId, -1);
    }

    /** A new instance of the producer: this epoch (and id), no partitions, nothing open. */
    Transaction forInstance(long id, short newEpoch, int newTimeoutMs, long now) {
        return new Transaction(transactionalId, id, newEpoch, newTimeoutMs, TransactionState.EMPTY, new TreeSet<>(),
                -1, now, version, producerId, -1);
    }

    /** The same transaction under a newer epoch, which its markers will carry to fence the older instance. */
    Transaction fencedTo(short newEpoch, TransactionState next, long now) {
        return new Transaction(transactionalId, producerId, newEpoch, timeoutMs, next, partitions, startMs, now,
                version, producerId, -1);
    }

    /**
     * The decision of a transaction version 2 end: the next epoch, which its markers carry, and the id to move to
     * once they are written if this epoch was the id's last. An abort with no partition (the producer cannot know
     * whether its batches reached a leader) starts and ends now.
     */
    Transaction decidedWithNextEpoch(TransactionState next, long newProducerIdOrNone, boolean noPartitions, long now) {
        short bumped = epoch == Short.MAX_VALUE ? epoch : (short) (epoch + 1);
        return new Transaction(transactionalId, producerId, bumped, timeoutMs, next, partitions,
                noPartitions ? now : startMs, now, TransactionVersion.TV_2, producerId, newProducerIdOrNone);
    }

    /**
     * After its markers: done, with no partitions, and under its next producer id at epoch 0 if it had one. The
     * start time stays, as Kafka's does, so describing the transaction still tells when it began.
     */
    Transaction completed(long now) {
        TransactionState done = state == TransactionState.PREPARE_COMMIT ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT;
        boolean rotates = version.bumpsEpochAtEveryEnd() && nextProducerId >= 0;
        return new Transaction(transactionalId, rotates ? nextProducerId : producerId, rotates ? 0 : epoch, timeoutMs,
                done, new TreeSet<>(), startMs, now, version, producerId, -1);
    }

    @Override
    public String toString() {
        return transactionalId + " (producer " + producerId + ", epoch " + epoch + ", " + state.kafkaName()
                + (partitions.isEmpty() ? "" : ", " + partitions) + ")";
    }
}
