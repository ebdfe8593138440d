package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * AddOffsetsToTxn (key 25), versions 0–4: {@code sendOffsetsToTransaction}'s first step. The transaction takes in
 * the group's partition of {@code __consumer_offsets} (here its only one), so that its end writes a marker there
 * too and the offsets committed inside it (TxnOffsetCommit) come into force with it. Errors as AddPartitionsToTxn:
 * a fenced producer is PRODUCER_FENCED from v2 and INVALID_PRODUCER_EPOCH before. Version 4 is version 3 from a
 * client that knows TRANSACTION_ABORTABLE; a producer of transaction version 2 sends none, as its TxnOffsetCommit
 * adds the partition itself. With an authorizer the transactional id needs WRITE
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), then the group READ (GROUP_AUTHORIZATION_FAILED), as Kafka asks.
 */
final class Api25AddOffsetsToTxn extends BrokerApi {

    private final AuthHelper auth;

    Api25AddOffsetsToTxn(Broker broker, AuthHelper auth) {
        super(broker, 25, "AddOffsetsToTxn", 0, 4, 3);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        TransactionalProducerFields producer = TransactionalProducerFields.read(in);
        String groupId = in.string("group_id");
        in.taggedFields("AddOffsetsToTxnRequest");
        request.asked(producer + " adds the offsets of group " + groupId);
        Errors error = !auth.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID,
                producer.transactionalId()) ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED // Kafka's checks, in order
                : !auth.authorize(request, AclOperation.READ, ResourceType.GROUP, groupId)
                ? Errors.GROUP_AUTHORIZATION_FAILED
                : TransactionalProducerFields.answer(request, 2, "added " + Broker.OFFSETS_TOPIC + "-0",
                () -> broker.transactionCoordinator().addPartitions(producer.transactionalId(), producer.producerId(),
                        producer.epoch(), List.of(new TopicPartition(Broker.OFFSETS_TOPIC, 0))));
        return CompletableFuture.completedFuture(responseWithThrottleTime(request).int16(error.code())
                .taggedFields());
    }
}
