package toykafka.broker.txn;

import toykafka.common.EnumLookup;

// tag::states[]
/**
 * Where a transaction is, under Kafka's names and with the ids Kafka writes in {@code __transaction_state}.
 * A transaction goes Empty → Ongoing (its first partition added) → PrepareCommit or PrepareAbort (the
 * decision, written down before any marker) → CompleteCommit or CompleteAbort (every marker written), and
 * from there back to Ongoing with its next partition. PrepareEpochFence is an abort the coordinator starts
 * itself, for a producer that timed out or was replaced: the markers carry a newer epoch, which fences the
 * old instance. Dead is where Kafka's coordinator holds an expiring id while it writes the id's tombstone. Here
 * an expired id passes through no state at all: from Empty, CompleteCommit or CompleteAbort its tombstone is
 * written and it is forgotten at once, so no transaction here is ever Dead.
 */
public enum TransactionState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead"),
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");
    // end::states[]

    private final byte id;
    private final String kafkaName;

    TransactionState(int id, String kafkaName) {
        this.id = (byte) id;
        this.kafkaName = kafkaName;
    }

    /** The id Kafka writes for the state in a {@code __transaction_state} record. */
    public byte id() {
        return id;
    }

    /** The name Kafka's tools print for the state. */
    public String kafkaName() {
        return kafkaName;
    }

    /** Whether the transaction's outcome is decided but its markers may not all be written. */
    public boolean preparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT || this == PREPARE_EPOCH_FENCE;
    }

    /** Whether no transaction is under way: the producer may begin a new one, or be given a new epoch. */
    public boolean idle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    static TransactionState ofId(byte id) {
        return EnumLookup.byId(values(), TransactionState::id, id).orElseThrow(
                () -> new IllegalArgumentException("no transaction state has id " + id + "; Kafka's run from 0 to 7"));
    }
}
