package toykafka.kafka;

import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.txn.TransactionCoordinator.ProducerIdAndEpoch;
import toykafka.broker.txn.TransactionVersion;
import toykafka.common.ApiException;
import toykafka.common.Errors;

// tag::end-txn[]
/**
 * EndTxn (key 26), versions 0–5: a transactional producer commits or aborts. Kafka's
 * {@code TransactionCoordinator.handleEndTransaction}: the decision is written to {@code __transaction_state},
 * then a marker to every partition of the transaction, then its completion; the answer comes once the markers
 * are written (Kafka answers after the decision, and writes them in the background). A retry of an end that
 * went through succeeds again; an end of a transaction that never began (no AddPartitionsToTxn) is
 * INVALID_TXN_STATE; a fenced producer is PRODUCER_FENCED from v2 (INVALID_PRODUCER_EPOCH before).
 *
 * <p>Version 5 is transaction version 2's end (KIP-890): it moves the producer to its next epoch, or to a new
 * producer id at epoch 0 once the epoch is at its last value, and the answer carries the id and epoch to go on
 * with (-1 and -1 with an error). A v5 abort with nothing written is taken, and a retry is told by the epoch
 * before the bump. With an authorizer the transactional id needs WRITE, else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
final class Api26EndTxn extends BrokerApi {
    // end::end-txn[]

    /** The first version whose producer speaks transaction version 2. */
    private static final short FIRST_EPOCH_BUMPING_VERSION = 5;
    private static final ProducerIdAndEpoch NONE = new ProducerIdAndEpoch(-1, (short) -1);

    private final AuthHelper auth;

    Api26EndTxn(Broker broker, AuthHelper auth) {
        super(broker, 26, "EndTxn", 0, 5, 3);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        TransactionalProducerFields producer = TransactionalProducerFields.read(in);
        boolean commit = in.bool("committed");
        in.taggedFields("EndTxnRequest");
        request.asked((commit ? "commit " : "abort ") + producer);
        TransactionVersion by = request.version() >= FIRST_EPOCH_BUMPING_VERSION ? TransactionVersion.TV_2
                : TransactionVersion.TV_0;
        ProducerIdAndEpoch next = NONE;
        Errors error;
        if (!auth.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, producer.transactionalId())) {
            error = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED; // Kafka asks before the coordinator hears of it
            request.answered(error.toString());
        } else {
            try {
                next = broker.transactionCoordinator().endTransaction(producer.transactionalId(),
                        producer.producerId(), producer.epoch(), commit, by);
                request.answered((commit ? "committed" : "aborted") + (by.bumpsEpochAtEveryEnd() ? ", now producer "
                        + next.producerId() + " epoch " + next.epoch() : ""));
                error = Errors.NONE;
            } catch (ApiException e) {
                error = TransactionalProducerFields.refused(request, e, 2);
                next = NONE;
            }
        }
        ProtocolWriter out = responseWithThrottleTime(request).int16(error.code());
        if (request.version() >= FIRST_EPOCH_BUMPING_VERSION) {
            out.int64(next.producerId()).int16(next.epoch());
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
