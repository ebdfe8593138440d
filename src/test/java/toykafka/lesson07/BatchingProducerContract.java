package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import toykafka.common.EventLog;

/**
 * What a batching producer promises on top of every concurrent producer's promises: batches of at most
 * batch.size events, sent when full, when their linger is over, on flush() and on close(). A lone event
 * is never left behind. Timing is never asserted with a stopwatch: a linger of an hour stands for
 * "not before flush or close", and bounded waits stand for "soon".
 *
 * @param <P> the producer class under test
 */
public abstract class BatchingProducerContract<P extends ConcurrentProducer<String>> extends ConcurrentProducerContract {

    /** Effectively never, for the length of a test. */
    protected static final Duration AN_HOUR = Duration.ofHours(1);

    /** A new batching producer writing to these logs, which nothing else writes to. */
    protected abstract P newProducer(List<EventLog<String>> partitions, int batchSize, Duration linger);

    /** How many batches the producer has written; asked only after close(), when the count is final. */
    protected abstract long batchesSent(P producer);

    /** The promises every concurrent producer keeps, here with small batches and a short linger. */
    @Override
    protected ConcurrentProducer<String> newProducer(List<EventLog<String>> partitions) {
        return newProducer(partitions, 16, Duration.ofMillis(2));
    }

    /** Sends "order-0" to "order-{@code count - 1}" to partition 0: their futures, in order. */
    private static List<CompletableFuture<Long>> sendOrders(ConcurrentProducer<String> producer, int count) {
        List<CompletableFuture<Long>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(producer.send(0, "order-" + i));
        }
        return sent;
    }

    // tag::lone[]
    @Test
    @Order(21)
    void a_lone_event_is_written_once_its_linger_is_over_without_flush() {
        List<EventLog<String>> logs = emptyLogs(1);
        P producer = newProducer(logs, 10, Duration.ofMillis(20));
        try {
            CompletableFuture<Long> lone = producer.send(0, "one cod, nothing else all evening");
            // No flush, no close, no second event: only the linger can send it (Wafka's client never did).
            assertEquals(0, offsetOf(lone, "the lone event"), "the lone event should be written at offset 0");
        } finally {
            producer.close();
        }
        assertEquals(1, batchesSent(producer), "it should have gone as a batch of one");
    }
    // end::lone[]

    @Test
    @Order(22)
    void a_full_batch_goes_without_waiting_for_its_linger() {
        List<EventLog<String>> logs = emptyLogs(1);
        P producer = newProducer(logs, 3, AN_HOUR);
        try {
            List<CompletableFuture<Long>> sent = sendOrders(producer, 3);
            for (int i = 0; i < 3; i++) {
                assertEquals(i, offsetOf(sent.get(i), "order-" + i),
                        "a batch of batch.size events should go at once, linger or not");
            }
        } finally {
            producer.close();
        }
        assertEquals(1, batchesSent(producer), "the 3 events should have gone as one batch");
    }

    @Test
    @Order(23)
    void a_batch_that_is_neither_full_nor_lingered_long_enough_waits() {
        List<EventLog<String>> logs = emptyLogs(2);
        P producer = newProducer(logs, 2, AN_HOUR);
        try {
            CompletableFuture<Long> waiting = producer.send(0, "cod");
            CompletableFuture<Long> first = producer.send(1, "haddock");
            CompletableFuture<Long> second = producer.send(1, "plaice");
            offsetOf(second, "the full batch for partition 1");
            offsetOf(first, "the full batch for partition 1");
            assertFalse(waiting.isDone(), "partition 0's batch of 1 is not full and its hour of linger is not over:"
                    + " it must wait, even though the sender was just awake for partition 1");
            producer.flush();
            assertTrue(waiting.isDone(), "flush() should send it");
        } finally {
            producer.close();
        }
    }

    @Test
    @Order(24)
    void events_sent_within_the_linger_travel_together() {
        List<EventLog<String>> logs = emptyLogs(1);
        P producer = newProducer(logs, 100, AN_HOUR);
        try {
            List<CompletableFuture<Long>> sent = sendOrders(producer, 7);
            producer.flush();
            for (int i = 0; i < 7; i++) {
                assertEquals(i, offsetOf(sent.get(i), "order-" + i), "order-" + i + " should be at offset " + i);
            }
        } finally {
            producer.close();
        }
        assertEquals(1, batchesSent(producer), "7 events sent within one linger should go as a single batch");
    }

    @Test
    @Order(25)
    void a_batch_never_holds_more_than_batch_size_events() {
        List<EventLog<String>> logs = emptyLogs(1);
        P producer = newProducer(logs, 4, AN_HOUR);
        try {
            sendOrders(producer, 10);
            producer.flush();
            assertEquals(10, logs.get(0).endOffset(), "all 10 should be written after flush()");
        } finally {
            producer.close();
        }
        assertEquals(3, batchesSent(producer), "10 events with batch.size 4 should go as batches of 4, 4 and 2");
    }

    @Test
    @Order(26)
    void close_sends_what_is_still_waiting_for_its_linger() {
        List<EventLog<String>> logs = emptyLogs(1);
        P producer = newProducer(logs, 100, AN_HOUR);
        CompletableFuture<Long> waiting = producer.send(0, "last order of the night");
        producer.close();
        assertTrue(waiting.isDone(), "close() should write the waiting batch before it returns");
        assertEquals("last order of the night", logs.get(0).read(0));
    }

    @Test
    @Order(27)
    void a_batch_size_below_1_is_refused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> newProducer(emptyLogs(1), 0, AN_HOUR), "batch.size 0 should throw IllegalArgumentException");
        assertTrue(error.getMessage().contains("batch.size") && error.getMessage().contains("0"),
                "the error should name batch.size and the value 0; was: " + error.getMessage());
    }

    @Test
    @Order(28)
    void a_negative_linger_is_refused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> newProducer(emptyLogs(1), 10, Duration.ofMillis(-5)),
                "a negative linger should throw IllegalArgumentException");
        String said = String.valueOf(error.getMessage());
        assertTrue(said.contains("linger") && (said.contains("PT-0.005S") || said.matches("(?s).*(?<![\\d-])-5(?!\\d).*")),
                "the error should name linger and the value refused, as a Duration (PT-0.005S) or in milliseconds"
                        + " (-5); was: " + said);
    }

    @Test
    @Order(29)
    protected void an_error_thrown_by_a_log_fails_the_event_and_leaves_no_caller_waiting() { // protected: a producer whose log cannot throw an Error shows it another way
        Set<Thread> before = liveThreads();
        P producer = newProducer(List.of(new ErrorLog()), 10, AN_HOUR);
        CompletableFuture<Long> doomed = producer.send(0, "cod");
        // An Error is not an Exception: a sender that catches only exceptions dies, and everyone waits for ever.
        Throwable flushed = outcomeOf(producer::flush, "flush() when the log throws an Error");
        Throwable failure = outcomeOf(doomed, "the send whose append threw an Error");
        assertTrue(failure instanceof StackOverflowError, "the future of the event whose append threw should fail"
                + " with that Error, but " + (failure == null ? "it gave an offset" : "it failed with " + failure));
        assertTrue(flushed == null || flushed instanceof IllegalStateException,
                "flush() may refuse with an IllegalStateException saying why, but it threw " + flushed);
        Throwable closed = outcomeOf(producer::close, "close() after the log threw an Error");
        assertTrue(closed == null || closed instanceof IllegalStateException,
                "close() may refuse with an IllegalStateException saying why, but it threw " + closed);
        assertNoThreadLeftSince(before, "after an Error and close()");
    }
}
