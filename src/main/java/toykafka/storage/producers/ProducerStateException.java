package toykafka.storage.producers;

import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * A batch an idempotent producer sent that its partition's producer state refuses, under Kafka's code:
 * a sequence out of order, an epoch that is fenced, a transaction the broker cannot run. Kafka has a class
 * per code ({@code OutOfOrderSequenceException}, {@code InvalidProducerEpochException},
 * {@code InvalidTxnStateException}); the data path answers them all alike, as an error code and a message
 * in the partition's answer, so no caller needs to tell them apart by class.
 */
public final class ProducerStateException extends ApiException {

    private ProducerStateException(Errors error, String message) {
        super(error, message);
    }

    static ProducerStateException outOfOrder(String message) {
        return new ProducerStateException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, message);
    }

    static ProducerStateException fencedEpoch(String message) {
        return new ProducerStateException(Errors.INVALID_PRODUCER_EPOCH, message);
    }

    public static ProducerStateException transactional(String message) {
        return new ProducerStateException(Errors.INVALID_TXN_STATE, message);
    }
}
