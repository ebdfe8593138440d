package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions;
import toykafka.common.Errors;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Transaction version 2 on the wire, asked what a good client does and what a bad one does: Produce v12, where the
 * leader adds the partition on the transaction's first batch, refused for a stale epoch or a producer id the
 * transactional id does not have; Produce v11 and v8 answering a batch outside its transaction each in the code its
 * clients know; EndTxn v5 answering with the epoch to go on with. Produce v12 and EndTxn v5 lay their fields out
 * as v11 and v4 do (the new version only says what the client speaks), so the requests are Kafka's classes' v11 and
 * v4 bytes under the newer version number, and EndTxn v5's answer, which adds two fields, is read by hand.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProduceUnderTransactionVersion2Test {

    @StartedBroker(value = FrontEnd.KAFKA, trace = true)
    static RunningBroker broker;

    @BeforeAll
    static void createTopic() {
        broker.broker().createTopic("v2-tills", 2, Map.of(), OnDuplicate.FAIL);
    }

    private static InitProducerIdResponseData init(KafkaWire wire, String transactionalId) {
        InitProducerIdResponseData answer = wire.send(new InitProducerIdRequestData().setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(60_000), 5);
        assertEquals(Errors.NONE.code(), answer.errorCode());
        return answer;
    }

    private static ProduceRequestData produce(String transactionalId, int partition, long producerId, short epoch,
                                              int sequence) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName("v2-tills").setPartitionData(List.of(
                WireRecords.partition(partition, ProducerBatches.transactional(producerId, epoch, sequence,
                                Record.of("till", "sale", Instant.now()))))));
        return new ProduceRequestData().setTransactionalId(transactionalId).setAcks((short) -1).setTimeoutMs(30_000)
                .setTopicData(topics);
    }

    /** Kafka's classes' bytes of {@code request} at {@code writtenAs}, sent as {@code version}: the body is the same. */
    private static ByteBuffer sendAs(KafkaWire wire, ApiMessage request, int writtenAs,
                                     int version) {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion((short) version)
                .setClientId("toykafka-test").setCorrelationId(7);
        ByteBuffer frame = RequestUtils.serialize(header, key.requestHeaderVersion((short) writtenAs), request,
                (short) writtenAs);
        ByteBuffer response = wire.exchange(frame);
        ResponseHeader.parse(response, key.responseHeaderVersion((short) writtenAs));
        return response;
    }

    private static short produced(KafkaWire wire, ProduceRequestData request, int version) {
        ProduceResponseData answer;
        if (version == 12) {
            answer = new ProduceResponseData();
            answer.read(new ByteBufferAccessor(sendAs(wire, request, 11, 12)), (short) 11);
        } else {
            answer = wire.send(request, version);
        }
        return answer.responses().iterator().next().partitionResponses().get(0).errorCode();
    }

    private static long end() {
        return broker.broker().partitions().listOffsets(new TopicPartition("v2-tills", 0),
                Partitions.LATEST).offset();
    }

    private static DescribeTransactionsResponseData.TransactionState described(KafkaWire wire, String transactionalId) {
        DescribeTransactionsResponseData answer = wire.send(new DescribeTransactionsRequestData()
                .setTransactionalIds(List.of(transactionalId)), 0);
        return answer.transactionStates().get(0);
    }

    @Test
    void produce_v12_adds_the_partition_on_the_first_batch_and_end_txn_v5_hands_out_the_next_epoch() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData till = init(wire, "v12-till");
            long before = end();
            assertEquals(Errors.NONE.code(), produced(wire, produce("v12-till", 0, till.producerId(),
                    till.producerEpoch(), 0), 12), "no AddPartitionsToTxn came first");
            assertEquals("Ongoing", described(wire, "v12-till").transactionState());
            assertEquals(List.of(0), described(wire, "v12-till").topics().find("v2-tills").partitions());

            ByteBuffer ended = sendAs(wire, new EndTxnRequestData().setTransactionalId("v12-till")
                    .setProducerId(till.producerId()).setProducerEpoch(till.producerEpoch()).setCommitted(true), 4, 5);
            assertEquals(0, ended.getInt(), "throttle time");
            assertEquals(Errors.NONE.code(), ended.getShort());
            assertEquals(till.producerId(), ended.getLong(), "the producer id to go on with");
            assertEquals(till.producerEpoch() + 1, ended.getShort(), "the next epoch");
            assertEquals(0, ended.get(), "no tagged fields");
            assertEquals(before + 2, end(), "the batch and its COMMIT marker");

            assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(), produced(wire, produce("v12-till", 0, till.producerId(),
                    till.producerEpoch(), 1), 12), "a batch of the ended transaction is fenced");
            assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING.code(), produced(wire, produce("v12-till", 1,
                    till.producerId() + 1000, (short) 0, 0), 12), "a producer id the transactional id does not have");
            assertEquals(before + 2, end(), "nothing refused was written");
        }
    }

    @Test
    void a_classic_batch_outside_its_transaction_is_transaction_abortable_from_v11_and_invalid_txn_state_before() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData till = init(wire, "v11-till");
            assertEquals(Errors.TRANSACTION_ABORTABLE.code(), produced(wire, produce("v11-till", 1, till.producerId(),
                    till.producerEpoch(), 0), 11));
            assertEquals(Errors.INVALID_TXN_STATE.code(), produced(wire, produce("v11-till", 1, till.producerId(),
                    till.producerEpoch(), 0), 8));
            assertEquals("Empty", described(wire, "v11-till").transactionState(), "below v12 nothing is added");
        }
    }
}
