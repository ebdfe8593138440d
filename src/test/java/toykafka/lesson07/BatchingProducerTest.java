package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;

/** The reference batching producer keeps the batching contract, with its exact messages. */
class BatchingProducerTest extends BatchingProducerContract<BatchingProducer<String>> {

    @Override
    protected BatchingProducer<String> newProducer(List<EventLog<String>> partitions, int batchSize, Duration linger) {
        return new BatchingProducer<>(partitions, batchSize, linger);
    }

    @Override
    protected long batchesSent(BatchingProducer<String> producer) {
        return producer.batchesSent();
    }

    @Test
    void the_reference_names_what_was_refused_exactly() {
        assertEquals("batch.size must be at least 1 event, was 0", assertThrows(IllegalArgumentException.class,
                () -> newProducer(emptyLogs(1), 0, AN_HOUR)).getMessage());
        assertEquals("linger must be zero or more, was PT-0.005S", assertThrows(IllegalArgumentException.class,
                () -> newProducer(emptyLogs(1), 1, Duration.ofMillis(-5))).getMessage());
        assertEquals("a producer needs at least one partition to write to", assertThrows(IllegalArgumentException.class,
                () -> newProducer(List.of(), 1, AN_HOUR)).getMessage());
        try (BatchingProducer<String> producer = newProducer(emptyLogs(3), 1, AN_HOUR)) {
            assertEquals("partition 3 does not exist: this producer writes to partitions 0..2",
                    assertThrows(IllegalArgumentException.class, () -> producer.send(3, "cod")).getMessage());
            assertEquals("an event must not be null",
                    assertThrows(NullPointerException.class, () -> producer.send(0, null)).getMessage());
            producer.close();
            assertEquals("this producer is closed: it accepts no more events",
                    assertThrows(IllegalStateException.class, () -> producer.send(0, "cod")).getMessage());
        }
    }

    @Test
    void its_sender_thread_is_named_and_gone_after_close() {
        BatchingProducer<String> producer = newProducer(emptyLogs(1), 1, AN_HOUR);
        assertEquals(true, Threads.running().contains("toykafka-sender"));
        producer.close();
        assertEquals(false, Threads.running().contains("toykafka-sender"));
    }

    @Test
    void flush_in_a_callback_says_why_it_refuses() {
        CountDownLatch gate = new CountDownLatch(1);
        assertFlushInACallbackRefusedOn("toykafka-sender", newProducer(List.of(new GatedLog(gate)), 1, AN_HOUR), gate);
    }

    @Test
    void an_error_stops_the_sender_fails_every_waiting_event_and_breaks_the_producer() {
        List<EventLog<String>> logs = List.of(new ErrorLog(), new ListLog<>());
        BatchingProducer<String> producer = newProducer(logs, 10, AN_HOUR);
        CompletableFuture<Long> cod = producer.send(0, "cod");
        CompletableFuture<Long> chips = producer.send(1, "chips"); // a healthy partition, but the same sender
        String broken = "this producer is broken: toykafka-sender stopped on java.lang.StackOverflowError: thrown on"
                + " purpose by the test, appending cod; the events it had not written failed with that error, and"
                + " it accepts no more";

        Throwable flush = outcomeOf(producer::flush, "flush() when the log throws an Error"); // bounded: it hung once
        assertEquals(IllegalStateException.class, flush.getClass(), "flush() should refuse: " + flush);
        assertEquals(broken, flush.getMessage());
        assertEquals(StackOverflowError.class, flush.getCause().getClass());
        assertSame(flush.getCause(), outcomeOf(cod, "cod"), "cod's future fails with the Error itself");
        assertSame(flush.getCause(), outcomeOf(chips, "chips"), "chips was waiting: it fails with the same Error");
        assertEquals(0, logs.get(1).endOffset(), "chips was not written");
        assertEquals(broken, assertThrows(IllegalStateException.class, () -> producer.send(1, "peas")).getMessage());
        Throwable close = outcomeOf(producer::close, "close() when the log threw an Error");
        assertEquals(IllegalStateException.class, close.getClass(), "close() should report the Error: " + close);
        assertEquals(broken, close.getMessage());
        assertFalse(Threads.running().contains("toykafka-sender"), "the sender has stopped");
    }
}
