package toykafka.storage.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.ApiException;
import toykafka.common.ControlRecord;
import toykafka.common.Errors;
import toykafka.common.FetchedBatches;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.storage.MemoryBatchLog;

/**
 * One partition's producer state, driven as its log drives it: idempotent batches built by Kafka's own client
 * library and transaction markers, each taken through {@link ProducerStateManager#prepareUpdate}, checked
 * ({@link ProducerAppendInfo#analyzeAndValidate}), written to a log in memory and recorded
 * ({@link ProducerAppendInfo#update}), as {@code BatchLog.appendAsLeader} does. What a producer, a {@code read_committed} consumer and
 * Kafka's tools see of it: retries answered from the last five batches, sequences and epochs checked, the
 * last stable offset held by open transactions, the aborted ones listed for reads, all of it read back from
 * the log by a new state after a start, and producers forgotten once retention took their batches.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProducerStateManagerTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final long TILL = 7;
    private static final long KITCHEN = 8;
    /** The base sequence of a batch the broker writes for a producer (Kafka's RecordBatch.NO_SEQUENCE). */
    private static final int NO_SEQUENCE = -1;

    private final ManualClock clock = new ManualClock(NOON);
    private final MemoryBatchLog log = new MemoryBatchLog(TopicConfig.defaults(), clock);
    private final RecordingIndex index = new RecordingIndex();
    private final ProducerStateManager state = new ProducerStateManager(log, index);

    /** How an append was answered: written at {@code offset}, or a retry answered with the first append's. */
    private record Answer(boolean duplicate, long offset) {
    }

    /** An index that remembers what it was told. */
    private static final class RecordingIndex implements AbortedIndex {
        final List<AbortedTxn> added = new ArrayList<>();
        final List<List<AbortedTxn>> rewritten = new ArrayList<>();
        final List<Long> rewrittenBelow = new ArrayList<>();
        boolean failRewrite;

        @Override
        public void add(AbortedTxn aborted) {
            added.add(aborted);
        }

        @Override
        public void rewrite(List<AbortedTxn> aborted, long below) {
            if (failRewrite) {
                throw new UncheckedIOException(new IOException("disk full"));
            }
            rewritten.add(List.copyOf(aborted));
            rewrittenBelow.add(below);
        }
    }

    // ---- batches ----

    private static Record[] records(int count) {
        Record[] records = new Record[count];
        for (int i = 0; i < count; i++) {
            records[i] = Record.of("k" + i, "v" + i, NOON.plusMillis(i));
        }
        return records;
    }

    private static ByteBuffer idempotent(long producerId, int epoch, int baseSequence, int count) {
        return ProducerBatches.idempotent(producerId, (short) epoch, baseSequence, records(count));
    }

    private static ByteBuffer transactional(long producerId, int epoch, int baseSequence, int count) {
        return ProducerBatches.transactional(producerId, (short) epoch, baseSequence, records(count));
    }

    private static ByteBuffer plain(int count) {
        return ProducerBatches.plain(records(count));
    }

    /** A batch the broker writes for a producer inside its transaction, as its coordinators build one. */
    private static ByteBuffer forCoordinator(long producerId, int epoch, int count) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(Record.of("group", "offset " + i, NOON));
        }
        RecordBatch batch = RecordBatch.of(records, 0, toykafka.common.Compression.NONE);
        batch.setProducer(producerId, (short) epoch, NO_SEQUENCE, RecordBatch.TRANSACTIONAL_BIT);
        return batch.buffer();
    }

    private ByteBuffer marker(long producerId, int epoch, boolean commit) {
        return new ControlRecord(commit, 0).batch(producerId, (short) epoch, NOON).buffer();
    }

    /** {@code batch} with a byte of its last record's value flipped on its way: its CRC no longer matches. */
    private static ByteBuffer damaged(ByteBuffer batch) {
        batch.put(batch.limit() - 2, (byte) (batch.get(batch.limit() - 2) ^ 0x55));
        return batch;
    }

    // ---- the log's calls ----

    /** A batch without a producer id: the log writes it without the producer state. */
    private long writePlain(int count) {
        return log.appendBatches(plain(count));
    }

    /**
     * {@code bytes} through {@code producers} as the log takes a producer's batch: checked, written by {@code write}
     * (which answers the first offset, or throws the log's refusal), recorded as stored, and let go.
     */
    private static Answer append(ProducerStateManager producers, ByteBuffer bytes, AppendOrigin origin,
                                 LongSupplier write) {
        try (ProducerAppendInfo producer = producers.prepareUpdate(ORDERS, RecordBatch.wrap(bytes.duplicate()), origin)) {
            Optional<BatchMetadata> first = producer.analyzeAndValidate();
            if (first.isPresent()) {
                return new Answer(true, first.get().baseOffset());
            }
            long at = write.getAsLong();
            producer.update(RecordBatch.wrap(bytes.duplicate())); // its offsets now in it
            return new Answer(false, at);
        }
    }

    private Answer append(ByteBuffer bytes) {
        return append(bytes, () -> log.appendBatches(bytes));
    }

    private Answer append(ByteBuffer bytes, LongSupplier write) {
        return append(state, bytes, AppendOrigin.CLIENT, write);
    }

    private long endTransaction(long producerId, int epoch, boolean commit) {
        return writeMarker(marker(producerId, epoch, commit), null);
    }

    /** A marker through the producer state, written by {@code write}, or to the log if that is null. */
    private long writeMarker(ByteBuffer bytes, LongSupplier write) {
        return append(state, bytes, AppendOrigin.COORDINATOR, write != null ? write : () -> log.appendBatches(bytes))
                .offset();
    }

    private long appendForCoordinator(ByteBuffer bytes) {
        return appendForCoordinator(bytes, () -> log.appendBatches(bytes));
    }

    private long appendForCoordinator(ByteBuffer bytes, LongSupplier write) {
        return append(state, bytes, AppendOrigin.COORDINATOR, write).offset();
    }

    /** {@code bytes} through the log's own append for producers, and its own producer state. */
    private Answer appendToLog(ByteBuffer bytes) {
        Optional<BatchMetadata> first = log.appendAsLeader(ORDERS, bytes, AppendOrigin.CLIENT);
        return first.isPresent() ? new Answer(true, first.get().baseOffset())
                : new Answer(false, RecordBatch.wrap(bytes.duplicate()).baseOffset());
    }

    private ActiveProducer producerInLog(long producerId) {
        return log.producerState().active().stream().filter(p -> p.producerId() == producerId).findFirst()
                .orElseThrow();
    }

    private Errors refusal(Runnable append) {
        long end = log.endOffset();
        ProducerStateException refused = assertThrows(ProducerStateException.class, append::run);
        assertEquals(end, log.endOffset(), "a refused batch is not written");
        return refused.error();
    }

    private ActiveProducer producer(long producerId) {
        return state.active().stream().filter(p -> p.producerId() == producerId).findFirst().orElseThrow();
    }

    private boolean knows(long producerId) {
        return state.active().stream().anyMatch(p -> p.producerId() == producerId);
    }

    // ---- retries and sequences ----

    @Test
    void a_retry_of_any_of_the_last_five_batches_is_answered_with_its_first_offset_and_not_written_again() {
        for (int seq = 0; seq < 12; seq += 2) {
            assertEquals(new Answer(false, seq), append(idempotent(TILL, 0, seq, 2)));
        }
        long end = log.endOffset();

        for (int seq = 2; seq < 12; seq += 2) {
            assertEquals(new Answer(true, seq), append(idempotent(TILL, 0, seq, 2)), "retry of sequence " + seq);
        }
        assertEquals(end, log.endOffset());
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, refusal(() -> append(idempotent(TILL, 0, 0, 2))),
                "the sixth batch back is out of Kafka's window of five");
    }

    @Test
    void a_batch_with_the_same_first_sequence_but_another_last_one_is_no_retry() {
        append(idempotent(TILL, 0, 0, 3));

        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, refusal(() -> append(idempotent(TILL, 0, 0, 2))));
    }

    @Test
    void a_damaged_retry_is_refused_as_corrupt_which_the_producer_retries_not_as_out_of_order() {
        appendToLog(idempotent(TILL, 0, 0, 2));
        appendToLog(idempotent(TILL, 0, 2, 2));

        ApiException refused = assertThrows(ApiException.class, () -> appendToLog(damaged(idempotent(TILL, 0, 0, 2))));

        assertEquals(Errors.CORRUPT_MESSAGE, refused.error(), refused.getMessage());
        assertEquals(4, log.endOffset());
        assertEquals(new Answer(true, 0), appendToLog(idempotent(TILL, 0, 0, 2)), "its next, undamaged, copy");
    }

    @Test
    void a_damaged_batch_is_answered_as_the_log_answers_it_and_leaves_the_producer_as_it_was() {
        appendToLog(idempotent(TILL, 0, 0, 2));

        ApiException damaged = assertThrows(ApiException.class, () -> appendToLog(damaged(idempotent(TILL, 0, 0, 2))));
        ApiException gap = assertThrows(ApiException.class, () -> appendToLog(damaged(idempotent(TILL, 0, 9, 2))));

        assertEquals(Errors.CORRUPT_MESSAGE, damaged.error(), "the log's answer: " + damaged.getMessage());
        assertEquals(Errors.CORRUPT_MESSAGE, gap.error(), "not judged out of order: " + gap.getMessage());
        assertEquals(new ActiveProducer(TILL, (short) 0, 1, NOON.toEpochMilli() + 1, -1), producerInLog(TILL));
    }

    @Test
    void a_damaged_batch_from_a_fenced_epoch_is_refused_as_corrupt_as_kafka_checks_the_crc_first() {
        appendToLog(idempotent(TILL, 3, 0, 2));

        ApiException refused = assertThrows(ApiException.class, () -> appendToLog(damaged(idempotent(TILL, 2, 0, 2))));

        assertEquals(Errors.CORRUPT_MESSAGE, refused.error(), refused.getMessage());
        assertEquals(1, producerInLog(TILL).lastSequence());
    }

    @Test
    void a_gap_in_the_sequences_is_refused_but_a_producer_new_to_the_partition_may_start_anywhere() {
        assertEquals(new Answer(false, 0), append(idempotent(TILL, 3, 42, 2)));

        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, refusal(() -> append(idempotent(TILL, 3, 45, 1))));
        assertEquals(new Answer(false, 2), append(idempotent(TILL, 3, 44, 1)));
        assertEquals(new ActiveProducer(TILL, (short) 3, 44, NOON.toEpochMilli(), -1), producer(TILL));
    }

    @Test
    void sequences_go_on_from_zero_after_the_largest_int() {
        append(idempotent(TILL, 0, Integer.MAX_VALUE, 1));

        assertEquals(new Answer(false, 1), append(idempotent(TILL, 0, 0, 1)));
        assertEquals(0, producer(TILL).lastSequence());
    }

    @Test
    void an_older_epoch_is_fenced_and_a_newer_one_starts_at_sequence_zero() {
        append(idempotent(TILL, 5, 0, 2));

        assertEquals(Errors.INVALID_PRODUCER_EPOCH, refusal(() -> append(idempotent(TILL, 4, 2, 1))));
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, refusal(() -> append(idempotent(TILL, 6, 2, 1))));
        assertEquals(new Answer(false, 2), append(idempotent(TILL, 6, 0, 1)));
        assertEquals(6, producer(TILL).epoch());
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, refusal(() -> append(idempotent(TILL, 5, 0, 2))),
                "a retry from the fenced epoch is no duplicate");
    }

    @Test
    void a_new_epoch_that_repeats_the_old_one_s_sequences_is_written_and_its_own_retries_answered() {
        append(idempotent(TILL, 0, 0, 2));     // 0-1

        assertEquals(new Answer(false, 2), append(idempotent(TILL, 1, 0, 2)), "no retry: another epoch");
        assertEquals(new Answer(true, 2), append(idempotent(TILL, 1, 0, 2)),
                "a retry in the new epoch is answered with its own batch, not the old epoch's");
        assertEquals(new Answer(false, 4), append(idempotent(TILL, 1, 2, 1)));
    }

    @Test
    void the_refusal_says_whether_batches_are_missing_or_the_retry_is_too_old() {
        for (int seq = 0; seq < 6; seq++) {
            append(idempotent(TILL, 0, seq, 1));
        }

        ProducerStateException gap = assertThrows(ProducerStateException.class,
                () -> append(idempotent(TILL, 0, 9, 1)));
        ProducerStateException old = assertThrows(ProducerStateException.class,
                () -> append(idempotent(TILL, 0, 0, 1)));

        assertTrue(gap.getMessage().contains("expected sequence 6, received 9 (a gap"), gap.getMessage());
        assertTrue(old.getMessage().contains("expected sequence 6, received 0 (a retry of a batch older than the"
                + " last 5"), old.getMessage());
    }

    @Test
    void a_first_batch_the_log_refuses_leaves_no_producer_behind() {
        assertThrows(IllegalStateException.class,
                () -> append(idempotent(TILL, 0, 7, 1), () -> { throw new IllegalStateException("disk gone"); }));

        assertEquals(0, state.size());
        assertEquals(List.of(), state.active());
        assertEquals(new Answer(false, 0), append(idempotent(TILL, 0, 3, 1)), "still new: any sequence goes");
    }

    @Test
    void a_producer_whose_one_record_is_the_log_s_first_is_remembered() {
        assertEquals(new Answer(false, 0), append(idempotent(TILL, 0, 0, 1)));

        assertTrue(knows(TILL));
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, refusal(() -> append(idempotent(TILL, 0, 5, 1))));
    }

    @Test
    void a_copy_that_waited_for_a_refused_first_append_is_judged_as_the_producer_s_first() throws Exception {
        ByteBuffer second = idempotent(TILL, 0, 0, 1);
        Answer[] secondAnswer = new Answer[1];
        Thread[] waiting = new Thread[1];

        assertThrows(IllegalStateException.class, () -> append(idempotent(TILL, 0, 0, 1), () -> {
            waiting[0] = new Thread(() -> secondAnswer[0] = append(second)); // another connection's copy
            waiting[0].start();
            while (waiting[0].getState() != Thread.State.WAITING) { // it waits for this append's producer
                Thread.onSpinWait();
            }
            throw new IllegalStateException("disk gone");
        }));
        waiting[0].join();

        assertEquals(new Answer(false, 0), secondAnswer[0]);
        assertTrue(knows(TILL), "the producer the written copy is remembered by is the partition's");
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, refusal(() -> append(idempotent(TILL, 0, 5, 1))));
    }

    @Test
    void known_producers_are_described_in_producer_id_order() {
        long bar = 33; // a hash table keeps it ahead of the others: the order is the answer's, not the table's
        append(idempotent(KITCHEN, 1, 0, 3));
        append(idempotent(bar, 0, 0, 1));
        append(idempotent(TILL, 2, 0, 1));
        append(transactional(3, 0, 0, 1));

        assertEquals(List.of(
                new ActiveProducer(3, (short) 0, 0, NOON.toEpochMilli(), 5),
                new ActiveProducer(TILL, (short) 2, 0, NOON.toEpochMilli(), -1),
                new ActiveProducer(KITCHEN, (short) 1, 2, NOON.toEpochMilli() + 2, -1),
                new ActiveProducer(bar, (short) 0, 0, NOON.toEpochMilli(), -1)), state.active());
        assertEquals(4, state.size());
    }

    // ---- transactions ----

    @Test
    void an_open_transaction_holds_the_last_stable_offset_at_its_first_record_until_committed() {
        append(idempotent(KITCHEN, 0, 0, 2));
        append(transactional(TILL, 0, 0, 2));
        append(transactional(TILL, 0, 2, 2));

        assertEquals(2, state.lastStableOffset());
        assertEquals(List.of(new ProducerStateManager.Open(2, TILL)), state.openTransactions());
        assertEquals(2, producer(TILL).transactionStartOffset());

        long at = endTransaction(TILL, 0, true);

        assertEquals(6, at);
        assertEquals(7, state.lastStableOffset());
        assertEquals(List.of(), state.openTransactions());
        assertEquals(List.of(), state.aborted(), "a commit is not remembered for reads");
        assertEquals(List.of(), index.added);
        assertEquals(-1, producer(TILL).transactionStartOffset());
    }

    @Test
    void a_plain_batch_from_a_producer_with_an_open_transaction_is_refused() {
        append(transactional(TILL, 0, 0, 1));

        assertEquals(Errors.INVALID_TXN_STATE, refusal(() -> append(idempotent(TILL, 0, 1, 1))));
        endTransaction(TILL, 0, true);
        assertEquals(new Answer(false, 2), append(idempotent(TILL, 0, 1, 1)));
    }

    @Test
    void an_aborted_transaction_is_listed_for_reads_and_written_to_the_index() {
        append(transactional(TILL, 0, 0, 3));

        endTransaction(TILL, 0, false);

        AbortedTxn aborted = new AbortedTxn(TILL, 0, 3, 4);
        assertEquals(List.of(aborted), state.aborted());
        assertEquals(List.of(aborted), index.added);
        assertEquals(4, state.lastStableOffset());
    }

    @Test
    void a_read_that_sees_the_last_stable_offset_past_an_aborted_transaction_is_given_it() throws Exception {
        // Each transaction is one record (an even offset) and its ABORT marker (the odd one after it). A
        // read_committed fetch takes the last stable offset, then the aborted transactions below it: once the
        // stable offset has passed a transaction, the list must hold it, or the consumer keeps its records.
        int transactions = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> unlisted = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get() && unlisted.get() == null) {
                long stable;
                try {
                    stable = state.lastStableOffset();
                } catch (RuntimeException e) {
                    unlisted.set("the last stable offset could not be read: " + e);
                    return;
                }
                if (stable < 2) {
                    continue;
                }
                long record = (stable - 1) & ~1L; // the last transaction's record below the stable offset
                boolean listed = state.abortedOverlapping(record, stable).stream()
                        .anyMatch(aborted -> aborted.firstOffset() <= record && record <= aborted.lastOffset());
                if (!listed) {
                    unlisted.set("stable offset " + stable + " passed the aborted record at " + record
                            + " but no aborted transaction was listed for it");
                }
            }
        });
        reader.start();
        try {
            for (int i = 0; i < transactions && unlisted.get() == null; i++) {
                append(transactional(TILL, 0, i, 1));
                endTransaction(TILL, 0, false);
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertNull(unlisted.get());
    }

    @Test
    void an_abort_while_an_older_transaction_is_open_leaves_the_last_stable_offset_at_that_one() {
        append(transactional(TILL, 0, 0, 2));
        append(transactional(KITCHEN, 0, 0, 2));

        endTransaction(KITCHEN, 0, false);

        assertEquals(List.of(new AbortedTxn(KITCHEN, 2, 4, 0)), state.aborted());
        assertEquals(0, state.lastStableOffset());
        endTransaction(TILL, 0, false);
        assertEquals(new AbortedTxn(TILL, 0, 5, 6), state.aborted().get(1));
        assertEquals(6, state.lastStableOffset());
    }

    @Test
    void a_transaction_that_begins_at_the_log_s_first_offset_ends_whole() {
        append(transactional(TILL, 0, 0, 2));  // 0-1
        append(transactional(TILL, 0, 2, 2));  // 2-3

        assertEquals(List.of(new ProducerStateManager.Open(0, TILL)), state.openTransactions());
        endTransaction(TILL, 0, true);        // 4

        assertEquals(List.of(), state.openTransactions());
        assertEquals(5, state.lastStableOffset());
    }

    @Test
    void an_aborted_transaction_that_begins_at_the_log_s_first_offset_is_listed_from_there() {
        append(transactional(TILL, 0, 0, 2));  // 0-1
        append(transactional(TILL, 0, 2, 1));  // 2

        endTransaction(TILL, 0, false);       // 3

        assertEquals(List.of(new AbortedTxn(TILL, 0, 3, 4)), state.aborted());
    }

    @Test
    void a_read_is_given_the_aborted_transactions_whose_records_it_may_hold() {
        append(transactional(TILL, 0, 0, 2));   // 0-1
        endTransaction(TILL, 0, false);         // 2
        writePlain(2);                          // 3-4
        append(transactional(KITCHEN, 0, 0, 1)); // 5
        endTransaction(KITCHEN, 0, false);      // 6
        AbortedTxn till = new AbortedTxn(TILL, 0, 2, 3);
        AbortedTxn kitchen = new AbortedTxn(KITCHEN, 5, 6, 7);

        assertEquals(List.of(till, kitchen), state.abortedOverlapping(0, 7));
        assertEquals(List.of(till), state.abortedOverlapping(0, 5), "the second begins where the read stops");
        assertEquals(List.of(till, kitchen), state.abortedOverlapping(2, 6), "a read from the first's marker");
        assertEquals(List.of(kitchen), state.abortedOverlapping(3, 7));
        assertEquals(List.of(), state.abortedOverlapping(3, 5));
        assertEquals(List.of(), state.abortedOverlapping(0, 0));
    }

    @Test
    void a_marker_for_a_producer_that_wrote_nothing_here_is_an_empty_transaction_at_the_marker() {
        append(idempotent(KITCHEN, 0, 0, 2));

        endTransaction(TILL, 4, false);

        assertEquals(List.of(new AbortedTxn(TILL, 2, 2, 3)), state.aborted());
        assertTrue(knows(TILL), "its marker is in the log, so the producer is remembered by it");
        assertEquals(4, producer(TILL).epoch());
    }

    @Test
    void a_marker_from_an_older_epoch_is_fenced_and_one_from_a_newer_epoch_fences_the_old_instance() {
        append(transactional(TILL, 3, 0, 2));

        assertEquals(Errors.INVALID_PRODUCER_EPOCH, refusal(() -> endTransaction(TILL, 2, true)));
        assertEquals(0, state.lastStableOffset());

        endTransaction(TILL, 4, false); // the coordinator aborts for a newer instance

        assertEquals(4, producer(TILL).epoch());
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, refusal(() -> append(transactional(TILL, 3, 2, 1))));
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, refusal(() -> append(transactional(TILL, 4, 2, 1))),
                "the old epoch's sequences mean nothing in the new one");
        assertEquals(new Answer(false, 3), append(transactional(TILL, 4, 0, 1)));
    }

    @Test
    void the_last_stable_offset_is_held_while_a_first_transactional_batch_is_written() {
        writePlain(3);
        long[] seen = new long[1];

        append(transactional(TILL, 0, 0, 2), () -> {
            long at = log.appendBatches(transactional(TILL, 0, 0, 2)); // the log's end moves here
            seen[0] = state.lastStableOffset();
            return at;
        });

        assertEquals(3, seen[0], "a read during the write must not pass the batch being written");
    }

    @Test
    void a_failed_first_transactional_batch_opens_no_transaction() {
        writePlain(3);

        assertThrows(IllegalStateException.class, () -> append(transactional(TILL, 0, 0, 2),
                () -> { throw new IllegalStateException("disk gone"); }));

        assertEquals(List.of(), state.openTransactions());
        assertEquals(3, state.lastStableOffset());
        assertEquals(0, state.size());
    }

    @Test
    void a_transaction_opens_where_its_batch_landed_even_if_another_append_got_in_first() {
        writePlain(2);
        ByteBuffer bytes = transactional(TILL, 0, 0, 1);

        append(bytes, () -> {
            log.appendBatches(plain(3)); // a plain append takes no producer's lock: it may come in between
            return log.appendBatches(bytes);
        });

        assertEquals(List.of(new ProducerStateManager.Open(5, TILL)), state.openTransactions());
        assertEquals(5, state.lastStableOffset());
    }

    @Test
    void a_batch_the_coordinator_writes_in_a_transaction_opens_it_without_a_sequence() {
        writePlain(2);
        long[] seen = new long[1];
        ByteBuffer offsets = forCoordinator(TILL, 1, 1);

        long at = appendForCoordinator(offsets, () -> {
            long written = log.appendBatches(offsets);
            seen[0] = state.lastStableOffset();
            return written;
        });

        assertEquals(2, at);
        assertEquals(2, seen[0], "held while written");
        assertEquals(List.of(new ProducerStateManager.Open(2, TILL)), state.openTransactions());
        assertEquals(2, producer(TILL).transactionStartOffset());
        assertEquals(-1, producer(TILL).lastSequence(), "no sequence: nothing to match retries with");
        appendForCoordinator(forCoordinator(TILL, 1, 1));
        assertEquals(List.of(new ProducerStateManager.Open(2, TILL)), state.openTransactions(),
                "a second batch of the transaction opens nothing new");

        endTransaction(TILL, 1, true);
        assertEquals(List.of(), state.openTransactions());
        assertEquals(5, state.lastStableOffset());
    }

    @Test
    void a_coordinator_batch_at_the_log_s_first_offset_opens_a_transaction_its_marker_ends() {
        appendForCoordinator(forCoordinator(TILL, 0, 2)); // 0-1

        assertTrue(knows(TILL), "its transaction is open, though it wrote no sequence");
        assertEquals(0, state.lastStableOffset());
        endTransaction(TILL, 0, false);                   // 2

        assertEquals(List.of(), state.openTransactions());
        assertEquals(3, state.lastStableOffset());
        assertEquals(List.of(new AbortedTxn(TILL, 0, 2, 3)), state.aborted());
    }

    @Test
    void a_marker_the_log_fails_to_write_leaves_no_producer_behind() {
        append(idempotent(KITCHEN, 0, 0, 1));
        ByteBuffer bytes = marker(TILL, 0, false);

        assertThrows(IllegalStateException.class,
                () -> writeMarker(bytes, () -> { throw new IllegalStateException("disk gone"); }));

        assertFalse(knows(TILL));
        assertEquals(List.of(), state.aborted());
        assertEquals(1, state.size());
    }

    @Test
    void a_coordinator_batch_from_an_older_epoch_is_fenced_and_a_failed_one_opens_nothing() {
        append(idempotent(TILL, 2, 0, 1));

        assertEquals(Errors.INVALID_PRODUCER_EPOCH,
                refusal(() -> appendForCoordinator(forCoordinator(TILL, 1, 1))));
        ByteBuffer offsets = forCoordinator(KITCHEN, 0, 1);
        assertThrows(IllegalStateException.class,
                () -> appendForCoordinator(offsets, () -> { throw new IllegalStateException("disk gone"); }));

        assertEquals(List.of(), state.openTransactions());
        assertEquals(1, state.lastStableOffset());
        assertFalse(knows(KITCHEN));
    }

    // ---- read back from the log ----

    @Test
    void a_new_state_reads_producers_transactions_and_aborts_back_from_the_log() {
        writePlain(2);
        append(idempotent(KITCHEN, 1, 0, 2));                 // 2-3
        append(transactional(TILL, 0, 0, 2));                 // 4-5
        endTransaction(TILL, 0, false);                       // 6
        append(idempotent(KITCHEN, 1, 2, 1));                 // 7
        append(transactional(TILL, 0, 2, 1));                 // 8
        writePlain(1);                                     // 9

        RecordingIndex restarted = new RecordingIndex();
        ProducerStateManager after = new ProducerStateManager(log, restarted);

        assertFalse(after.loaded());
        assertEquals(OptionalLong.empty(), after.lastStableOffsetIfLoaded());
        assertEquals(List.of(new AbortedTxn(TILL, 4, 6, 7)), after.aborted());
        assertTrue(after.loaded());
        assertEquals(OptionalLong.of(8), after.lastStableOffsetIfLoaded());
        assertEquals(List.of(new ProducerStateManager.Open(8, TILL)), after.openTransactions());
        assertEquals(List.of(List.of(new AbortedTxn(TILL, 4, 6, 7))), restarted.rewritten,
                "the indexes are made to say what the markers said");
        assertEquals(List.of(Long.MAX_VALUE), restarted.rewrittenBelow);
        assertEquals(List.of(), restarted.added, "a rebuild adds nothing one by one");
        assertEquals(state.active(), after.active());

        ByteBuffer retry = idempotent(KITCHEN, 1, 2, 1);
        assertEquals(new Answer(true, 7), append(after, retry, AppendOrigin.CLIENT, () -> log.appendBatches(retry)));
    }

    @Test
    void the_aborted_transactions_a_read_asks_for_are_read_from_the_log_first() {
        append(transactional(TILL, 0, 0, 2));
        endTransaction(TILL, 0, false);

        ProducerStateManager after = new ProducerStateManager(log, AbortedIndex.NONE);

        assertEquals(List.of(new AbortedTxn(TILL, 0, 2, 3)), after.abortedOverlapping(0, 3));
    }

    @Test
    void the_last_stable_offset_after_a_start_is_read_from_the_log_first() {
        writePlain(1);
        append(transactional(TILL, 0, 0, 2));
        writePlain(1);

        assertEquals(1, new ProducerStateManager(log, AbortedIndex.NONE).lastStableOffset());
        assertEquals(List.of(new ProducerStateManager.Open(1, TILL)),
                new ProducerStateManager(log, AbortedIndex.NONE).openTransactions());
        assertEquals(1, new ProducerStateManager(log, AbortedIndex.NONE).active().size());
    }

    @Test
    void a_log_longer_than_one_read_is_read_back_whole() {
        int seq = 0;
        while (log.endOffset() < 30_000) { // well over a MiB of batches
            append(idempotent(TILL, 0, seq, 100));
            seq += 100;
        }
        append(transactional(KITCHEN, 0, 0, 1));
        long kitchenAt = log.endOffset() - 1;

        ProducerStateManager after = new ProducerStateManager(log, AbortedIndex.NONE);

        assertEquals(seq - 1, after.active().get(0).lastSequence());
        assertEquals(kitchenAt, after.lastStableOffset());
    }

    @Test
    void a_start_goes_on_from_the_new_log_start_when_retention_removes_what_it_was_reading() {
        append(idempotent(TILL, 0, 0, 2));     // 0-1
        append(idempotent(KITCHEN, 0, 0, 2));  // 2-3
        append(idempotent(KITCHEN, 0, 2, 2));  // 4-5
        boolean[] removed = {false};
        ProducerLog retained = new ProducerLog() {
            @Override
            public long earliest() {
                return log.earliest();
            }

            @Override
            public long endOffset() {
                return log.endOffset();
            }

            @Override
            public FetchedBatches fetch(long fromOffset, ByteBuffer into) {
                if (!removed[0]) { // retention runs between the start offset read and the first fetch
                    removed[0] = true;
                    log.deleteRecordsBefore(2);
                }
                return log.fetch(fromOffset, into);
            }
        };

        ProducerStateManager after = new ProducerStateManager(retained, AbortedIndex.NONE);

        assertEquals(List.of(new ActiveProducer(KITCHEN, (short) 0, 3, NOON.toEpochMilli() + 1, -1)), after.active());
    }

    @Test
    void a_start_stops_at_the_last_batch_when_the_log_s_end_lies_past_it() {
        append(idempotent(TILL, 0, 0, 2));
        ProducerLog compacted = new ProducerLog() { // the cleaner removed the last records, not the end offset
            @Override
            public long earliest() {
                return log.earliest();
            }

            @Override
            public long endOffset() {
                return log.endOffset() + 3;
            }

            @Override
            public FetchedBatches fetch(long fromOffset, ByteBuffer into) {
                return log.fetch(fromOffset, into);
            }
        };

        ProducerStateManager after = new ProducerStateManager(compacted, AbortedIndex.NONE);

        assertEquals(1, after.active().get(0).lastSequence());
        assertEquals(5, after.lastStableOffset());
    }

    @Test
    void a_start_whose_indexes_cannot_be_written_still_knows_its_producers() {
        append(transactional(TILL, 0, 0, 2));
        endTransaction(TILL, 0, false);
        RecordingIndex unwritable = new RecordingIndex();
        unwritable.failRewrite = true;

        ProducerStateManager after = new ProducerStateManager(log, unwritable);

        assertEquals(List.of(new AbortedTxn(TILL, 0, 2, 3)), after.aborted());
        assertTrue(after.loaded());
        assertEquals(3, after.lastStableOffset());
    }

    // ---- retention ----

    @Test
    void a_producer_whose_last_batch_retention_removed_is_forgotten_and_may_start_anywhere() {
        append(idempotent(TILL, 0, 0, 2));     // 0-1
        append(idempotent(KITCHEN, 0, 0, 2));  // 2-3
        append(idempotent(KITCHEN, 0, 2, 2));  // 4-5

        log.deleteRecordsBefore(2);
        assertEquals(new Answer(false, 6), append(idempotent(KITCHEN, 0, 4, 1)));

        assertFalse(knows(TILL));
        assertEquals(1, state.size());
        assertEquals(new Answer(false, 7), append(idempotent(TILL, 0, 50, 1)), "unknown again: any sequence goes");
    }

    @Test
    void a_producer_whose_last_record_is_the_first_the_log_holds_is_still_checked() {
        append(idempotent(TILL, 0, 0, 2));     // 0-1
        append(idempotent(KITCHEN, 0, 0, 2));  // 2-3

        log.deleteRecordsBefore(1);

        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, refusal(() -> append(idempotent(TILL, 0, 50, 1))));
        assertEquals(new Answer(true, 0), append(idempotent(TILL, 0, 0, 2)),
                "its whole last batch is remembered, the part below the start too");
    }

    @Test
    void a_producer_with_an_open_transaction_is_kept_whatever_retention_removed() {
        append(transactional(TILL, 0, 0, 2));  // 0-1
        append(idempotent(KITCHEN, 0, 0, 2));  // 2-3

        log.deleteRecordsBefore(3);
        append(idempotent(KITCHEN, 0, 2, 1));

        assertTrue(knows(TILL));
        assertEquals(0, state.lastStableOffset());
        assertEquals(Errors.INVALID_TXN_STATE, refusal(() -> append(idempotent(TILL, 0, 2, 1))));
    }

    @Test
    void an_abort_whose_marker_retention_removed_is_no_longer_listed() {
        append(transactional(TILL, 0, 0, 2));   // 0-1
        endTransaction(TILL, 0, false);         // 2
        append(transactional(KITCHEN, 0, 0, 1)); // 3
        endTransaction(KITCHEN, 0, false);      // 4

        log.deleteRecordsBefore(3);
        append(idempotent(5, 0, 0, 1));

        assertEquals(List.of(new AbortedTxn(KITCHEN, 3, 4, 5)), state.aborted());
        assertFalse(knows(TILL), "its marker, its last record here, is gone too");
    }

    @Test
    void a_producer_whose_marker_is_the_first_record_the_log_holds_is_still_known() {
        append(transactional(TILL, 0, 0, 2));  // 0-1
        endTransaction(TILL, 0, true);        // 2
        append(idempotent(KITCHEN, 0, 0, 2));  // 3-4

        log.deleteRecordsBefore(2);
        append(idempotent(KITCHEN, 0, 2, 1));

        assertTrue(knows(TILL), "a start would read its marker, and know it by it");
        assertEquals(List.of(TILL, KITCHEN), new ProducerStateManager(log, AbortedIndex.NONE).active().stream()
                .map(ActiveProducer::producerId).toList());
    }

    @Test
    void an_abort_whose_marker_is_the_first_record_the_log_holds_is_still_listed() {
        append(transactional(TILL, 0, 0, 2));  // 0-1
        endTransaction(TILL, 0, false);       // 2
        append(idempotent(KITCHEN, 0, 0, 1));  // 3

        log.deleteRecordsBefore(2);
        append(idempotent(KITCHEN, 0, 1, 1));

        assertEquals(List.of(new AbortedTxn(TILL, 0, 2, 3)), state.aborted());
    }

    @Test
    void a_start_after_retention_reads_from_the_log_start() {
        append(idempotent(TILL, 0, 0, 2));     // 0-1
        append(idempotent(KITCHEN, 0, 0, 2));  // 2-3
        log.deleteRecordsBefore(2);

        ProducerStateManager after = new ProducerStateManager(log, AbortedIndex.NONE);

        assertEquals(List.of(KITCHEN), after.active().stream().map(ActiveProducer::producerId).toList());
        assertEquals(1, after.size());
    }
}
