package toykafka.testing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A net for a child process that hangs: it is killed once it has shown no progress for {@code quiet}. A drill tells
 * it each sign of progress (a line read, a request answered), so a child on a busy machine, slow but moving, is never
 * killed by the clock; only one that stopped is.
 */
public final class StallWatch implements AutoCloseable {

    private final Process process;
    private final long quietNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(run -> {
        Thread thread = new Thread(run, "stall-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean fired;

    private StallWatch(Process process, Duration quiet) {
        this.process = process;
        this.quietNanos = quiet.toNanos();
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    /** Watches {@code process} from now, as if it had just made progress. */
    public static StallWatch of(Process process, Duration quiet) {
        return new StallWatch(process, quiet);
    }

    /** The child made progress: its quiet time starts again. */
    public void progress() {
        lastProgress = System.nanoTime();
    }

    /** Whether the watch killed the child, for a failure message that says so. */
    public boolean fired() {
        return fired;
    }

    private void check() {
        if (System.nanoTime() - lastProgress > quietNanos && process.isAlive()) {
            fired = true;
            process.toHandle().destroyForcibly();
        }
    }

    /** Stops watching; the child is left as it is. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
