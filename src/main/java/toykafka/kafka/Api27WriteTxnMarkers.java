package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.broker.txn.MarkerWriter;
import toykafka.broker.txn.TransactionVersion;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.storage.producers.ActiveProducer;
import toykafka.storage.producers.ProducerStateException;

/**
 * WriteTxnMarkers (key 27), versions 1–2: writes COMMIT or ABORT markers for a producer into the partitions
 * named. In Kafka the transaction coordinator sends it to each partition's leader; a client sends it only through
 * {@code Admin.abortTransaction} ({@code kafka-transactions.sh abort}), to end by hand a transaction its coordinator
 * no longer knows, a hanging one. Here the coordinator writes its own markers in process, so this is the operator's
 * door alone: each partition gets its marker through the same writer the coordinator uses (a marker on the offsets
 * topic also ends the producer's pending offsets there), and its own answer: UNKNOWN_TOPIC_OR_PARTITION, or
 * INVALID_PRODUCER_EPOCH for an epoch older than the producer's in that partition. v2 adds each marker's transaction
 * version (KIP-1228), which Kafka's log checks the marker's epoch by: from version 2 the coordinator bumps the epoch
 * as it ends a transaction, so the marker's must be newer than the producer's there, or the same one with no
 * transaction open (a retried marker); INVALID_PRODUCER_EPOCH otherwise, in Kafka's words. The Admin client's abort
 * leaves it at 0. That check, the partition's producer state's own, is made just before the write, which itself
 * refuses only an older epoch. Ignored: the coordinator epoch (this broker's coordinator epoch is always 0). Every
 * version is flexible. Version 0, removed in Kafka 4 and no longer in its ApiKeys' range, is not served.
 * With an authorizer, the sender needs ALTER or CLUSTER_ACTION on the cluster, else every partition is
 * CLUSTER_AUTHORIZATION_FAILED and no marker is written, as in Kafka.
 */
final class Api27WriteTxnMarkers extends BrokerApi {

    /** One marker asked for; {@code transactionVersion} is 0 below v2, as Kafka's default. */
    private record Marker(long producerId, short epoch, boolean commit, List<TopicPartitionNumbers> topics,
                          byte transactionVersion) {
    }

    private record Written(int partition, Errors error) {
    }

    private record Answered(long producerId, List<TopicPartitions<Written>> topics) {
    }

    private final AuthHelper auth;

    Api27WriteTxnMarkers(Broker broker, AuthHelper auth) {
        super(broker, 27, "WriteTxnMarkers", 1, 2, 1);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<Marker> wanted = in.array("markers", marker -> {
            long producerId = marker.int64("producer_id");
            short epoch = marker.int16("producer_epoch");
            boolean commit = marker.bool("transaction_result");
            List<TopicPartitionNumbers> topics = marker.array("topics",
                    topic -> TopicPartitionNumbers.read(topic, "WritableTxnMarkerTopic"));
            marker.int32("coordinator_epoch");
            byte transactionVersion = request.version() >= 2 ? marker.int8("transaction_version") : 0;
            marker.taggedFields("WritableTxnMarker");
            return new Marker(producerId, epoch, commit, topics, transactionVersion);
        });
        in.taggedFields("WriteTxnMarkersRequest");
        request.asked(() -> Summaries.list(wanted.stream().map(marker -> (marker.commit() ? "COMMIT" : "ABORT")
                + " for producer " + marker.producerId() + " epoch " + marker.epoch()
                + (marker.transactionVersion() == 0 ? "" : " (TV" + marker.transactionVersion() + ")") + " in " + Summaries.list(
                marker.topics().stream().flatMap(t -> t.partitions().stream().map(p -> t.topic() + "-" + p)).toList()))
                .toList()));

        // a broker's request: ALTER or CLUSTER_ACTION on the cluster, else every partition is refused, as in Kafka
        boolean allowed = auth.authorize(request, AclOperation.ALTER, ResourceType.CLUSTER,
                ResourcePattern.CLUSTER_NAME) || auth.authorize(request, AclOperation.CLUSTER_ACTION,
                ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME);
        // every marker written first, then the answer encoded from what each partition said
        List<String> outcomes = new ArrayList<>();
        List<Answered> answers = wanted.stream().map(marker -> new Answered(marker.producerId(), marker.topics().stream()
                .map(topic -> new TopicPartitions<>(topic.topic(), topic.partitions().stream().map(index -> {
                    MarkerWriter.Written result = !allowed ? new MarkerWriter.Written(
                            Errors.CLUSTER_AUTHORIZATION_FAILED, "needs CLUSTER_ACTION on the cluster") : index < 0
                            ? new MarkerWriter.Written(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition numbers start at 0")
                            : write(marker, new TopicPartition(topic.topic(), index));
                    outcomes.add(topic.topic() + "-" + index + " " + result.error()
                            + (result.message() == null ? "" : ": " + result.message()));
                    return new Written(index, result.error());
                }).toList())).toList())).toList();

        ProtocolWriter out = response(request);
        out.array(answers, (markerOut, answer) -> {
            markerOut.int64(answer.producerId());
            markerOut.topics(answer.topics(), TopicPartitions::topic, TopicPartitions::partitions,
                    (partitionOut, topic, each) -> partitionOut.int32(each.partition()).int16(each.error().code()));
            markerOut.taggedFields();
        });
        request.answered(() -> Summaries.list(outcomes));
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    private MarkerWriter.Written write(Marker marker, TopicPartition partition) {
        if (TransactionVersion.ofLevel(marker.transactionVersion()).bumpsEpochAtEveryEnd()) {
            try {
                for (ActiveProducer producer : producersIn(partition)) {
                    if (producer.producerId() == marker.producerId()) {
                        producer.checkMarkerUnderEpochBumps(marker.epoch(), partition, marker.transactionVersion());
                    }
                }
            } catch (ProducerStateException stale) {
                return new MarkerWriter.Written(stale.error(), stale.getMessage());
            }
        }
        return broker.transactionMarkers().write(partition, marker.producerId(), marker.epoch(), marker.commit());
    }

    private List<ActiveProducer> producersIn(TopicPartition partition) {
        try {
            return broker.partitions().activeProducers(partition);
        } catch (ApiException unknown) {
            return List.of(); // the write names the partition as unknown
        }
    }
}
