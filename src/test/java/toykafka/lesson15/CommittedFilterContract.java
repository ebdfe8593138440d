package toykafka.lesson15;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.AbortedTransaction;
import toykafka.common.Compression;
import toykafka.common.ControlRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;

/**
 * What a {@code read_committed} consumer hands on, for every {@link CommittedFilter}: the reference
 * {@link AbortedTransactionFilter} and the learner's class ({@code ./toykafka check 15}). Each case is a
 * partition's log written by hand, batch by batch, with the aborted transactions a broker would list for it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class CommittedFilterContract {

    private static final long TILL = 7;
    private static final long CASHIER = 11;
    private static final long OTHER_CASHIER = 12;

    protected abstract CommittedFilter newFilter();

    /** A partition's log, written a batch at a time, each at the next offset. */
    private static final class Log {
        final List<RecordBatch> batches = new ArrayList<>();
        long next;

        /** A data batch of {@code records} records; producer -1 is a plain producer's, with no id at all. */
        Log data(long producerId, boolean transactional, int records) {
            List<Record> values = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                values.add(Record.of("order-" + (next + i), "bill", Instant.EPOCH));
            }
            RecordBatch batch = RecordBatch.of(values, next, Compression.NONE);
            if (producerId >= 0) {
                batch.setProducer(producerId, (short) 0, 0, transactional ? RecordBatch.TRANSACTIONAL_BIT : 0);
            }
            return add(batch);
        }

        Log marker(long producerId, boolean commit) {
            RecordBatch batch = new ControlRecord(commit, 0).batch(producerId, (short) 0, Instant.EPOCH);
            batch.setBaseOffset(next);
            return add(batch);
        }

        private Log add(RecordBatch batch) {
            batches.add(batch);
            next = batch.nextOffset();
            return this;
        }
    }

    /** The base offsets of the batches the filter kept. */
    private List<Long> kept(Log log, AbortedTransaction... aborted) {
        return newFilter().committed(List.copyOf(log.batches), List.of(aborted)).stream()
                .map(RecordBatch::baseOffset).toList();
    }

    @Test
    void batches_outside_any_transaction_are_all_handed_on() {
        Log log = new Log().data(-1, false, 3).data(TILL, false, 2).data(-1, false, 1);
        assertEquals(List.of(0L, 3L, 5L), kept(log));
    }

    @Test
    void nothing_fetched_is_nothing_handed_on() {
        assertEquals(List.of(), kept(new Log()));
    }

    @Test
    void a_committed_transaction_is_handed_on_and_its_marker_is_not() {
        Log log = new Log().data(CASHIER, true, 2).data(CASHIER, true, 1).marker(CASHIER, true).data(-1, false, 1);
        assertEquals(List.of(0L, 2L, 4L), kept(log), "offset 3 is the COMMIT marker");
    }

    @Test
    void an_aborted_transaction_is_dropped_with_its_marker_and_the_batches_around_it_are_kept() {
        Log log = new Log().data(TILL, false, 1).data(CASHIER, true, 2).data(TILL, false, 1).data(CASHIER, true, 1)
                .marker(CASHIER, false).data(TILL, false, 1);
        assertEquals(List.of(0L, 3L, 6L), kept(log, new AbortedTransaction(CASHIER, 1)));
    }

    @Test
    @DisplayName("another producer's transaction among the aborted one is kept if it committed")
    void another_producers_transaction_among_the_aborted_one_is_kept_if_it_committed() {
        Log log = new Log().data(CASHIER, true, 1).data(OTHER_CASHIER, true, 1).data(CASHIER, true, 1)
                .marker(OTHER_CASHIER, true).marker(CASHIER, false);
        assertEquals(List.of(1L), kept(log, new AbortedTransaction(CASHIER, 0)));
    }

    @Test
    @DisplayName("the aborted range ends at the abort marker, so the producer's next transaction is kept")
    void the_aborted_range_ends_at_the_abort_marker_so_the_producers_next_transaction_is_kept() {
        Log log = new Log().data(CASHIER, true, 2).marker(CASHIER, false).data(CASHIER, true, 1)
                .marker(CASHIER, true);
        assertEquals(List.of(3L), kept(log, new AbortedTransaction(CASHIER, 0)));
    }

    @Test
    void the_aborted_range_begins_at_its_first_offset_so_an_earlier_committed_transaction_is_kept() {
        Log log = new Log().data(CASHIER, true, 1).marker(CASHIER, true).data(CASHIER, true, 2)
                .marker(CASHIER, false);
        assertEquals(List.of(0L), kept(log, new AbortedTransaction(CASHIER, 2)));
    }

    @Test
    void aborted_transactions_may_be_listed_in_any_order() {
        Log log = new Log().data(CASHIER, true, 1).marker(CASHIER, false).data(OTHER_CASHIER, true, 1)
                .marker(OTHER_CASHIER, true).data(CASHIER, true, 1).marker(CASHIER, false).data(-1, false, 1);
        assertEquals(List.of(2L, 6L), kept(log, new AbortedTransaction(CASHIER, 4), new AbortedTransaction(CASHIER, 0)));
    }

    @Test
    void only_transactional_batches_are_dropped_even_of_a_producer_inside_an_aborted_transaction() {
        Log log = new Log().data(CASHIER, true, 1).data(CASHIER, false, 1).marker(CASHIER, false);
        assertEquals(List.of(1L), kept(log, new AbortedTransaction(CASHIER, 0)));
    }
}
