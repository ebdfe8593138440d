package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.txn.Transaction;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * DescribeTransactions (key 65), version 0: {@code Admin.describeTransactions}, what {@code kafka-transactions.sh
 * describe} asks the transaction's coordinator. Each transactional id's state, timeout, start time, producer id
 * and epoch, and the partitions of its open transaction; an id the coordinator does not know is
 * TRANSACTIONAL_ID_NOT_FOUND, as in Kafka. Flexible.
 * With an authorizer, an id needs DESCRIBE (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED), and only the topics
 * the principal may DESCRIBE are listed, as Kafka answers.
 */
final class Api65DescribeTransactions extends BrokerApi {

    private final AuthHelper auth;

    Api65DescribeTransactions(Broker broker, AuthHelper auth) {
        super(broker, 65, "DescribeTransactions", 0, 0, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<String> ids = in.array("transactional_ids", id -> id.string("transactional_id"));
        in.taggedFields("DescribeTransactionsRequest");
        request.asked("transactional ids " + ids);
        List<Transaction> all = broker.transactionCoordinator().transactions();
        List<String> answered = new ArrayList<>();
        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(ids, (stateOut, id) -> {
            if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id)) {
                answered.add(id + " " + Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
                stateOut.int16(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()).string(id).string("").int32(0)
                        .int64(0).int64(0).int16(0).arrayLength(0).taggedFields();
                return;
            }
            Optional<Transaction> found = all.stream().filter(t -> t.transactionalId().equals(id)).findFirst();
            if (found.isEmpty()) {
                answered.add(id + " " + Errors.TRANSACTIONAL_ID_NOT_FOUND);
                stateOut.int16(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()).string(id).string("").int32(-1)
                        .int64(-1).int64(-1).int16(-1).arrayLength(0).taggedFields();
                return;
            }
            Transaction transaction = found.get();
            answered.add(transaction.toString());
            Map<String, List<Integer>> byTopic = new TreeMap<>();
            for (TopicPartition partition : transaction.partitions()) {
                if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, partition.topic())) {
                    continue; // only the topics the principal may describe, as Kafka answers
                }
                byTopic.computeIfAbsent(partition.topic(), topic -> new ArrayList<>()).add(partition.partition());
            }
            stateOut.int16(Errors.NONE.code()).string(id).string(transaction.state().kafkaName())
                    .int32(transaction.timeoutMs()).int64(transaction.startMs()).int64(transaction.producerId())
                    .int16(transaction.epoch());
            stateOut.array(new ArrayList<>(byTopic.entrySet()), (topicOut, topic) -> {
                topicOut.string(topic.getKey());
                topicOut.array(topic.getValue(), ProtocolWriter::int32);
                topicOut.taggedFields();
            });
            stateOut.taggedFields();
        });
        request.answered(String.join("; ", answered));
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
