package toykafka.lesson07;

import java.util.Set;
import java.util.stream.Collectors;

/** Small helpers for this lesson's threads: making them, waiting for them, counting them. */
public final class Threads {

    /** Every thread this lesson's producers start has a name with this prefix. */
    public static final String PREFIX = "toykafka-";

    private Threads() {
    }

    /**
     * A daemon thread: if a program forgets to close a producer, the JVM can still exit. Closing is still
     * the only way to be sure every accepted event was written.
     */
    static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Waits for a thread to end even if this thread is interrupted meanwhile; the interrupt is kept. */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The names of this lesson's threads that are still alive: after every close(), none. */
    public static Set<String> running() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(PREFIX))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
