package toykafka.kafka;

import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * The three fields AddPartitionsToTxn, AddOffsetsToTxn and EndTxn open with (a transactional id, and the producer
 * id and epoch of the instance asking), and the code a refusal goes out under in the version asked.
 */
record TransactionalProducerFields(String transactionalId, long producerId, short epoch) {

    static TransactionalProducerFields read(ProtocolReader in, boolean flexible) {
        return new TransactionalProducerFields(in.string("transactional_id", flexible), in.int64("producer_id"),
                in.int16("producer_epoch"));
    }

    /**
     * The code for a refusal in this version: PRODUCER_FENCED (KIP-588) goes out as INVALID_PRODUCER_EPOCH to the
     * versions before {@code fencedFrom}, whose clients do not know it, as Kafka answers them.
     */
    static Errors code(ApiException refusal, short version, int fencedFrom) {
        return version < fencedFrom && refusal.error() == Errors.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH
                : refusal.error();
    }

    @Override
    public String toString() {
        return "transactional id " + transactionalId + " (producer " + producerId + " epoch " + epoch + ")";
    }
}
