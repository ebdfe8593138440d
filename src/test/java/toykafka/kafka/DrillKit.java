package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the hostile-client drills share: waiting for the broker to get somewhere, and their raw sockets. */
final class DrillKit {

    /** A bound on a hang only: each wait ends when the broker gets there, however busy the machine. */
    static final Duration HANG_GUARD = Duration.ofMinutes(2);

    private DrillKit() {
    }

    /** Waits until the condition holds, failing with {@code what} only past {@link #HANG_GUARD}. */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "still not true after 2 minutes: " + what);
            Thread.sleep(20);
        }
    }

    /** Sleeps; an interrupt ends it early, and is kept for the caller to see. */
    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A loopback address such as 127.0.0.3, for connections that must come from an address of their own. */
    static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all that was asked
        }
    }
}
