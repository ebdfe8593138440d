package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import toykafka.lesson01.EventLog;

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
}
