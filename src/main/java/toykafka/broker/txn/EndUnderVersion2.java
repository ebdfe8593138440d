package toykafka.broker.txn;

import toykafka.common.Errors;

// tag::end-v2[]
/**
 * What an EndTxn of transaction version 2 does to a transactional id, decided from its state alone, without I/O:
 * Kafka's rules in {@code TransactionCoordinator.endTransaction} for a client that bumps its epoch at every end.
 *
 * <p>Under version 2 the same epoch in two EndTxn calls means two transactions, not a retry: a retry is told by
 * an epoch one below the id's (the end went through and moved the id on), or by the last epoch of the id's
 * previous producer id while the id is at epoch 0 of a new one (the end went through and rotated the id). Any
 * other epoch is fenced. An abort is taken with nothing open: the producer cannot know whether its first batch
 * reached a leader, which is where a version 2 transaction begins.
 */
final class EndUnderVersion2 {

    /** What to do: refuse with {@code error}, answer at once with the id as it is, or decide the transaction. */
    record Decision(Errors error, String why, TransactionState prepare, boolean noPartitions) {

        static Decision refuse(Errors error, String why) {
            return new Decision(error, why, null, false);
        }

        static Decision alreadyDone() {
            return new Decision(Errors.NONE, "a retry of an end that went through", null, false);
        }

        static Decision decide(TransactionState prepare, boolean noPartitions) {
            return new Decision(Errors.NONE, null, prepare, noPartitions);
        }

        boolean decides() {
            return prepare != null;
        }
    }

    private EndUnderVersion2() {
    }

    static Decision decide(Transaction known, long producerId, short epoch, boolean commit) {
        boolean retryAfterRotation = known.previousProducerId() == producerId && epoch == Short.MAX_VALUE - 1
                && known.epoch() == 0;
        boolean retryAfterBump = known.epoch() == epoch + 1;
        if (known.producerId() != producerId && !retryAfterRotation) {
            return Decision.refuse(Errors.INVALID_PRODUCER_ID_MAPPING, "transactional id " + known.transactionalId()
                    + " is producer " + known.producerId() + ", not " + producerId);
        }
        TransactionState state = known.state();
        boolean sameEpoch = epoch == known.epoch();
        boolean validEpoch = state.preparing() ? retryAfterBump
                : state == TransactionState.COMPLETE_COMMIT || state == TransactionState.COMPLETE_ABORT
                ? retryAfterBump || retryAfterRotation || sameEpoch : sameEpoch;
        if (!validEpoch) {
            return Decision.refuse(Errors.PRODUCER_FENCED, "producer " + producerId + " epoch " + epoch + " is fenced:"
                    + " transactional id " + known.transactionalId() + " is at epoch " + known.epoch() + " ("
                    + state.kafkaName() + ")");
        }
        boolean retry = retryAfterBump || retryAfterRotation;
        String ending = commit ? "commit" : "abort";
        String invalid = "transaction " + known.transactionalId() + " cannot " + ending + ": it is "
                + state.kafkaName();
        if (state == TransactionState.ONGOING) {
            return Decision.decide(commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT, false);
        }
        if (state == TransactionState.COMPLETE_COMMIT) {
            if (commit) {
                return retry ? Decision.alreadyDone() : Decision.refuse(Errors.INVALID_TXN_STATE, invalid
                        + ", and nothing was written since; a transaction begins with its first batch");
            }
            return retry ? Decision.refuse(Errors.INVALID_TXN_STATE, invalid + "; it cannot be aborted now")
                    : Decision.decide(TransactionState.PREPARE_ABORT, true);
        }
        if (state == TransactionState.COMPLETE_ABORT) {
            if (!commit) {
                return retry ? Decision.alreadyDone() : Decision.decide(TransactionState.PREPARE_ABORT, true);
            }
            return Decision.refuse(Errors.INVALID_TXN_STATE, invalid + ", and nothing was written since");
        }
        if (state == TransactionState.PREPARE_COMMIT || state == TransactionState.PREPARE_ABORT) {
            boolean same = commit == (state == TransactionState.PREPARE_COMMIT);
            return same ? Decision.refuse(Errors.CONCURRENT_TRANSACTIONS, "transaction " + known.transactionalId()
                    + " is still writing its markers; try again") : Decision.refuse(Errors.INVALID_TXN_STATE, invalid);
        }
        if (state == TransactionState.EMPTY && !commit) {
            return Decision.decide(TransactionState.PREPARE_ABORT, true);
        }
        return Decision.refuse(Errors.INVALID_TXN_STATE, invalid + ", with nothing written since it began; a"
                + " transaction begins with its first batch");
    }
}
// end::end-v2[]
