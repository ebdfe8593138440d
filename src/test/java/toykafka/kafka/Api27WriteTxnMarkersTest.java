package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * WriteTxnMarkers, written and read by Kafka's own classes at versions 1 and 2, against a transaction left open in
 * {@code tills-0} by a producer at epoch 1: what an operator's {@code kafka-transactions.sh abort} sends, and v2's
 * transaction version, under which Kafka's log takes only a marker with a newer epoch.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Api27WriteTxnMarkersTest {

    private static final TopicPartition TILLS_0 = new TopicPartition("tills", 0);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    /** Opens a transaction in tills-0 with one record, under the id's second epoch. */
    private InitProducerIdResponseData openTransaction(KafkaWire wire) {
        broker.broker().createTopic("tills", 1, Map.of(), OnDuplicate.FAIL);
        InitProducerIdRequestData init = new InitProducerIdRequestData().setTransactionalId("till")
                .setTransactionTimeoutMs(600_000);
        wire.send(init, 4);
        InitProducerIdResponseData producer = wire.send(init, 4);
        assertEquals(1, producer.producerEpoch());
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName("tills").setPartitions(List.of(0)));
        wire.send(new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("till")
                .setV3AndBelowProducerId(producer.producerId()).setV3AndBelowProducerEpoch(producer.producerEpoch())
                .setV3AndBelowTopics(topics), 3);
        TopicProduceDataCollection data = new TopicProduceDataCollection();
        data.add(new TopicProduceData().setName("tills").setPartitionData(List.of(WireRecords.partition(0,
                ProducerBatches.transactional(producer.producerId(), producer.producerEpoch(), 0,
                        Record.of(null, "cod and chips", Instant.now()))))));
        ProduceResponseData produced = wire.send(new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId("till").setTopicData(data), 8);
        assertEquals(Errors.NONE.code(), produced.responses().iterator().next().partitionResponses().get(0).errorCode());
        assertTrue(open(), "the transaction is open in tills-0");
        return producer;
    }

    private boolean open() {
        return broker.broker().partitions().activeProducers(TILLS_0).stream()
                .anyMatch(producer -> producer.transactionStartOffset() >= 0);
    }

    private static WritableTxnMarkerPartitionResult abort(KafkaWire wire, int version, long producerId, int epoch,
                                                         int transactionVersion, String topic) {
        WriteTxnMarkersResponseData answer = wire.send(new WriteTxnMarkersRequestData().setMarkers(List.of(
                new WritableTxnMarker().setProducerId(producerId).setProducerEpoch((short) epoch)
                        .setTransactionResult(false).setCoordinatorEpoch(0)
                        .setTransactionVersion((byte) transactionVersion).setTopics(List.of(
                                new WritableTxnMarkerTopic().setName(topic).setPartitionIndexes(List.of(0)))))),
                version);
        assertEquals(producerId, answer.markers().get(0).producerId());
        assertEquals(topic, answer.markers().get(0).topics().get(0).name());
        return answer.markers().get(0).topics().get(0).partitions().get(0);
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2})
    void an_operators_abort_ends_the_open_transaction_and_an_older_epoch_or_unknown_partition_is_refused(int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData producer = openTransaction(wire);
            WritableTxnMarkerPartitionResult older = abort(wire, version, producer.producerId(), 0, 0, "tills");
            assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(), older.errorCode());
            assertTrue(open(), "an older epoch's marker is not written");
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    abort(wire, version, producer.producerId(), 1, 0, "never-was").errorCode());

            WritableTxnMarkerPartitionResult aborted = abort(wire, version, producer.producerId(), 1, 0, "tills");
            assertEquals(Errors.NONE.code(), aborted.errorCode(), "the producer's own epoch, as the Admin client sends");
            assertEquals(0, aborted.partitionIndex());
            assertTrue(!open(), "the ABORT marker ended it");
        }
    }

    @Test
    void v2_under_transaction_version_2_takes_only_a_newer_epoch_or_a_retried_marker() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData producer = openTransaction(wire);
            assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(),
                    abort(wire, 2, producer.producerId(), 1, 2, "tills").errorCode(),
                    "a coordinator at transaction version 2 bumps the epoch as it ends the transaction");
            assertTrue(open());

            assertEquals(Errors.NONE.code(), abort(wire, 2, producer.producerId(), 2, 2, "tills").errorCode());
            assertTrue(!open());
            assertEquals(Errors.NONE.code(), abort(wire, 2, producer.producerId(), 2, 2, "tills").errorCode(),
                    "the same marker again, with nothing open, is a retry and taken");
            assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(),
                    abort(wire, 2, producer.producerId(), 1, 2, "tills").errorCode());
        }
    }

    @Test
    void versions_1_and_2_are_advertised_as_kafka_4_4_advertises_them_without_the_removed_version_0() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData versions = wire.send(new ApiVersionsRequestData(), 3);
            assertEquals(1, versions.apiKeys().find((short) 27).minVersion());
            assertEquals(2, versions.apiKeys().find((short) 27).maxVersion());
        }
    }
}
