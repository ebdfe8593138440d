package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.stats.BrokerStats;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.txn.TransactionCoordinator.ProducerIdAndEpoch;
import toykafka.broker.txn.TransactionCoordinator;
import toykafka.common.Compression;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;

/**
 * Every write the broker makes itself goes the way a producer's append goes: it completes the reads parked on
 * its partition. A parked read completes on the appender's thread, so it is done by the time the write returns;
 * a write that bypassed the data path would leave it waiting out its ten minutes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InternalWritesWakeReadsTest {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition OFFSETS = new TopicPartition(Broker.OFFSETS_TOPIC, 0);
    private static final TopicPartition TRANSACTIONS = new TopicPartition(Broker.TRANSACTIONS_TOPIC, 0);
    private static final TopicPartition STATS = new TopicPartition(Broker.STATS_TOPIC, 0);

    @StartedBroker
    Broker broker;

    @BeforeEach
    void createTopic() {
        broker.createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
    }

    private CompletableFuture<Map<TopicPartition, PartitionData>> parkAtEnd(TopicPartition partition) {
        long end = broker.partitions().listOffsets(partition, Partitions.LATEST).offset();
        CompletableFuture<Map<TopicPartition, PartitionData>> read =
                broker.partitions().read(FetchParams.of(partition, end, 1 << 20, LONG));
        assertFalse(read.isDone(), "nothing is past the end of " + partition + " yet: the read waits");
        return read;
    }

    private static void answered(CompletableFuture<Map<TopicPartition, PartitionData>> read, TopicPartition partition,
                                 String write) {
        assertTrue(read.isDone(), "a read parked on " + partition + " still waits after " + write);
        PartitionData data = read.join().get(partition);
        assertEquals(Errors.NONE, data.error(), data.message());
        assertTrue(data.size() > 0, "the read woken by " + write + " holds what it wrote");
    }

    private static OffsetCommitRequest commit(String group, long offset) {
        return new OffsetCommitRequest(group, -1, "", new TreeMap<>(Map.of(ORDERS_0, offset)));
    }

    private TransactionCoordinator transactions() {
        return broker.transactionCoordinator();
    }

    @Test
    void a_commit_and_a_deletion_of_offsets_wake_a_read_parked_on_the_offsets_topic() {
        var read = parkAtEnd(OFFSETS);
        assertEquals(Errors.NONE, broker.groupCoordinator().commitOffsets(commit("kitchen", 3)));
        answered(read, OFFSETS, "a commit");

        read = parkAtEnd(OFFSETS);
        assertEquals(Map.of(ORDERS_0, Errors.NONE),
                broker.groupCoordinator().deleteOffsets("kitchen", List.of(ORDERS_0)).partitions());
        answered(read, OFFSETS, "a deletion of offsets");
    }

    @Test
    void the_transaction_coordinators_state_a_transactional_commit_and_both_markers_wake_their_reads() {
        transactions().initProducerId("till-0", 60_000); // makes the coordinator's topic
        var state = parkAtEnd(TRANSACTIONS);
        ProducerIdAndEpoch cook = transactions().initProducerId("cook-1", 60_000);
        answered(state, TRANSACTIONS, "a new transactional id");

        state = parkAtEnd(TRANSACTIONS);
        transactions().addPartitions("cook-1", cook.producerId(), cook.epoch(), List.of(ORDERS_0, OFFSETS));
        answered(state, TRANSACTIONS, "partitions added to a transaction");

        var offsets = parkAtEnd(OFFSETS);
        assertEquals(Errors.NONE, broker.groupCoordinator().commitTransactionalOffsets(cook.producerId(), cook.epoch(),
                commit("kitchen", 5)));
        answered(offsets, OFFSETS, "a commit inside a transaction");

        RecordBatch sent = RecordBatch.of(List.of(Record.of("k", "soup", Instant.EPOCH)), 0, Compression.NONE);
        sent.setProducer(cook.producerId(), cook.epoch(), 0, RecordBatch.TRANSACTIONAL_BIT);
        assertEquals(Errors.NONE, broker.partitions().append(Map.of(ORDERS_0, sent.buffer()), Acks.ALL)
                .get(ORDERS_0).error());
        var orders = parkAtEnd(ORDERS_0);
        offsets = parkAtEnd(OFFSETS);
        state = parkAtEnd(TRANSACTIONS);
        transactions().endTransaction("cook-1", cook.producerId(), cook.epoch(), true);
        answered(orders, ORDERS_0, "a COMMIT marker on a topic of the producer's");
        answered(offsets, OFFSETS, "a COMMIT marker on the offsets topic");
        answered(state, TRANSACTIONS, "the end of a transaction");
    }

    @Test
    void the_statistics_wake_a_read_parked_on_their_topic() {
        var read = parkAtEnd(STATS);
        broker.jobs().writeStats();
        answered(read, STATS, "a write of the statistics");
    }

    @Test
    void commits_to_the_offsets_topic_are_counted_as_every_append_is() {
        long before = broker.stats().snapshot().getOrDefault(Broker.OFFSETS_TOPIC,
                new BrokerStats.TopicCounts(0, 0, 0, 0, 0)).recordsIn();
        assertEquals(Errors.NONE, broker.groupCoordinator().commitOffsets(new OffsetCommitRequest("kitchen", -1, "",
                new TreeMap<>(Map.of(ORDERS_0, 3L, new TopicPartition("orders", 1), 4L)))));
        assertEquals(before + 2, broker.stats().snapshot().get(Broker.OFFSETS_TOPIC).recordsIn(),
                "a record each partition committed");
    }
}
