package toykafka.kafka;

import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * The fields the transaction APIs read alike to say who asks (a transactional id, and the producer id and epoch of
 * the instance asking), and how they answer a refusal of the transaction coordinator. AddPartitionsToTxn,
 * AddOffsetsToTxn and EndTxn open with the three fields, in this order; TxnOffsetCommit has the group id between
 * the id and the rest, and InitProducerId the timeout, so they read the rest after it.
 *
 * @param producerId -1, with epoch -1, from a producer that has none yet: InitProducerId before v3, or a first call
 */
record TransactionalProducerFields(String transactionalId, long producerId, short epoch) {

    /** {@code transactional_id}, {@code producer_id}, then {@code producer_epoch}. */
    static TransactionalProducerFields read(ProtocolReader in) {
        return new TransactionalProducerFields(in.string("transactional_id"), in.int64("producer_id"),
                in.int16("producer_epoch"));
    }

    /**
     * {@code producer_id} and {@code producer_epoch} of the producer with {@code transactionalId}, read already, in
     * version {@code since} and later; -1 and -1 before, where the fields are absent.
     */
    static TransactionalProducerFields read(String transactionalId, ProtocolReader in, short version, int since) {
        if (version < since) {
            return new TransactionalProducerFields(transactionalId, -1, (short) -1);
        }
        return new TransactionalProducerFields(transactionalId, in.int64("producer_id"), in.int16("producer_epoch"));
    }

    /**
     * Runs what the coordinator is asked, and says {@code done} once it goes through, or the refusal: NONE, or the
     * refusal's code in the version asked.
     */
    static Errors answer(Request request, int fencedFrom, String done, Runnable ask) {
        try {
            ask.run();
            request.answered(done);
            return Errors.NONE;
        } catch (ApiException e) {
            return refused(request, e, fencedFrom);
        }
    }

    /**
     * Says the coordinator's refusal, under the code it goes out as in the version asked: PRODUCER_FENCED (KIP-588)
     * goes out as INVALID_PRODUCER_EPOCH to the versions before {@code fencedFrom}, whose clients do not know it, as
     * Kafka answers them.
     */
    static Errors refused(Request request, ApiException refusal, int fencedFrom) {
        Errors error = request.version() < fencedFrom && refusal.error() == Errors.PRODUCER_FENCED
                ? Errors.INVALID_PRODUCER_EPOCH : refusal.error();
        request.answered(error + ": " + refusal.getMessage());
        return error;
    }

    @Override
    public String toString() {
        return "transactional id " + transactionalId + " (producer " + producerId + " epoch " + epoch + ")";
    }
}
