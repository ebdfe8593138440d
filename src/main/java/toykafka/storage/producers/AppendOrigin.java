package toykafka.storage.producers;

/**
 * Who wrote a producer's batch, which decides what its producer state checks: Kafka's {@code AppendOrigin}.
 */
public enum AppendOrigin {
    /** The producer itself: its epoch and sequences are checked, and a retry is known by its sequences. */
    CLIENT,
    /**
     * The broker, for the producer: a transaction marker, or the offsets a transaction commits. Only the epoch is
     * checked; such a batch carries no sequence.
     */
    COORDINATOR
}
