package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.PartitionData;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.ProducerBatches;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson15.AbortedTransactionFilter;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A thousand transactional ids, each opening a transaction with one record in the same partition and leaving it
 * open, from one connection of Kafka's requests: the coordinator lists them all, the partition knows every producer,
 * its last stable offset stays at the first record, so a {@code read_committed} reader sees none of them; once the
 * broker's clock passes their timeout the coordinator aborts every one, and the partition's last stable offset is
 * its end again with nothing committed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ThousandOpenTransactionsTest {

    private static final int TRANSACTIONS = 1_000;
    private static final int TIMEOUT_MS = 2_000;
    private static final TopicPartition TILLS_0 = new TopicPartition("tills", 0);

    /** The broker's time: still while the transactions open, so none times out before all are counted. */
    private final ManualClock clock = new ManualClock(Instant.now());
    @StartedBroker(value = FrontEnd.KAFKA, clock = "clock", settings = @StartedBroker.Setting(
            name = BrokerConfig.TRANSACTION_ABORT_INTERVAL_MS, value = "200"))
    RunningBroker running;

    @Test
    void a_thousand_open_transactions_hold_the_last_stable_offset_and_are_all_aborted_at_their_timeout()
            throws InterruptedException {
        running.broker().createTopic("tills", 1, Map.of(), OnDuplicate.FAIL);
        try (KafkaWire wire = new KafkaWire(running)) {
            for (int i = 0; i < TRANSACTIONS; i++) {
                String id = "till-" + i;
                InitProducerIdResponseData producer = wire.send(new InitProducerIdRequestData().setTransactionalId(id)
                        .setTransactionTimeoutMs(TIMEOUT_MS), 4);
                assertEquals(Errors.NONE.code(), producer.errorCode(), id);
                AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
                topics.add(new AddPartitionsToTxnTopic().setName("tills").setPartitions(List.of(0)));
                AddPartitionsToTxnResponseData added = wire.send(new AddPartitionsToTxnRequestData()
                        .setV3AndBelowTransactionalId(id).setV3AndBelowProducerId(producer.producerId())
                        .setV3AndBelowProducerEpoch(producer.producerEpoch()).setV3AndBelowTopics(topics), 3);
                assertEquals(Errors.NONE.code(), added.resultsByTopicV3AndBelow().iterator().next().resultsByPartition()
                        .iterator().next().partitionErrorCode(), id);
                ByteBuffer record = ProducerBatches.transactional(producer.producerId(), producer.producerEpoch(), 0,
                        toykafka.common.Record.of(null, "order from " + id, clock.instant()));
                TopicProduceDataCollection data = new TopicProduceDataCollection();
                data.add(new TopicProduceData().setName("tills").setPartitionData(List.of(
                        WireRecords.partition(0, record))));
                ProduceResponseData produced = wire.send(new ProduceRequestData().setAcks((short) -1)
                        .setTimeoutMs(30_000).setTransactionalId(id).setTopicData(data), 8);
                assertEquals(Errors.NONE.code(), produced.responses().iterator().next().partitionResponses().get(0)
                        .errorCode(), id);
            }
            ListTransactionsResponseData listed = wire.send(new ListTransactionsRequestData()
                    .setStateFilters(List.of("Ongoing")), 1);
            assertEquals(TRANSACTIONS, listed.transactionStates().size(), "every one is open");
            assertEquals(TRANSACTIONS, end(), "a record from each");
            assertEquals(0, stable(), "the oldest holds the last stable offset at its record");
            assertEquals(TRANSACTIONS, running.broker().partitions().activeProducers(TILLS_0).stream()
                    .filter(producer -> producer.transactionStartOffset() >= 0).count(), "the partition knows each");
        }

        clock.advance(Duration.ofMillis(TIMEOUT_MS + 1));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos(); // a bound on a hang, not a figure
        while (stable() < end() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(2L * TRANSACTIONS, end(), "a record and an ABORT marker for each");
        assertEquals(end(), stable(), "every transaction was aborted at its timeout: nothing holds the partition");
        assertEquals(TRANSACTIONS, running.broker().transactionCoordinator().transactions().stream()
                .filter(t -> t.state().kafkaName().equals("CompleteAbort")).count());
        assertEquals(List.of(), readCommitted(), "nothing was ever committed");
    }

    private long stable() {
        return running.broker().partitions().listOffsets(TILLS_0, -1, true).offset();
    }

    private long end() {
        return running.broker().partitions().listOffsets(TILLS_0, -1, false).offset();
    }

    /** The batches a read_committed consumer keeps of the whole partition, by base offset. */
    private List<Long> readCommitted() {
        PartitionData read = running.broker().partitions().read(new FetchParams(Duration.ZERO, 1, 1 << 24,
                List.of(new FetchPartition(TILLS_0, 0, 1 << 24)), true), ByteBuffer.allocate(1 << 24)).join().get(TILLS_0);
        return new AbortedTransactionFilter().committed(read.batches().batches(), read.abortedTransactions()).stream()
                .map(RecordBatch::baseOffset).toList();
    }
}
