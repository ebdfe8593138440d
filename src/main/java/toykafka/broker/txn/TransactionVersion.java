package toykafka.broker.txn;

// tag::versions[]
/**
 * Which transaction protocol a producer speaks, as the coordinator records it for each transaction: Kafka's
 * {@code TransactionVersion} levels as a client uses them. {@code TV_0} is the classic protocol (what Kafka 3
 * clients and every client of a cluster without {@code transaction.version} 2 speak): the producer adds each
 * partition with AddPartitionsToTxn, and one epoch lasts the producer's whole life. {@code TV_2} is KIP-890's
 * second part, what Kafka 4 clients speak once the cluster finalizes {@code transaction.version=2}: a partition
 * joins the transaction when its first batch reaches the partition's leader, and every commit or abort moves
 * the producer to the next epoch, so a batch left over from an ended transaction is fenced.
 */
public enum TransactionVersion {
    TV_0((short) 0),
    TV_2((short) 2);
    // end::versions[]

    private final short level;

    TransactionVersion(short level) {
        this.level = level;
    }

    /** The level Kafka writes for it in a {@code __transaction_state} record (its ClientTransactionVersion). */
    public short level() {
        return level;
    }

    /** Whether each end of a transaction moves the producer to its next epoch. */
    public boolean bumpsEpochAtEveryEnd() {
        return this == TV_2;
    }

    /** The version of a level read from {@code __transaction_state} or a request; 1 behaves as 0, as in Kafka. */
    public static TransactionVersion ofLevel(short level) {
        return level >= 2 ? TV_2 : TV_0;
    }
}
