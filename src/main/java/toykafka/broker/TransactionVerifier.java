package toykafka.broker;

import toykafka.common.TopicPartition;
import toykafka.storage.producers.ProducerStateException;

/**
 * Whether a transactional batch may be written: its producer's current instance has a transaction open that
 * includes the partition. Kafka's leaders ask the transaction coordinator the same since KIP-890
 * ({@code transaction.partition.verification.enable}), so a late batch of a finished transaction cannot open
 * a new one that nobody will ever end.
 */
@FunctionalInterface
public interface TransactionVerifier {

    /** Refuses every transactional batch: a broker without a transaction coordinator. */
    TransactionVerifier NONE = (partition, producerId, producerEpoch) -> {
        throw ProducerStateException.transactional(partition + " refuses a transactional batch from producer "
                + producerId + ": this broker runs no transactions (it has no transaction coordinator to commit or"
                + " abort them); produce without transactional.id, idempotence works");
    };

    /** Returns if the batch may be written; throws the refusal (an {@code ApiException}) if not. */
    void verify(TopicPartition partition, long producerId, short producerEpoch);
}
