package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.txn.Transaction;
import toykafka.broker.txn.TransactionCoordinator;
import toykafka.broker.txn.TransactionCoordinator.ProducerIdAndEpoch;
import toykafka.broker.txn.TransactionState;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The transaction coordinator inside the broker: its producers' batches let in only inside their transactions,
 * its markers written through the data path, its decisions kept in {@code __transaction_state} in Kafka's own
 * layout and found again after a restart.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionsOnTheBrokerTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    private final ManualClock clock = new ManualClock(NOON);
    @StartedBroker(clock = "clock")
    RunningBroker running;

    @BeforeEach
    void createTopic() {
        running.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
    }

    private TransactionCoordinator coordinator() {
        return running.broker().transactionCoordinator();
    }

    private AppendResult send(TopicPartition partition, ProducerIdAndEpoch producer, int sequence, String value) {
        ByteBuffer batch = ProducerBatches.transactional(producer.producerId(), producer.epoch(), sequence,
                Record.of(null, value, NOON));
        return running.broker().partitions().append(Map.of(partition, batch), Acks.ALL).get(partition);
    }

    private long stable(TopicPartition partition) {
        return running.broker().partitions().listOffsets(partition, Partitions.LATEST, true).offset();
    }

    @Test
    void a_committed_transaction_spans_partitions_and_its_batches_need_its_partitions_added_first() {
        ProducerIdAndEpoch till = coordinator().initProducerId("till-1", 60_000);
        AppendResult early = send(ORDERS_0, till, 0, "cod");
        assertEquals(Errors.INVALID_TXN_STATE, early.error(), "not added to the transaction yet: " + early.message());

        coordinator().addPartitions("till-1", till.producerId(), till.epoch(), List.of(ORDERS_0, ORDERS_1));
        assertEquals(Errors.NONE, send(ORDERS_0, till, 0, "cod").error());
        assertEquals(Errors.NONE, send(ORDERS_1, till, 0, "chips").error());
        assertEquals(0, stable(ORDERS_0));
        assertEquals(0, stable(ORDERS_1));

        coordinator().endTransaction("till-1", till.producerId(), till.epoch(), true);
        assertEquals(2, stable(ORDERS_0), "the record and its marker");
        assertEquals(2, stable(ORDERS_1));
        assertTrue(running.broker().listTopics().contains(Broker.TRANSACTIONS_TOPIC), "made by the first producer");
        assertTrue(Broker.isInternal(Broker.TRANSACTIONS_TOPIC));
    }

    @Test
    void the_coordinators_records_are_kafkas_and_a_restart_finds_the_open_transaction_and_times_it_out() {
        ProducerIdAndEpoch till = coordinator().initProducerId("till-1", 60_000);
        coordinator().addPartitions("till-1", till.producerId(), till.epoch(), List.of(ORDERS_0));
        assertEquals(Errors.NONE, send(ORDERS_0, till, 0, "cod").error());

        List<OffsetRecord> records = running.broker().partitions().readAndWait(FetchParams.of(
                new TopicPartition(Broker.TRANSACTIONS_TOPIC, 0), 0, 1 << 20, Duration.ZERO), null)
                .get(new TopicPartition(Broker.TRANSACTIONS_TOPIC, 0)).records(10);
        assertEquals(2, records.size(), "Empty, then Ongoing");
        Record ongoing = records.get(1).record();
        ByteBuffer key = ByteBuffer.wrap(ongoing.key());
        assertEquals(0, key.getShort());
        assertEquals("till-1", new TransactionLogKey(new ByteBufferAccessor(key), (short) 0).transactionalId());
        ByteBuffer value = ByteBuffer.wrap(ongoing.value());
        short version = value.getShort();
        TransactionLogValue kafkas = new TransactionLogValue(new ByteBufferAccessor(value), version);
        assertEquals(till.producerId(), kafkas.producerId());
        assertEquals(TransactionState.ONGOING.id(), kafkas.transactionStatus());
        assertEquals(60_000, kafkas.transactionTimeoutMs());
        assertEquals("orders", kafkas.transactionPartitions().get(0).topic());
        assertEquals(List.of(0), kafkas.transactionPartitions().get(0).partitionIds());
        assertEquals(NOON.toEpochMilli(), kafkas.transactionStartTimestampMs());

        running.restart();
        assertEquals(0, stable(ORDERS_0), "still open after the restart");
        clock.advance(Duration.ofSeconds(61));
        running.broker().tickTransactions();
        assertEquals(2, stable(ORDERS_0), "aborted: its marker is at 1");
        assertEquals(List.of(new AbortedTransaction(till.producerId(), 0)), running.broker().partitions()
                .readAndWait(new FetchParams(Duration.ZERO, 0, 1 << 20, List.of(
                        new FetchPartition(ORDERS_0, 0, 1 << 20)), true), null).get(ORDERS_0)
                .abortedTransactions());
        assertFalse(coordinator().transactions().isEmpty());
        assertEquals(TransactionState.COMPLETE_ABORT, coordinator().transactions().get(0).state());
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, send(ORDERS_0, till, 1, "late").error(), "the old instance is fenced");
    }

    @Test
    void offsets_committed_inside_a_transaction_survive_a_restart_held_and_come_into_force_with_its_commit() {
        TopicPartition offsetsPartition = new TopicPartition(Broker.OFFSETS_TOPIC, 0);
        ProducerIdAndEpoch cook = coordinator().initProducerId("cook-1", 60_000);
        OffsetCommitRequest commit = new OffsetCommitRequest("kitchen", -1, "", new TreeMap<>(Map.of(ORDERS_0, 7L)));
        assertEquals(Errors.INVALID_TXN_STATE, running.broker().groupCoordinator()
                .commitTransactionalOffsets(cook.producerId(), cook.epoch(), commit), "AddOffsetsToTxn comes first");

        coordinator().addPartitions("cook-1", cook.producerId(), cook.epoch(), List.of(offsetsPartition));
        long before = running.broker().partitions().listOffsets(offsetsPartition, Partitions.LATEST).offset();
        assertEquals(Errors.NONE, running.broker().groupCoordinator()
                .commitTransactionalOffsets(cook.producerId(), cook.epoch(), commit));
        assertEquals(before, stable(offsetsPartition), "the commit is the open transaction's first record there");
        assertEquals(Map.of(), committed("kitchen"), "held until the transaction commits");

        running.restart();
        assertEquals(Map.of(), committed("kitchen"), "still held after the restart");
        coordinator().endTransaction("cook-1", cook.producerId(), cook.epoch(), true);
        assertEquals(Map.of(ORDERS_0, 7L), committed("kitchen"));
        assertEquals(running.broker().partitions().listOffsets(offsetsPartition, Partitions.LATEST).offset(),
                stable(offsetsPartition), "the marker ended the transaction on the offsets topic too");

        running.restart();
        assertEquals(Map.of(ORDERS_0, 7L), committed("kitchen"), "replayed: the marker follows the commit");
        ProducerIdAndEpoch next = coordinator().initProducerId("cook-1", 60_000);
        coordinator().addPartitions("cook-1", next.producerId(), next.epoch(), List.of(offsetsPartition));
        assertEquals(Errors.NONE, running.broker().groupCoordinator().commitTransactionalOffsets(next.producerId(),
                next.epoch(), new OffsetCommitRequest("kitchen", -1, "", new TreeMap<>(Map.of(ORDERS_0, 9L)))));
        coordinator().endTransaction("cook-1", next.producerId(), next.epoch(), false);
        assertEquals(Map.of(ORDERS_0, 7L), committed("kitchen"), "an abort drops its offsets");
        running.restart();
        assertEquals(Map.of(ORDERS_0, 7L), committed("kitchen"), "and so does the replay");
    }

    private Map<TopicPartition, Long> committed(String group) {
        return running.broker().groupCoordinator().fetchOffsets(group, null).offsets();
    }

    @Test
    void an_id_idle_past_transactional_id_expiration_ms_is_forgotten_across_a_restart() {
        running.restartWith(Map.of(BrokerConfig.TRANSACTIONAL_ID_EXPIRATION_MS, "3600000"));
        ProducerIdAndEpoch till = coordinator().initProducerId("till-1", 60_000);
        coordinator().initProducerId("kitchen", 60_000);
        clock.advance(Duration.ofMinutes(30));
        coordinator().initProducerId("kitchen", 60_000); // the kitchen is busy; the till has gone quiet
        clock.advance(Duration.ofMinutes(31));
        running.broker().tickTransactions();
        assertEquals(List.of("kitchen"), coordinator().transactions().stream().map(Transaction::transactionalId).toList());

        running.restart();
        assertEquals(List.of("kitchen"), coordinator().transactions().stream().map(Transaction::transactionalId).toList(),
                "the tombstone in __transaction_state holds after a restart");
        ProducerIdAndEpoch again = coordinator().initProducerId("till-1", 60_000);
        assertTrue(again.producerId() != till.producerId() && again.epoch() == 0,
                "the till starts afresh, with a new producer id: " + again);
    }

    @Test
    void offsets_held_in_open_transactions_count_against_the_coordinators_memory_and_are_given_back_at_their_end() {
        running.restartWith(Map.of(BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES, "300000"));
        TopicPartition offsetsPartition = new TopicPartition(Broker.OFFSETS_TOPIC, 0);
        ProducerIdAndEpoch first = coordinator().initProducerId("cook-1", 60_000);
        ProducerIdAndEpoch second = coordinator().initProducerId("cook-2", 60_000);
        coordinator().addPartitions("cook-1", first.producerId(), first.epoch(), List.of(offsetsPartition));
        coordinator().addPartitions("cook-2", second.producerId(), second.epoch(), List.of(offsetsPartition));
        // another client's 125 kB first: no one may hold more than half the bound, so it takes three to pass it
        assertEquals(Errors.NONE, running.broker().groupCoordinator().commitOffsets(
                hundredPartitions("pantry", "stock", 1).from("stock-taker", "10.0.0.3")));
        long idle = running.broker().groupCoordinator().stateBytes();

        for (int again = 0; again < 20; again++) { // about 125 kB a commit: 100 partitions, 1,000 characters each
            assertEquals(Errors.NONE, running.broker().groupCoordinator().commitTransactionalOffsets("cook-1",
                    first.producerId(), first.epoch(), hundredPartitions("kitchen", "orders", again)
                            .from("cook-1", "10.0.0.1")));
        }
        long held = running.broker().groupCoordinator().stateBytes();
        assertTrue(held - idle > 100_000 && held - idle < 200_000,
                "the same partitions committed again replace their offsets, not add to them: " + (held - idle));
        assertEquals(Errors.INVALID_COMMIT_OFFSET_SIZE, running.broker().groupCoordinator().commitTransactionalOffsets(
                "cook-2", second.producerId(), second.epoch(), hundredPartitions("bar", "drinks", 0)
                        .from("cook-2", "10.0.0.2")), "past the bound");
        assertTrue(running.events().stream().anyMatch(event -> event.contains(BrokerConfig.GROUP_COORDINATOR_MEMORY_MAX_BYTES)),
                "the broker says why: " + running.events());

        coordinator().endTransaction("cook-1", first.producerId(), first.epoch(), false);
        assertEquals(idle, running.broker().groupCoordinator().stateBytes(), "an abort gives its offsets' bytes back");
        assertEquals(Errors.NONE, running.broker().groupCoordinator().commitTransactionalOffsets("cook-2",
                second.producerId(), second.epoch(), hundredPartitions("bar", "drinks", 0).from("cook-2", "10.0.0.2")),
                "room again");
        coordinator().endTransaction("cook-2", second.producerId(), second.epoch(), true);
        assertEquals(100, committed("bar").size(), "committed, and now kept as the group's own offsets");
    }

    private static OffsetCommitRequest hundredPartitions(String group, String topic, long offset) {
        TreeMap<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>();
        for (int p = 0; p < 100; p++) {
            committed.put(new TopicPartition(topic, p), new OffsetAndMetadata(offset, -1, "m".repeat(1_000)));
        }
        return new OffsetCommitRequest(group, -1, "", committed, null);
    }
}
