package toykafka.kafka;

import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.txn.ProducerIdManager.ProducerIdAndEpoch;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.broker.txn.TransactionCoordinator;
import toykafka.common.ApiException;
import toykafka.common.Errors;

// tag::init-producer-id[]
/**
 * InitProducerId (key 22), versions 0–5: a producer's first request, which gives it a producer id and an
 * epoch. Without a transactional id (an idempotent producer) every call gives a new id at epoch 0, never one
 * handed out before, even across restarts; the producer then numbers each partition's batches 0, 1, 2 … and
 * the broker keeps the last five batches' numbers per producer and partition, so a retried batch is answered
 * with its first offset instead of being written twice.
 *
 * <p>With a transactional id the transaction coordinator answers: the id keeps its producer id, and each new
 * instance gets the next epoch, which fences the older ones; a transaction an old instance left open is
 * aborted first. transaction_timeout_ms must lie within transaction.max.timeout.ms (INVALID_TRANSACTION_TIMEOUT).
 * From v3 the producer may send the id and epoch it has, to get the next epoch after an abortable error
 * (KIP-360): one that is not the id's current instance is fenced, PRODUCER_FENCED from v4 and
 * INVALID_PRODUCER_EPOCH before, as Kafka answers. Version 5 is version 4 from a client that knows
 * TRANSACTION_ABORTABLE (KIP-890). Version 6, two-phase commit with an outside coordinator (KIP-939), is not
 * served: Kafka 4.4 marks it unstable and does not advertise it either. With an
 * authorizer, a transactional id needs WRITE on it (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), and an idempotent
 * producer IDEMPOTENT_WRITE on the cluster or WRITE on some topic (CLUSTER_AUTHORIZATION_FAILED), as Kafka asks.
 */
final class Api22InitProducerId extends BrokerApi {

    private final AuthHelper auth;

    Api22InitProducerId(Broker broker, AuthHelper auth) {
        super(broker, 22, "InitProducerId", 0, 5, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String transactionalId = in.nullableString("transactional_id");
        int timeoutMs = in.int32("transaction_timeout_ms");
        TransactionalProducerFields producer = TransactionalProducerFields.read(transactionalId, in, version, 3);
        in.taggedFields("InitProducerIdRequest");
        ProtocolWriter out = responseWithThrottleTime(request);
        Errors refusal = unauthorized(request, transactionalId);
        if (refusal != null) {
            request.asked(transactionalId == null ? "an idempotent producer's id"
                    : "transactional id " + transactionalId);
            request.answered(refusal.toString());
            return CompletableFuture.completedFuture(out.int16(refusal.code()).int64(-1).int16(-1).taggedFields());
        }
        if (transactionalId == null) {
            ProducerIdAndEpoch id = broker.producerIds().initProducerId();
            request.asked("an idempotent producer's id");
            request.answered("producer id " + id.producerId() + ", epoch " + id.epoch());
            out.int16(Errors.NONE.code()).int64(id.producerId()).int16(id.epoch());
        } else {
            request.asked("transactional id " + transactionalId + ", timeout " + timeoutMs + " ms"
                    + (producer.producerId() >= 0 ? ", now producer " + producer.producerId() + " epoch "
                    + producer.epoch() : ""));
            try {
                TransactionCoordinator.ProducerIdAndEpoch id = broker.transactionCoordinator()
                        .initProducerId(transactionalId, timeoutMs, producer.producerId(), producer.epoch());
                request.answered("producer id " + id.producerId() + ", epoch " + id.epoch());
                out.int16(Errors.NONE.code()).int64(id.producerId()).int16(id.epoch());
            } catch (ApiException e) {
                out.int16(TransactionalProducerFields.refused(request, e, 4).code()).int64(-1).int16(-1);
            }
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /**
     * What Kafka's {@code handleInitProducerIdRequest} asks first: WRITE on the transactional id, else
     * TRANSACTIONAL_ID_AUTHORIZATION_FAILED; an idempotent producer, IDEMPOTENT_WRITE on the cluster or WRITE on some
     * topic, else CLUSTER_AUTHORIZATION_FAILED. Null when allowed.
     */
    private Errors unauthorized(Request request, String transactionalId) {
        if (transactionalId != null) {
            return auth.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId) ? null
                    : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return auth.authorize(request, AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER,
                ResourcePattern.CLUSTER_NAME) || auth.authorizeByResourceType(request, AclOperation.WRITE,
                ResourceType.TOPIC) ? null : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }
}
// end::init-producer-id[]
