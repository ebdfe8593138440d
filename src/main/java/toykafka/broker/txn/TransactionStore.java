package toykafka.broker.txn;

import java.util.Collection;

/**
 * Where the coordinator writes each change of a transaction down before it acts on it, and reads them all back
 * at start: {@code __transaction_state} on a broker, a map in a test. A change is written before its markers, so
 * a coordinator that crashes finds every decision it took and finishes it.
 */
public interface TransactionStore {

    /** Writes the transaction's new state, durably, before this returns. */
    void write(Transaction transaction);

    /** Forgets a transactional id for good, durably: a tombstone for it, which replay honours. */
    void remove(String transactionalId);

    /** Every transactional id's latest state, as written. */
    Collection<Transaction> replay();
}
