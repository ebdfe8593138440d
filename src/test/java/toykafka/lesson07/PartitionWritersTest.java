package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import toykafka.lesson01.EventLog;

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
}
