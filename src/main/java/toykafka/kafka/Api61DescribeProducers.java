package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.storage.producers.ActiveProducer;

/**
 * DescribeProducers (key 61), version 0: {@code Admin.describeProducers}, what {@code kafka-transactions.sh
 * describe-producers} and {@code find-hanging} ask a partition's leader. Each partition's producers as its
 * producer state knows them: id, epoch, last sequence and timestamp, and the first offset of an open
 * transaction (-1 for none); the coordinator epoch is 0, this broker's only one. An unknown partition is
 * UNKNOWN_TOPIC_OR_PARTITION with a message. Flexible.
 * With an authorizer, a topic needs READ, else its partitions are TOPIC_AUTHORIZATION_FAILED, as in Kafka.
 */
final class Api61DescribeProducers extends BrokerApi {

    private final AuthHelper auth;

    Api61DescribeProducers(Broker broker, AuthHelper auth) {
        super(broker, 61, "DescribeProducers", 0, 0, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<TopicPartitionNumbers> topics = in.array("topics",
                topic -> TopicPartitionNumbers.read(topic, "TopicRequest"));
        in.taggedFields("DescribeProducersRequest");
        request.asked("the producers of " + topics);
        List<String> answered = new ArrayList<>();
        ProtocolWriter out = responseWithThrottleTime(request);
        out.topics(topics, TopicPartitionNumbers::topic, TopicPartitionNumbers::partitions,
                (partitionOut, topic, index) -> {
                    List<ActiveProducer> producers = List.of();
                    Errors error = Errors.NONE;
                    String message = null;
                    if (!auth.authorize(request, AclOperation.READ, ResourceType.TOPIC, topic.topic())) {
                        error = Errors.TOPIC_AUTHORIZATION_FAILED;
                        message = "Topic authorization failed.";
                    } else if (index < 0) {
                        error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                        message = "partition numbers start at 0; " + index + " is not one";
                    } else {
                        try {
                            producers = broker.partitions().activeProducers(new TopicPartition(topic.topic(), index));
                        } catch (ApiException e) {
                            error = e.error();
                            message = e.getMessage();
                        }
                    }
                    answered.add(topic.topic() + "-" + index + " " + (error == Errors.NONE ? producers.size()
                            + " producer(s)" : error));
                    partitionOut.int32(index).int16(error.code()).nullableString(message);
                    partitionOut.array(producers, (producerOut, producer) -> producerOut.int64(producer.producerId())
                            .int32(producer.epoch()).int32(producer.lastSequence()).int64(producer.lastTimestamp())
                            .int32(0).int64(producer.transactionStartOffset()).taggedFields());
                });
        request.answered(String.join(", ", answered));
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
