package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions.Acks;
import toykafka.check.MessageFacts;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.common.ProducerBatches;

/**
 * Idempotent producers in the data path, with batches built by Kafka's own client library as the oracle
 * for their bytes: a retry of one of the last five batches is answered with its first offset and written
 * once, gaps and fenced epochs are refused with Kafka's codes, and the state outlives a restart.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IdempotentProducerTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final long PRODUCER = 7;

    private final ManualClock clock = new ManualClock(NOON);
    @StartedBroker(clock = "clock")
    RunningBroker running;

    @BeforeEach
    void createTopic() {
        broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
    }

    private Broker broker() {
        return running.broker();
    }

    /** A batch of {@code count} records as an idempotent producer sends it. */
    private static ByteBuffer batch(long producerId, int epoch, int baseSequence, int count) {
        Record[] records = new Record[count];
        for (int i = 0; i < count; i++) {
            records[i] = Record.of("till-" + i, "sequence " + (baseSequence + i), NOON);
        }
        return ProducerBatches.idempotent(producerId, (short) epoch, baseSequence, records);
    }

    private AppendResult append(ByteBuffer batches) {
        return broker().partitions().append(Map.of(ORDERS, batches), Acks.ALL).get(ORDERS);
    }

    private long endOffset() {
        return broker().partitions().listOffsets(ORDERS, Partitions.LATEST).offset();
    }

    private static void assertRefused(Errors expected, AppendResult result, Object... facts) {
        assertEquals(expected, result.error(), result.message());
        MessageFacts.assertMentions(new IllegalStateException(result.message()), facts);
    }

    @Test
    void batches_in_sequence_are_written_one_after_another() {
        assertEquals(0, append(batch(PRODUCER, 0, 0, 3)).baseOffset());
        assertEquals(3, append(batch(PRODUCER, 0, 3, 2)).baseOffset());
        assertEquals(5, append(batch(PRODUCER, 0, 5, 1)).baseOffset());
        assertEquals(6, endOffset());
    }

    @Test
    void a_retry_of_any_of_the_last_five_batches_gets_its_first_offset_and_nothing_is_written() {
        List<Long> offsets = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            AppendResult written = append(batch(PRODUCER, 0, b * 2, 2));
            assertEquals(Errors.NONE, written.error(), written.message());
            offsets.add(written.baseOffset());
        }
        for (int b = 1; b < 6; b++) {
            AppendResult retry = append(batch(PRODUCER, 0, b * 2, 2));
            assertEquals(Errors.NONE, retry.error(), "a duplicate is answered as a success, as Kafka does");
            assertEquals(offsets.get(b), retry.baseOffset(), "batch " + b + "'s retry");
            assertEquals(-1, retry.logAppendTime(), "CreateTime: no log append time");
            assertEquals(12, endOffset(), "nothing written for a retry");
        }
        assertRefused(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, append(batch(PRODUCER, 0, 0, 2)), 12, 0);
        assertEquals(12, endOffset(), "the sixth batch back is out of the window: refused, not written again");
        assertEquals(12, append(batch(PRODUCER, 0, 12, 1)).baseOffset(), "the producer goes on");
    }

    @Test
    void a_gap_is_refused_naming_the_sequence_expected_and_the_one_received() {
        append(batch(PRODUCER, 0, 0, 2));
        assertRefused(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, append(batch(PRODUCER, 0, 5, 1)), PRODUCER, 2, 5);
        assertEquals(2, endOffset());
    }

    @Test
    void an_older_epoch_is_fenced_and_a_newer_one_starts_at_sequence_0() {
        append(batch(PRODUCER, 3, 0, 2));
        assertRefused(Errors.INVALID_PRODUCER_EPOCH, append(batch(PRODUCER, 2, 2, 1)), 2, 3);
        assertRefused(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, append(batch(PRODUCER, 4, 2, 1)), 4, 2);
        assertEquals(2, endOffset());
        assertEquals(2, append(batch(PRODUCER, 4, 0, 1)).baseOffset(), "a new epoch at sequence 0");
        assertRefused(Errors.INVALID_PRODUCER_EPOCH, append(batch(PRODUCER, 3, 2, 1)), 3, 4);
        assertEquals(Errors.NONE, append(batch(PRODUCER, 4, 1, 1)).error(), "the new epoch's sequences go on");
    }

    @Test
    void a_producer_the_partition_does_not_know_may_start_at_any_sequence() {
        assertEquals(Errors.NONE, append(batch(42, 5, 1000, 2)).error());
        assertEquals(Errors.NONE, append(batch(43, 0, Integer.MAX_VALUE - 1, 2)).error());
        assertEquals(Errors.NONE, append(batch(43, 0, 0, 1)).error(), "sequences go on from 0 after Integer.MAX_VALUE");
        assertEquals(5, endOffset());
    }

    @Test
    void our_last_sequence_is_kafkas_also_where_sequences_wrap() {
        // Kafka's rule: base sequence plus last offset delta, counting on from 0 past Integer.MAX_VALUE
        Map<Integer, Integer> lastOfFive = Map.of(0, 4, 17, 21, Integer.MAX_VALUE - 3, 0, Integer.MAX_VALUE, 3);
        lastOfFive.forEach((base, last) -> assertEquals(last, RecordBatch.wrap(batch(PRODUCER, 0, base, 5)).lastSequence(),
                "base sequence " + base));
    }

    @Test
    void a_transactional_batch_is_refused_and_nothing_is_written() {
        ByteBuffer transactional = ProducerBatches.transactional(PRODUCER, (short) 0, 0,
                Record.of(null, "in a transaction", NOON));
        assertRefused(Errors.INVALID_TXN_STATE, append(transactional), "transaction");
        assertEquals(0, endOffset());
    }

    @Test
    void more_than_one_batch_from_an_idempotent_producer_in_one_append_is_refused() {
        ByteBuffer two = ByteBuffer.allocate(1024);
        two.put(batch(PRODUCER, 0, 0, 1)).put(batch(PRODUCER, 0, 1, 1)).flip();
        assertRefused(Errors.INVALID_RECORD, append(two), "1 record batch");
        assertEquals(0, endOffset());
    }

    @Test
    void batches_without_a_producer_id_are_written_every_time_and_make_no_producer_state() {
        ByteBuffer plain = ProducerBatches.plain(Record.of(null, "no producer id", NOON));
        assertEquals(0, append(plain.duplicate()).baseOffset());
        assertEquals(1, append(plain.duplicate()).baseOffset(), "the same bytes again are a new record");
        broker().partitions().appendRecords("orders", List.of(new Partitions.ProduceRecord(0, Record.of("k", "v", NOON))));
        assertEquals(3, endOffset());
        assertFalse(broker().partitions().producerState(ORDERS).loaded(), "their path never looks at producer state");
    }

    @Test
    void a_duplicate_on_a_log_append_time_topic_gets_the_time_stamped_on_the_original() {
        broker().createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"), OnDuplicate.FAIL);
        TopicPartition stamped = new TopicPartition("stamped", 0);
        AppendResult first = broker().partitions().append(Map.of(stamped, batch(PRODUCER, 0, 0, 2)), Acks.ALL).get(stamped);
        assertEquals(NOON.toEpochMilli(), first.logAppendTime());
        clock.advance(Duration.ofMinutes(5));
        AppendResult retry = broker().partitions().append(Map.of(stamped, batch(PRODUCER, 0, 0, 2)), Acks.ALL).get(stamped);
        assertEquals(Errors.NONE, retry.error());
        assertEquals(first.baseOffset(), retry.baseOffset());
        assertEquals(NOON.toEpochMilli(), retry.logAppendTime(), "the original's stamp, not the clock's now");
    }

    @Test
    void the_state_is_rebuilt_from_the_log_after_a_restart() {
        append(batch(PRODUCER, 1, 0, 2)); // offsets 0-1
        append(batch(99, 0, 0, 4)); // another producer, offsets 2-5
        append(batch(PRODUCER, 1, 2, 3)); // offsets 6-8
        running.restart();

        AppendResult retry = append(batch(PRODUCER, 1, 2, 3));
        assertEquals(Errors.NONE, retry.error(), retry.message());
        assertEquals(6, retry.baseOffset(), "the duplicate is known after the restart");
        assertEquals(2, append(batch(99, 0, 0, 4)).baseOffset());
        assertEquals(9, endOffset(), "and not written again");
        assertRefused(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, append(batch(PRODUCER, 1, 9, 1)), 5, 9);
        assertRefused(Errors.INVALID_PRODUCER_EPOCH, append(batch(PRODUCER, 0, 5, 1)), 0, 1);
        assertEquals(9, append(batch(PRODUCER, 1, 5, 1)).baseOffset());
    }

    @Test
    void a_producer_whose_batches_deleteRecords_removed_is_forgotten_and_one_with_a_batch_left_is_not() {
        append(batch(PRODUCER, 0, 0, 2)); // offsets 0-1
        append(batch(99, 0, 0, 2)); // offsets 2-3
        broker().deleteRecords("orders", 0, 3); // removes all of PRODUCER's batches, and half of 99's

        assertEquals(Errors.NONE, append(batch(PRODUCER, 0, 40, 1)).error(),
                "nothing of the producer is left: it is unknown, and may go on at any sequence, as in Kafka");
        assertRefused(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, append(batch(99, 0, 40, 1)), 2, 40);
        assertEquals(2, append(batch(99, 0, 0, 2)).baseOffset(), "its last batch is still remembered");
    }

    @Test
    void a_topic_deleted_and_created_again_knows_none_of_the_old_producers() {
        append(batch(PRODUCER, 0, 0, 2));
        broker().deleteTopic("orders");
        broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        AppendResult again = append(batch(PRODUCER, 0, 0, 2));
        assertEquals(Errors.NONE, again.error());
        assertEquals(0, again.baseOffset());
        assertEquals(2, endOffset(), "written: the new topic never held it");
    }

    @Test
    void two_connections_retrying_the_same_batch_at_once_write_it_once() throws Exception {
        broker().patchConfig("orders", Map.of("flush.messages", "1")); // each write waits for its fsync: a wide window
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            long end = 0;
            for (int round = 0; round < 50; round++) {
                int sequence = round * 3;
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<AppendResult> send = () -> {
                    ByteBuffer copy = batch(PRODUCER, 0, sequence, 3);
                    together.await();
                    return append(copy);
                };
                Future<AppendResult> one = threads.submit(send);
                Future<AppendResult> other = threads.submit(send);
                AppendResult a = one.get();
                AppendResult b = other.get();
                assertEquals(Errors.NONE, a.error(), a.message());
                assertEquals(Errors.NONE, b.error(), b.message());
                assertEquals(end, a.baseOffset(), "round " + round);
                assertEquals(end, b.baseOffset(), "both told the one offset it was written at, round " + round);
                end += 3;
                assertEquals(end, endOffset(), "written once, round " + round);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, broker().partitions().producerState(ORDERS).size());
    }

    @Test
    void a_refused_first_batch_leaves_no_producer_behind() {
        ByteBuffer corrupt = batch(PRODUCER, 0, 0, 1);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 1)); // the CRC no longer holds
        assertEquals(Errors.CORRUPT_MESSAGE, append(corrupt).error());
        assertEquals(0, broker().partitions().producerState(ORDERS).size());
        assertTrue(append(batch(PRODUCER, 0, 0, 1)).written());
    }
}
