package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;

/** Fix 2, one writer thread per partition, keeps every promise of a concurrent producer. */
class PartitionWritersTest extends ConcurrentProducerContract {

    @Override
    protected ConcurrentProducer<String> newProducer(List<EventLog<String>> partitions) {
        return new PartitionWriters<>(partitions);
    }

    @Test
    void there_is_one_named_writer_per_partition_until_close() {
        PartitionWriters<String> writers = new PartitionWriters<>(emptyLogs(3));
        assertEquals(true, Threads.running().containsAll(
                List.of("toykafka-writer-0", "toykafka-writer-1", "toykafka-writer-2")));
        writers.close();
        assertEquals(List.of(), Threads.running().stream().filter(name -> name.startsWith("toykafka-writer")).toList());
    }

    @Test
    void it_prints_its_partitions_and_the_room_in_each_queue() {
        try (PartitionWriters<String> writers = new PartitionWriters<>(emptyLogs(2))) {
            assertEquals("PartitionWriters[partitions=2, queue capacity=1024]", writers.toString());
        }
    }

    @Test
    void more_events_than_a_queue_holds_are_all_written() {
        List<EventLog<String>> logs = emptyLogs(1);
        try (PartitionWriters<String> writers = new PartitionWriters<>(logs)) {
            // more than QUEUE_CAPACITY from one thread: sends wait for room rather than fail or drop
            for (int i = 0; i < 3 * PartitionWriters.QUEUE_CAPACITY; i++) {
                writers.send(0, "order-" + i);
            }
            writers.flush();
            assertEquals(3 * PartitionWriters.QUEUE_CAPACITY, logs.get(0).endOffset());
        }
    }

    @Test
    void flush_in_a_callback_says_why_it_refuses() {
        CountDownLatch gate = new CountDownLatch(1);
        assertFlushInACallbackRefusedOn("toykafka-writer-0", new PartitionWriters<>(List.of(new GatedLog(gate))), gate);
    }

    @Test
    void a_send_in_a_callback_refuses_rather_than_wait_for_room_in_a_full_queue() {
        CountDownLatch gate0 = new CountDownLatch(1);
        CountDownLatch gate1 = new CountDownLatch(1);
        List<EventLog<String>> logs = List.of(new GatedLog(gate0), new GatedLog(gate1));
        PartitionWriters<String> writers = new PartitionWriters<>(logs);
        CompletableFuture<Long> cod = writers.send(0, "cod");
        // Partition 1's writer holds its first event at the gate; the rest fill its queue exactly.
        for (int i = 0; i <= PartitionWriters.QUEUE_CAPACITY; i++) {
            writers.send(1, "order-" + i);
        }
        CompletableFuture<Long> sentInCallback = cod.thenCompose(offset -> writers.send(1, "chips"));
        gate0.countDown();
        Throwable refused = outcomeOf(sentInCallback, "send() to a full queue in a callback");
        assertNotNull(refused, "send() to a full queue on the producer's own thread should refuse, not wait");
        assertEquals(IllegalStateException.class, refused.getClass());
        assertEquals("partition 1's queue is full, and send() was called on toykafka-writer-0, the producer's own"
                + " thread, which runs the callbacks of its futures: waiting there for room could wait for itself."
                + " The event was not accepted", refused.getMessage());
        gate1.countDown();
        writers.close();
        assertEquals(PartitionWriters.QUEUE_CAPACITY + 1, logs.get(1).endOffset(),
                "every event accepted into partition 1 is written, and the refused one is not");
    }

    @Test
    void an_error_in_a_log_breaks_the_producer_and_nothing_waits_for_ever() {
        List<EventLog<String>> logs = List.of(new ErrorLog(), new ListLog<>());
        PartitionWriters<String> writers = new PartitionWriters<>(logs);
        Throwable error = outcomeOf(writers.send(0, "cod"), "cod");
        assertEquals(StackOverflowError.class, error.getClass(), "cod's future fails with the Error itself");
        String broken = "this producer is broken: toykafka-writer-0 stopped on java.lang.StackOverflowError: thrown on"
                + " purpose by the test, appending cod; the events it had not written failed with that error, and"
                + " it accepts no more";
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> writers.send(1, "chips"));
        assertEquals(broken, refused.getMessage());
        assertSame(error, refused.getCause());
        Throwable flush = outcomeOf(writers::flush, "flush() after the Error"); // bounded: a broken writer once hung it
        assertEquals(IllegalStateException.class, flush.getClass(), "flush() should refuse: " + flush);
        assertEquals(broken, flush.getMessage());
        Throwable close = outcomeOf(writers::close, "close() after the Error");
        assertEquals(IllegalStateException.class, close.getClass(), "close() should report the Error: " + close);
        assertEquals(broken, close.getMessage());
        assertEquals(List.of(), Threads.running().stream().filter(name -> name.startsWith("toykafka-writer")).toList(),
                "close() stops every writer even when it then reports the Error");
        assertEquals(0, logs.get(1).endOffset(), "chips was refused, not written");
    }
}
