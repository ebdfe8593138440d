package toykafka.broker.coordinators;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import toykafka.broker.txn.Transaction;
import toykafka.broker.txn.TransactionLogRecords;
import toykafka.broker.txn.TransactionStore;
import toykafka.common.CorruptRecordException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;

/**
 * The transaction coordinator's {@link TransactionStore}: {@code __transaction_state}, a compacted topic of the
 * broker's own, each change a record keyed by transactional id, fsynced before the coordinator acts on it. As in
 * Kafka, the topic is made when the first transactional producer starts, not before.
 */
public final class TransactionStateTopic implements TransactionStore {

    static final String TOPIC = InternalTopics.TRANSACTIONS;

    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final TopicRegistry topics;
    private final PartitionWriter writer;
    private final Clock clock;
    private final int segmentBytes;

    public TransactionStateTopic(TopicRegistry topics, PartitionWriter writer, Clock clock, int segmentBytes) {
        this.topics = topics;
        this.writer = writer;
        this.clock = clock;
        this.segmentBytes = segmentBytes;
    }

    @Override
    public void write(Transaction transaction) {
        ensureTopic();
        writer.append(PARTITION, List.of(new Record(TransactionLogRecords.key(transaction.transactionalId()),
                TransactionLogRecords.value(transaction), Instant.ofEpochMilli(clock.millis()), List.of())));
    }

    @Override
    public void remove(String transactionalId) {
        ensureTopic();
        writer.append(PARTITION, List.of(new Record(TransactionLogRecords.key(transactionalId), null,
                Instant.ofEpochMilli(clock.millis()), List.of())));
    }

    // tag::replay[]
    /** Each transactional id's last record, read from the topic's start: the state the coordinator left. */
    @Override
    public Collection<Transaction> replay() {
        Map<String, Transaction> latest = new TreeMap<>();
        if (!topics.listTopics().contains(TOPIC)) {
            return List.of();
        }
        RecordLog log = topics.log(TOPIC, 0);
        long offset = log.earliest();
        while (offset < log.endOffset()) {
            for (OffsetRecord read : log.readBatchWithOffsets(offset, 1000)) {
                Record record = read.record();
                try {
                    if (record.value() == null) { // a tombstone: the id expired
                        latest.remove(TransactionLogRecords.transactionalId(record.key()));
                    } else {
                        Transaction transaction = TransactionLogRecords.decode(record.key(), record.value());
                        latest.put(transaction.transactionalId(), transaction);
                    }
                } catch (CorruptRecordException e) {
                    throw new CorruptRecordException("record " + read.offset() + " of " + TOPIC + " is not a"
                            + " transaction this broker wrote (" + e.getMessage() + ")");
                }
                offset = read.offset() + 1;
            }
        }
        return latest.values();
    }
    // end::replay[]

    private synchronized void ensureTopic() {
        InternalTopics.ensure(topics, TOPIC, TopicConfig.of(InternalTopics.coordinatorLog(segmentBytes)));
    }
}
