package toykafka.harness;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for what kafka-clients answers with a future (an Admin call, a send), as every load does: a while at most,
 * and a failure, a timeout or an interrupt turned into one exception that says what was being done.
 */
public final class KafkaFutures {

    private KafkaFutures() {
    }

    /**
     * The future's value, waited for up to {@code patience}.
     *
     * @param doing what the future is for, as "cannot …" goes on: "create the topic orders on localhost:9092"
     * @throws IllegalStateException if it failed, took longer, or the wait was interrupted (the interrupt kept)
     */
    public static <T> T await(Future<T> future, Duration patience, String doing) {
        try {
            return future.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + doing + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted, cannot " + doing, e);
        }
    }
}
