package toykafka.kafka;

import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.common.Errors;

// tag::end-txn[]
/**
 * EndTxn (key 26), versions 0–4: a transactional producer commits or aborts. Kafka's
 * {@code TransactionCoordinator.handleEndTransaction}: the decision is written to {@code __transaction_state},
 * then a marker to every partition of the transaction, then its completion; the answer comes once the markers
 * are written (Kafka answers after the decision, and writes them in the background). A retry of an end that
 * went through succeeds again; an end of a transaction that never began (no AddPartitionsToTxn) is
 * INVALID_TXN_STATE; a fenced producer is PRODUCER_FENCED from v2 (INVALID_PRODUCER_EPOCH before).
 * Version 5 (transaction version 2, where the end also bumps the epoch) is not served. Throttle time is
 * always 0.
 */
final class Api26EndTxn extends BrokerApi {
    // end::end-txn[]

    Api26EndTxn(Broker broker) {
        super(broker, 26, "EndTxn", 0, 4, 3);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        TransactionalProducerFields producer = TransactionalProducerFields.read(in);
        boolean commit = in.bool("committed");
        in.taggedFields("EndTxnRequest");
        request.asked((commit ? "commit " : "abort ") + producer);
        Errors error = TransactionalProducerFields.answer(request, 2, commit ? "committed" : "aborted",
                () -> broker.transactionCoordinator().endTransaction(producer.transactionalId(), producer.producerId(),
                        producer.epoch(), commit));
        return CompletableFuture.completedFuture(responseWithThrottleTime(request).int16(error.code())
                .taggedFields());
    }
}
