package toykafka.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.txn.TransactionException;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

// tag::add-partitions[]
/**
 * AddPartitionsToTxn (key 24), versions 0–3: a transactional producer names the partitions it is about to
 * write to, before it writes, so that its transaction's end reaches each of them with a marker; the first
 * one opens the transaction. Kafka's {@code TransactionCoordinator.handleAddPartitionsToTransaction}.
 *
 * <p>Each partition is answered, but the request succeeds or fails whole: a partition the broker does not have
 * is UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED; a fenced producer is PRODUCER_FENCED
 * from v2 (INVALID_PRODUCER_EPOCH before), as Kafka answers. Versions 4 and 5, which brokers send each other to
 * verify a batch (several transactions in one request), are not served. Throttle time is always 0.
 */
final class Api24AddPartitionsToTxn extends BrokerApi {
    // end::add-partitions[]

    Api24AddPartitionsToTxn(Broker broker) {
        super(broker, 24, "AddPartitionsToTxn", 0, 3, 3);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        TransactionalProducerFields producer = TransactionalProducerFields.read(in);
        List<TopicPartitionNumbers> topics = in.array("topics",
                topic -> TopicPartitionNumbers.read(topic, "AddPartitionsToTxnTopic"));
        in.taggedFields("AddPartitionsToTxnRequest");
        List<TopicPartition> partitions = TopicPartitionNumbers.named(topics);
        boolean negative = topics.stream().anyMatch(topic -> topic.partitions().stream().anyMatch(index -> index < 0));
        request.asked(producer + " adds " + partitions + (negative ? " and a negative partition number" : ""));

        Errors whole = Errors.NONE;
        Set<TopicPartition> unknown = null;
        if (negative) { // no partition has such a number: none of the others is added, as with an unknown one
            unknown = Set.of();
            request.answered(Errors.UNKNOWN_TOPIC_OR_PARTITION + ": partition numbers start at 0");
        } else {
            try {
                broker.transactionCoordinator().addPartitions(producer.transactionalId(), producer.producerId(),
                        producer.epoch(), partitions);
                request.answered("added");
            } catch (TransactionException.UnknownPartitions e) {
                unknown = e.unknown();
                request.answered(e.error() + ": " + e.getMessage());
            } catch (ApiException e) {
                whole = TransactionalProducerFields.refused(request, e, 2);
            }
        }
        Errors all = whole;
        Set<TopicPartition> missing = unknown;
        ProtocolWriter out = responseWithThrottleTime(request);
        out.topics(topics, TopicPartitionNumbers::topic, TopicPartitionNumbers::partitions,
                (partitionOut, topic, index) -> {
                    Errors error = missing == null ? all
                            : index < 0 || missing.contains(new TopicPartition(topic.topic(), index))
                            ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.OPERATION_NOT_ATTEMPTED;
                    partitionOut.int32(index).int16(error.code());
                });
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
