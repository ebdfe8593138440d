package toykafka.lesson09;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import toykafka.common.ExecutorShutdown;
import toykafka.lesson08.PartitionDirectory;

/**
 * Fsync every interval on a background thread, as Kafka's {@code flush.ms} does. Appends never wait for it.
 * The first failed fsync stops it: the log has gone offline by then, and retrying could only report a
 * success that proves nothing.
 */
final class PeriodicFlush implements Flusher {

    // tag::timer[]
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "toykafka-periodic-fsync");
        thread.setDaemon(true);
        return thread;
    });
    private volatile IOException failure;

    PeriodicFlush(Flusher.Target target, Duration interval) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                target.forceWritten();
            } catch (IOException e) {
                failure = e;
                timer.shutdown();
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    // end::timer[]

    @Override
    public void afterAppend(long endOffset) {
        IOException failed = failure;
        if (failed != null) {
            throw new java.io.UncheckedIOException("the background fsync failed, so records may not be reaching"
                    + " the disk: " + PartitionDirectory.describe(failed), failed);
        }
    }

    @Override
    public void close() {
        ExecutorShutdown.shutDownAndWait(timer, Duration.ofSeconds(10));
    }
}
