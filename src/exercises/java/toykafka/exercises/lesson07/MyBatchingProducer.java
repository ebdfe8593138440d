package toykafka.exercises.lesson07;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.common.EventLog;
import toykafka.lesson07.ConcurrentProducer;

/**
 * Exercise for lesson 7: write a producer that batches in a background sender thread.
 * Check your work with {@code ./toykafka check 7}; ask for help with {@code ./toykafka hint 7}.
 * Read the lesson with its code in place: {@code ./toykafka read 7} (add a section's name for one section).
 * Start from the lesson's section "Fix 3: batch, and send in the background"; the reference is
 * toykafka.lesson07.BatchingProducer, but try it yourself first.
 */
public class MyBatchingProducer<E> implements ConcurrentProducer<E> {

    public MyBatchingProducer(List<? extends EventLog<E>> logs, int batchSize, Duration linger) {
        throw new UnsupportedOperationException("the constructor is yours to write: check the arguments and start"
                + " the sender thread; see section \"Fix 3: batch, and send in the background\""
                + " (./toykafka read 7 fix-3-batch-and-send-in-the-background)");
    }

    @Override
    public CompletableFuture<Long> send(int partition, E event) {
        throw new UnsupportedOperationException(
                "send() is yours to write: see section \"Fix 3: batch, and send in the background\""
                + " (./toykafka read 7 fix-3-batch-and-send-in-the-background)");
    }

    @Override
    public void flush() {
        throw new UnsupportedOperationException(
                "flush() is yours to write: see section \"Flush and a clean close\""
                + " (./toykafka read 7 flush-and-a-clean-close)");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException(
                "close() is yours to write: see section \"Flush and a clean close\""
                + " (./toykafka read 7 flush-and-a-clean-close)");
    }

    /** How many batches the sender thread has written so far. */
    public long batchesSent() {
        throw new UnsupportedOperationException(
                "batchesSent() is yours to write: see section \"Fix 3: batch, and send in the background\""
                + " (./toykafka read 7 fix-3-batch-and-send-in-the-background)");
    }
}
