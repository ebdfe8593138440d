package toykafka.http;

import java.io.File;

/** This JVM's open file descriptors, as Linux lists them: sockets of clients and broker alike count. */
final class OpenFiles {

    private OpenFiles() {
    }

    static int count() {
        String[] open = new File("/proc/self/fd").list();
        if (open == null) {
            throw new IllegalStateException("/proc/self/fd is not there: these drills count descriptors the Linux way");
        }
        return open.length;
    }

    /** Waits up to 30 s for the count to come down to {@code bound} (the broker closes sockets as it notices), and gives it. */
    static int settleAtMost(int bound) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int now = count();
        while (now > bound && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = count();
        }
        return now;
    }
}
