package toykafka.broker.coordinators;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import toykafka.broker.txn.Transaction;
import toykafka.broker.txn.TransactionLogRecords;
import toykafka.broker.txn.TransactionStore;
import toykafka.lesson04.TopicRegistry;

/**
 * The transaction coordinator's {@link TransactionStore}: {@code __transaction_state}, a compacted topic of the
 * broker's own, each change a record keyed by transactional id, fsynced before the coordinator acts on it. As in
 * Kafka, the topic is made when the first transactional producer starts, not before.
 */
public final class TransactionStateTopic implements TransactionStore {

    private final CoordinatorStateTopic topic;

    public TransactionStateTopic(TopicRegistry topics, PartitionWriter writer, Clock clock, int segmentBytes) {
        this.topic = new CoordinatorStateTopic(InternalTopics.TRANSACTIONS, "transaction", topics, writer, clock,
                segmentBytes);
    }

    @Override
    public void write(Transaction transaction) {
        topic.append(TransactionLogRecords.key(transaction.transactionalId()), TransactionLogRecords.value(transaction));
    }

    @Override
    public void remove(String transactionalId) {
        topic.append(TransactionLogRecords.key(transactionalId), null);
    }

    // tag::replay[]
    /** Each transactional id's last record, read from the topic's start: the state the coordinator left. */
    @Override
    public Collection<Transaction> replay() {
        Map<String, Transaction> latest = new TreeMap<>();
        topic.replay(record -> {
            if (record.value() == null) { // a tombstone: the id expired
                latest.remove(TransactionLogRecords.transactionalId(record.key()));
            } else {
                Transaction transaction = TransactionLogRecords.decode(record.key(), record.value());
                latest.put(transaction.transactionalId(), transaction);
            }
        });
        return latest.values();
    }
    // end::replay[]
}
