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
 * @param startMs         when the open transaction began, -1 when none is open
 * @param updatedMs       when the state last changed
 */
public record Transaction(String transactionalId, long producerId, short epoch, int timeoutMs, TransactionState state,
                          SortedSet<TopicPartition> partitions, long startMs, long updatedMs) {

    public Transaction {
        partitions = new TreeSet<>(partitions);
    }

    Transaction withPartitions(Set<TopicPartition> added, long now) {
        SortedSet<TopicPartition> all = new TreeSet<>(partitions);
        all.addAll(added);
        return new Transaction(transactionalId, producerId, epoch, timeoutMs, TransactionState.ONGOING, all,
                state == TransactionState.ONGOING ? startMs : now, now);
    }

    /** A new instance of the producer: this epoch (and id), no partitions, nothing open. */
    Transaction forInstance(long id, short newEpoch, int newTimeoutMs, long now) {
        return new Transaction(transactionalId, id, newEpoch, newTimeoutMs, TransactionState.EMPTY, new TreeSet<>(),
                -1, now);
    }

    /** The same transaction under a newer epoch, which its markers will carry to fence the older instance. */
    Transaction fencedTo(short newEpoch, TransactionState next, long now) {
        return new Transaction(transactionalId, producerId, newEpoch, timeoutMs, next, partitions, startMs, now);
    }

    /** After its markers: done, with no partitions. */
    Transaction completed(long now) {
        TransactionState done = state == TransactionState.PREPARE_COMMIT ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT;
        return new Transaction(transactionalId, producerId, epoch, timeoutMs, done, new TreeSet<>(), -1, now);
    }

    @Override
    public String toString() {
        return transactionalId + " (producer " + producerId + ", epoch " + epoch + ", " + state.kafkaName()
                + (partitions.isEmpty() ? "" : ", " + partitions) + ")";
    }
}
