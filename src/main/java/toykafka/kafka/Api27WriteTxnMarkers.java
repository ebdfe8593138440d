package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.txn.MarkerWriter;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * WriteTxnMarkers (key 27), versions 0–1: writes COMMIT or ABORT markers for a producer into the partitions
 * named. In Kafka the transaction coordinator sends it to each partition's leader; a client sends it only through
 * {@code Admin.abortTransaction} ({@code kafka-transactions.sh abort}), to end by hand a transaction its coordinator
 * no longer knows, a hanging one. Here the coordinator writes its own markers in process, so this is the operator's
 * door alone: each partition gets its marker through the same writer the coordinator uses (a marker on the offsets
 * topic also ends the producer's pending offsets there), and its own answer: UNKNOWN_TOPIC_OR_PARTITION, or
 * INVALID_PRODUCER_EPOCH for an epoch older than the producer's in that partition. Ignored: the coordinator epoch
 * (this broker's coordinator epoch is always 0). Version 1 is flexible.
 */
final class Api27WriteTxnMarkers extends BrokerApi {

    private record Marker(long producerId, short epoch, boolean commit, List<TopicPartitionNumbers> topics) {
    }

    private record Written(int partition, Errors error) {
    }

    private record TopicAnswered(String name, List<Written> partitions) {
    }

    private record Answered(long producerId, List<TopicAnswered> topics) {
    }

    Api27WriteTxnMarkers(Broker broker) {
        super(broker, 27, "WriteTxnMarkers", 0, 1, 1);
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
            marker.taggedFields("WritableTxnMarker");
            return new Marker(producerId, epoch, commit, topics);
        });
        in.taggedFields("WriteTxnMarkersRequest");
        request.asked(() -> Summaries.list(wanted.stream().map(marker -> (marker.commit() ? "COMMIT" : "ABORT")
                + " for producer " + marker.producerId() + " epoch " + marker.epoch() + " in " + Summaries.list(
                marker.topics().stream().flatMap(t -> t.partitions().stream().map(p -> t.topic() + "-" + p)).toList()))
                .toList()));

        // every marker written first, then the answer encoded from what each partition said
        List<String> outcomes = new ArrayList<>();
        List<Answered> answers = wanted.stream().map(marker -> new Answered(marker.producerId(), marker.topics().stream()
                .map(topic -> new TopicAnswered(topic.topic(), topic.partitions().stream().map(index -> {
                    MarkerWriter.Written result = index < 0
                            ? new MarkerWriter.Written(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition numbers start at 0")
                            : broker.transactionMarkers().write(new TopicPartition(topic.topic(), index),
                                    marker.producerId(), marker.epoch(), marker.commit());
                    outcomes.add(topic.topic() + "-" + index + " " + result.error()
                            + (result.message() == null ? "" : ": " + result.message()));
                    return new Written(index, result.error());
                }).toList())).toList())).toList();

        ProtocolWriter out = response(request);
        out.array(answers, (markerOut, answer) -> {
            markerOut.int64(answer.producerId());
            markerOut.topics(answer.topics(), TopicAnswered::name, TopicAnswered::partitions,
                    (partitionOut, topic, each) -> partitionOut.int32(each.partition()).int16(each.error().code()));
            markerOut.taggedFields();
        });
        request.answered(() -> Summaries.list(outcomes));
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
