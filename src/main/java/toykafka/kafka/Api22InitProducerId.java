package toykafka.kafka;

import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.ProducerIdManager.ProducerIdAndEpoch;
import toykafka.common.Errors;

// tag::init-producer-id[]
/**
 * InitProducerId (key 22), versions 0–1: an idempotent producer's first request, which gives it a producer
 * id and epoch 0. The producer then numbers each partition's batches 0, 1, 2 … and the broker keeps the
 * last five batches' numbers per producer and partition, so a retried batch is answered with its first
 * offset instead of being written twice. Every call gives a new id, never one handed out before, even
 * across restarts.
 *
 * <p>A transactional id is refused with INVALID_REQUEST: this broker does no transactions (and serves no
 * FindCoordinator for them). The transaction timeout is ignored with it. Versions 2+ (flexible) and 3+
 * (a producer asking to bump its own epoch) are not served. Throttle time is always 0.
 */
final class Api22InitProducerId extends Api {

    private final Broker broker;

    Api22InitProducerId(Broker broker) {
        super(22, "InitProducerId", 0, 1, 2);
        this.broker = broker;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        String transactionalId = in.nullableString("transactional_id", false);
        in.int32("transaction_timeout_ms");
        ProtocolWriter out = new ProtocolWriter().int32(0); // throttle time
        if (transactionalId != null) {
            request.asked("transactional id " + transactionalId);
            request.answered(Errors.INVALID_REQUEST + ": this broker does no transactions");
            out.int16(Errors.INVALID_REQUEST.code()).int64(-1).int16(-1);
        } else {
            ProducerIdAndEpoch id = broker.producerIds().initProducerId();
            request.asked("an idempotent producer's id");
            request.answered("producer id " + id.producerId() + ", epoch " + id.epoch());
            out.int16(Errors.NONE.code()).int64(id.producerId()).int16(id.epoch());
        }
        return CompletableFuture.completedFuture(out);
    }
}
// end::init-producer-id[]
