package toykafka.common;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How every schedule of ours stops: no new task, the one under way finishes (a cleaner's swap, an fsync), and the
 * caller waits for it a while. An interrupt while waiting stops the wait and is kept for the caller to see.
 */
public final class ExecutorShutdown {

    private ExecutorShutdown() {
    }

    /** Shuts {@code executor} down and waits up to {@code patience} for the task under way. */
    public static void shutDownAndWait(ExecutorService executor, Duration patience) {
        executor.shutdown();
        try {
            executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
