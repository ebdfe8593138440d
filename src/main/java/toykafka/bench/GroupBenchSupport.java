package toykafka.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the parts of {@link KafkaGroupBenchmark} share: how long anything may take before the run is called
 * stuck, waiting on tasks, and sleeping.
 */
final class GroupBenchSupport {

    /** How long anything may take before the run is called stuck. */
    static final Duration STALL = Duration.ofSeconds(30);

    private GroupBenchSupport() {
    }

    /** The results of tasks, in order; the first failure is thrown, the stuck ones are called so. */
    static <T> List<T> await(List<? extends Future<? extends T>> futures) {
        List<T> results = new ArrayList<>();
        long deadline = System.nanoTime() + 4 * STALL.toNanos();
        for (Future<? extends T> future : futures) {
            try {
                results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(cause.getMessage(), cause);
            } catch (TimeoutException e) {
                throw new IllegalStateException("a task of the group benchmark ran for " + 4 * STALL.toSeconds()
                        + " s without finishing", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return results;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
