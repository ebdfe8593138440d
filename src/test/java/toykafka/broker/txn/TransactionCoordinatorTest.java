package toykafka.broker.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.txn.TransactionCoordinator.ProducerIdAndEpoch;
import toykafka.check.MessageFacts;
import toykafka.clock.ManualClock;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * The transaction coordinator on its own: a map for its store and a list for the markers it writes. Its two
 * phases, its fencing by epoch, its timeouts, and its recovery of a decision a crash left half done.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionCoordinatorTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition KITCHEN = new TopicPartition("kitchen", 0);
    private static final int TIMEOUT_MS = 60_000;

    /** What a store keeps: every write, in order, and so each id's latest. */
    private static final class MapStore implements TransactionStore {
        final List<Transaction> written = new ArrayList<>();
        /** Every record, in order: a transaction, or a tombstone (an id and no transaction). */
        private final List<Map.Entry<String, Transaction>> records = new ArrayList<>();

        @Override
        public synchronized void write(Transaction transaction) {
            written.add(transaction);
            records.add(new SimpleEntry<>(transaction.transactionalId(), transaction));
        }

        @Override
        public synchronized void remove(String transactionalId) {
            records.add(new SimpleEntry<>(transactionalId, null));
        }

        @Override
        public synchronized Collection<Transaction> replay() {
            Map<String, Transaction> latest = new LinkedHashMap<>();
            for (Map.Entry<String, Transaction> record : records) {
                if (record.getValue() == null) {
                    latest.remove(record.getKey());
                } else {
                    latest.put(record.getKey(), record.getValue());
                }
            }
            return latest.values();
        }

        List<TransactionState> states(String transactionalId) {
            return written.stream().filter(t -> t.transactionalId().equals(transactionalId)).map(Transaction::state)
                    .toList();
        }
    }

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final MapStore store = new MapStore();
    private final List<String> markers = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    /** Partitions whose marker writes fail, as a full disk would make them. */
    private final List<TopicPartition> failing = new ArrayList<>();

    private TransactionCoordinator coordinator() {
        return new TransactionCoordinator(clock, TransactionCoordinator.DEFAULT_MAX_TIMEOUT_MS, ids::getAndIncrement,
                store, (partition, producerId, epoch, commit) -> {
                    if (failing.contains(partition)) {
                        return new MarkerWriter.Written(Errors.KAFKA_STORAGE_ERROR, "the disk is full");
                    }
                    markers.add((commit ? "COMMIT " : "ABORT ") + partition + " producer " + producerId + " epoch "
                            + epoch);
                    return new MarkerWriter.Written(Errors.NONE, null);
                }, partition -> !partition.topic().equals("missing"), events::add);
    }

    private static void assertRefused(Errors expected, Runnable request, Object... facts) {
        ApiException refused = assertThrows(ApiException.class, request::run);
        assertEquals(expected, refused.error(), refused.getMessage());
        MessageFacts.assertMentions(refused, facts);
    }

    @Test
    void a_commit_writes_its_decision_then_a_marker_to_every_partition_then_its_completion() {
        TransactionCoordinator coordinator = coordinator();
        ProducerIdAndEpoch till = coordinator.initProducerId("till-1", TIMEOUT_MS);
        assertEquals(new ProducerIdAndEpoch(1000, (short) 0), till);

        coordinator.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0, ORDERS_1));
        coordinator.addPartitions("till-1", 1000, (short) 0, List.of(KITCHEN));
        coordinator.verify(KITCHEN, 1000, (short) 0);
        coordinator.endTransaction("till-1", 1000, (short) 0, true);

        assertEquals(List.of("COMMIT kitchen-0 producer 1000 epoch 0", "COMMIT orders-0 producer 1000 epoch 0",
                "COMMIT orders-1 producer 1000 epoch 0"), markers);
        assertEquals(List.of(TransactionState.EMPTY, TransactionState.ONGOING, TransactionState.ONGOING,
                TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT), store.states("till-1"));
        assertEquals(Set.of(ORDERS_0, ORDERS_1, KITCHEN), store.written.get(3).partitions(),
                "the decision names every partition it must reach");
        coordinator.endTransaction("till-1", 1000, (short) 0, true); // the producer's retry
        assertEquals(3, markers.size(), "a retried commit writes nothing again");
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.verify(KITCHEN, 1000, (short) 0), "outside",
                "CompleteCommit");
    }

    @Test
    void a_new_instance_fences_the_old_one_and_aborts_what_it_left_open() {
        TransactionCoordinator coordinator = coordinator();
        coordinator.initProducerId("till-1", TIMEOUT_MS);
        coordinator.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0));

        ProducerIdAndEpoch restarted = coordinator.initProducerId("till-1", TIMEOUT_MS);
        assertEquals(new ProducerIdAndEpoch(1000, (short) 2), restarted, "epoch 1 went to the abort's markers");
        assertEquals(List.of("ABORT orders-0 producer 1000 epoch 1"), markers);

        assertRefused(Errors.PRODUCER_FENCED, () -> coordinator.endTransaction("till-1", 1000, (short) 0, true),
                "epoch 0", "fenced", "epoch 2");
        assertRefused(Errors.PRODUCER_FENCED, () -> coordinator.addPartitions("till-1", 1000, (short) 0,
                List.of(ORDERS_1)), "fenced");
        assertRefused(Errors.INVALID_PRODUCER_EPOCH, () -> coordinator.verify(ORDERS_0, 1000, (short) 0), "fenced");
        assertRefused(Errors.INVALID_PRODUCER_ID_MAPPING, () -> coordinator.endTransaction("till-1", 999, (short) 2,
                true), 999, 1000);
    }

    @Test
    void a_producer_that_asks_for_its_next_epoch_twice_is_given_the_same_one_and_an_older_instance_is_fenced() {
        TransactionCoordinator coordinator = coordinator();
        coordinator.initProducerId("till-1", TIMEOUT_MS);

        ProducerIdAndEpoch bumped = coordinator.initProducerId("till-1", TIMEOUT_MS, 1000, (short) 0);
        assertEquals(new ProducerIdAndEpoch(1000, (short) 1), bumped, "KIP-360: the producer goes on at its next epoch");
        assertEquals(bumped, coordinator.initProducerId("till-1", TIMEOUT_MS, 1000, (short) 0),
                "the same request again, its answer lost: the epoch it already has, not one more");
        assertEquals(new ProducerIdAndEpoch(1000, (short) 2), coordinator.initProducerId("till-1", TIMEOUT_MS),
                "a new instance");
        assertRefused(Errors.PRODUCER_FENCED, () -> coordinator.initProducerId("till-1", TIMEOUT_MS, 1000, (short) 0),
                "epoch 0", "newer");
        assertRefused(Errors.PRODUCER_FENCED, () -> coordinator.initProducerId("till-1", TIMEOUT_MS, 1000, (short) 1),
                "epoch 1", "newer");
    }

    @Test
    void ending_a_transaction_that_never_began_or_for_an_unknown_id_is_refused_with_the_reason() {
        TransactionCoordinator coordinator = coordinator();
        assertRefused(Errors.INVALID_PRODUCER_ID_MAPPING, () -> coordinator.endTransaction("nobody", 1, (short) 0,
                true), "nobody", "InitProducerId");
        coordinator.initProducerId("till-1", TIMEOUT_MS);
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.endTransaction("till-1", 1000, (short) 0, true),
                "Empty", "AddPartitionsToTxn");
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.verify(ORDERS_0, 1000, (short) 0), "outside");
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.verify(ORDERS_0, 77, (short) 0), 77,
                "InitProducerId");
        assertRefused(Errors.INVALID_TRANSACTION_TIMEOUT, () -> coordinator.initProducerId("slow", 900_001), 900001,
                900000, "transaction.max.timeout.ms");
        assertRefused(Errors.INVALID_REQUEST, () -> coordinator.initProducerId("", TIMEOUT_MS), "transactional id");
    }

    @Test
    void unknown_partitions_are_named_and_none_is_added() {
        TransactionCoordinator coordinator = coordinator();
        coordinator.initProducerId("till-1", TIMEOUT_MS);
        TransactionException.UnknownPartitions refused = assertThrows(TransactionException.UnknownPartitions.class,
                () -> coordinator.addPartitions("till-1", 1000, (short) 0,
                        List.of(ORDERS_0, new TopicPartition("missing", 0))));
        assertEquals(Set.of(new TopicPartition("missing", 0)), refused.unknown());
        assertEquals(TransactionState.EMPTY, coordinator.transactions().get(0).state());
    }

    @Test
    void a_transaction_open_past_its_timeout_is_aborted_under_a_new_epoch() {
        TransactionCoordinator coordinator = coordinator();
        coordinator.initProducerId("till-1", TIMEOUT_MS);
        coordinator.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0));
        clock.advance(Duration.ofMillis(TIMEOUT_MS));
        assertEquals(0, coordinator.abortTimedOut(), "not past it yet");
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, coordinator.abortTimedOut());

        assertEquals(List.of("ABORT orders-0 producer 1000 epoch 1"), markers);
        assertEquals(TransactionState.COMPLETE_ABORT, coordinator.transactions().get(0).state());
        assertRefused(Errors.PRODUCER_FENCED, () -> coordinator.endTransaction("till-1", 1000, (short) 0, true),
                "timed out");
        MessageFacts.assertMentions(new IllegalStateException(String.join("\n", events)), "transaction.timeout.ms",
                TIMEOUT_MS);
        assertEquals(new ProducerIdAndEpoch(1000, (short) 2), coordinator.initProducerId("till-1", TIMEOUT_MS));
    }

    @Test
    void a_decision_whose_markers_a_crash_cut_short_is_finished_by_the_next_coordinator() {
        TransactionCoordinator first = coordinator();
        first.initProducerId("till-1", TIMEOUT_MS);
        first.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0, ORDERS_1));
        failing.add(ORDERS_1);
        first.endTransaction("till-1", 1000, (short) 0, true);
        assertEquals(TransactionState.PREPARE_COMMIT, first.transactions().get(0).state(), "orders-1 has no marker yet");
        assertRefused(Errors.CONCURRENT_TRANSACTIONS, () -> first.addPartitions("till-1", 1000, (short) 0,
                List.of(KITCHEN)), "PrepareCommit");

        failing.clear();
        markers.clear();
        TransactionCoordinator next = coordinator(); // after a restart: the same store
        assertEquals(1, next.recover());
        assertEquals(List.of("COMMIT orders-0 producer 1000 epoch 0", "COMMIT orders-1 producer 1000 epoch 0"), markers,
                "both partitions: a second marker where one was written changes nothing");
        assertEquals(TransactionState.COMPLETE_COMMIT, next.transactions().get(0).state());
        assertEquals(new ProducerIdAndEpoch(1000, (short) 1), next.initProducerId("till-1", TIMEOUT_MS));
    }

    @Test
    void an_open_transaction_survives_a_restart_and_still_times_out() {
        TransactionCoordinator first = coordinator();
        first.initProducerId("till-1", TIMEOUT_MS);
        first.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0));

        TransactionCoordinator next = coordinator();
        next.recover();
        next.verify(ORDERS_0, 1000, (short) 0);
        clock.advance(Duration.ofMillis(TIMEOUT_MS + 1));
        assertEquals(1, next.abortTimedOut());
        assertEquals(List.of("ABORT orders-0 producer 1000 epoch 1"), markers);
    }

    @Test
    void an_id_idle_past_its_expiration_is_forgotten_for_good_and_starts_afresh() {
        TransactionCoordinator first = coordinator();
        first.initProducerId("till-1", TIMEOUT_MS);
        first.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0));
        first.initProducerId("till-2", TIMEOUT_MS);
        clock.advance(Duration.ofDays(7));
        assertEquals(1, first.removeExpired(Duration.ofDays(7).toMillis()),
                "till-2 was idle seven days; till-1's transaction is open, and its timeout is not this job's");
        assertEquals(List.of("till-1"), first.transactions().stream().map(Transaction::transactionalId).toList());
        assertTrue(events.stream().anyMatch(event -> event.contains("till-2") && event.contains("transactional.id.expiration.ms")),
                events.toString());
        TransactionException unknown = assertThrows(TransactionException.class,
                () -> first.addPartitions("till-2", 1001, (short) 0, List.of(ORDERS_1)));
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, unknown.error());

        TransactionCoordinator next = coordinator(); // after a restart: the tombstone holds
        next.recover();
        assertEquals(List.of("till-1"), next.transactions().stream().map(Transaction::transactionalId).toList());
        assertEquals(new ProducerIdAndEpoch(1002, (short) 0), next.initProducerId("till-2", TIMEOUT_MS),
                "a new producer id at epoch 0, as for an id never seen");
        assertEquals(0, next.removeExpired(Duration.ofDays(7).toMillis()), "till-2 was just used");
    }

    // ---- transaction version 2 (KIP-890) ----

    @Test
    void under_version_2_every_end_moves_the_producer_to_its_next_epoch_which_the_markers_carry() {
        TransactionCoordinator coordinator = coordinator();
        ProducerIdAndEpoch till = coordinator.initProducerId("till-1", TIMEOUT_MS);
        coordinator.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0), TransactionVersion.TV_2);

        ProducerIdAndEpoch afterCommit = coordinator.endTransaction("till-1", 1000, (short) 0, true,
                TransactionVersion.TV_2);
        assertEquals(new ProducerIdAndEpoch(till.producerId(), (short) 1), afterCommit);
        assertEquals(List.of("COMMIT orders-0 producer 1000 epoch 1"), markers, "the marker fences epoch 0");
        assertRefused(Errors.INVALID_PRODUCER_EPOCH, () -> coordinator.verify(ORDERS_0, 1000, (short) 0),
                "epoch 0", "fenced");

        coordinator.addPartitions("till-1", 1000, (short) 1, List.of(ORDERS_0), TransactionVersion.TV_2);
        assertEquals(new ProducerIdAndEpoch(1000, (short) 2), coordinator.endTransaction("till-1", 1000, (short) 1,
                false, TransactionVersion.TV_2));
        Transaction last = coordinator.transactions().get(0);
        assertEquals(TransactionState.COMPLETE_ABORT, last.state());
        assertEquals(TransactionVersion.TV_2, last.version());
        assertEquals(clock.millis(), last.startMs(), "the start stays after the end, as Kafka describes it");
    }

    @Test
    void under_version_2_a_retried_end_is_told_by_the_epoch_before_the_bump_and_a_second_commit_is_refused() {
        TransactionCoordinator coordinator = coordinator();
        coordinator.initProducerId("till-1", TIMEOUT_MS);
        coordinator.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0), TransactionVersion.TV_2);
        coordinator.endTransaction("till-1", 1000, (short) 0, true, TransactionVersion.TV_2);

        assertEquals(new ProducerIdAndEpoch(1000, (short) 1), coordinator.endTransaction("till-1", 1000, (short) 0,
                true, TransactionVersion.TV_2), "the retry is answered with the epoch it missed");
        assertEquals(1, markers.size(), "and writes nothing");
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.endTransaction("till-1", 1000, (short) 0, false,
                TransactionVersion.TV_2), "CompleteCommit");
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.endTransaction("till-1", 1000, (short) 1, true,
                TransactionVersion.TV_2), "CompleteCommit");
        assertRefused(Errors.PRODUCER_FENCED, () -> coordinator.endTransaction("till-1", 1000, (short) 5, true,
                TransactionVersion.TV_2), "epoch 5", "epoch 1");
    }

    @Test
    void under_version_2_an_abort_with_nothing_written_is_taken_and_moves_the_epoch_on() {
        TransactionCoordinator coordinator = coordinator();
        coordinator.initProducerId("till-1", TIMEOUT_MS);
        assertEquals(new ProducerIdAndEpoch(1000, (short) 1), coordinator.endTransaction("till-1", 1000, (short) 0,
                false, TransactionVersion.TV_2));
        assertTrue(markers.isEmpty(), "no partition, no marker");
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.endTransaction("till-1", 1000, (short) 1, true,
                TransactionVersion.TV_2), "CompleteAbort");
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.endTransaction("till-1", 1000, (short) 1, true,
                TransactionVersion.TV_0), "CompleteAbort");
    }

    @Test
    void under_version_2_the_last_epoch_ends_under_a_new_producer_id_at_epoch_0() {
        TransactionCoordinator coordinator = coordinator();
        short last = (short) (Short.MAX_VALUE - 1);
        store.write(new Transaction("till-1", 1000, last, TIMEOUT_MS, TransactionState.EMPTY, new TreeSet<>(),
                -1, clock.millis()));
        coordinator.recover();
        ids.set(2000);
        coordinator.addPartitions("till-1", 1000, last, List.of(ORDERS_0), TransactionVersion.TV_2);

        assertEquals(new ProducerIdAndEpoch(2000, (short) 0), coordinator.endTransaction("till-1", 1000, last, true,
                TransactionVersion.TV_2));
        assertEquals(List.of("COMMIT orders-0 producer 1000 epoch " + Short.MAX_VALUE), markers,
                "the old id's markers carry the one epoch no producer is given");
        assertEquals(new ProducerIdAndEpoch(2000, (short) 0), coordinator.endTransaction("till-1", 1000, last, true,
                TransactionVersion.TV_2), "a retry by the old id and its last epoch");
        assertEquals(new ProducerIdAndEpoch(2000, (short) 0), coordinator.initProducerId("till-1", TIMEOUT_MS, 1000,
                last), "InitProducerId from one that missed the rotation gets the new id, unbumped");
        coordinator.addPartitions("till-1", 2000, (short) 0, List.of(ORDERS_1), TransactionVersion.TV_2);
        coordinator.verify(ORDERS_1, 2000, (short) 0);
    }

    @Test
    void verifying_says_which_partitions_the_open_transaction_holds_and_adds_none() {
        TransactionCoordinator coordinator = coordinator();
        coordinator.initProducerId("till-1", TIMEOUT_MS);
        coordinator.addPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0));

        assertEquals(Map.of(ORDERS_0, Errors.NONE, ORDERS_1, Errors.TRANSACTION_ABORTABLE),
                coordinator.verifyPartitions("till-1", 1000, (short) 0, List.of(ORDERS_0, ORDERS_1)));
        assertEquals(Map.of(ORDERS_1, Errors.PRODUCER_FENCED),
                coordinator.verifyPartitions("till-1", 1000, (short) 3, List.of(ORDERS_1)));
        assertEquals(Map.of(ORDERS_1, Errors.INVALID_PRODUCER_ID_MAPPING),
                coordinator.verifyPartitions("nobody", 1000, (short) 0, List.of(ORDERS_1)));
        assertRefused(Errors.INVALID_TXN_STATE, () -> coordinator.verify(ORDERS_1, 1000, (short) 0), "orders-1");
    }

    @Test
    void a_version_2_transaction_is_read_back_with_its_version_and_next_producer_id() {
        Transaction deciding = new Transaction("till-1", 1000, (short) 4, TIMEOUT_MS, TransactionState.PREPARE_COMMIT,
                new TreeSet<>(Set.of(ORDERS_0)), 5, 6, TransactionVersion.TV_2, 999, 2000);
        assertEquals(deciding, TransactionLogRecords.decode(TransactionLogRecords.key("till-1"),
                TransactionLogRecords.value(deciding)));
        Transaction empty = new Transaction("till-2", 7, (short) 0, TIMEOUT_MS, TransactionState.EMPTY,
                new TreeSet<>(), -1, 6);
        assertEquals(empty, TransactionLogRecords.decode(TransactionLogRecords.key("till-2"),
                TransactionLogRecords.value(empty)));
    }
}
