package toykafka.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or {@code kill} for a command that loops until told to stop: the JVM's shutdown hook asks the loop
 * to stop and then waits, a bounded time, for the command to finish its own way out (a group member leaves
 * its group). A hook that only set the flag would return at once, and the JVM would halt with the loop still
 * running and the member still in its group until its session timed out.
 */
final class StopOnShutdown implements AutoCloseable {

    private final Duration patience;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean stopping;

    /** Registers the hook; {@link #close} unregisters it, or, when the JVM is stopping, lets the hook return. */
    StopOnShutdown(Duration patience) {
        this.patience = patience;
        this.hook = new Thread(this::stopAndWait, "toykafka-stop-on-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the loop should stop now. */
    boolean stopping() {
        return stopping;
    }

    /** What the shutdown hook runs: ask the loop to stop, then wait for the command to finish, but not forever. */
    void stopAndWait() {
        stopping = true;
        try {
            finished.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is done: a hook that is waiting may let the JVM go. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running, which is how we got here
        }
    }
}
