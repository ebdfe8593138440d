package toykafka.broker.group;

import static org.junit.jupiter.api.Assertions.assertNull;

/** Runs a test's steps on a thread with a small stack, as a handler thread might have, and fails if it is lost. */
public final class SmallStack {

    private static final long BYTES = 256 * 1024;

    private SmallStack() {
    }

    public static void run(Runnable steps) throws InterruptedException {
        Throwable[] lost = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                steps.run();
            } catch (Throwable e) {
                lost[0] = e;
            }
        }, "small-stack", BYTES);
        small.start();
        small.join();
        assertNull(lost[0], () -> "the thread was lost: " + lost[0]);
    }
}
