package toykafka.apachekafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for a child process to bind a moment later. A port the kernel hands out for the asking
 * ({@code new ServerSocket(0)}) lies in its ephemeral range, where any outgoing connection on the machine may
 * take it as its own end before the child binds it; these are chosen below that range (Linux's starts at
 * 32768), so only another listener can.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final int ATTEMPTS = 500;

    private FreePorts() {
    }

    /** The first of {@code count} consecutive ports that nothing listens on now. */
    public static int run(int count) {
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("a run of from 1 to 100 ports; asked for " + count);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST - count);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                free = free(port);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("found no " + count + " free ports in a row from " + LOWEST + " to " + HIGHEST
                + " on loopback in " + ATTEMPTS + " tries");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
