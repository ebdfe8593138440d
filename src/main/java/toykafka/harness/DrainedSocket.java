package toykafka.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP connection whose far end a thread reads and throws away: somewhere to send a log's bytes
 * that costs what a consumer's socket costs the kernel (the copy into the socket, the loopback, the copy
 * out), without a client decoding them. {@link #awaitReceived} tells when the bytes have arrived.
 */
public final class DrainedSocket implements AutoCloseable {

    private final SocketChannel sender;
    private final SocketChannel receiver;
    private final AtomicLong received = new AtomicLong();
    private final Thread drain;

    public DrainedSocket() {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sender = SocketChannel.open(server.getLocalAddress());
            receiver = server.accept();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback connection for the benchmark", e);
        }
        drain = new Thread(this::drain, "bench-drain");
        drain.setDaemon(true);
        drain.start();
    }

    /** The sending end, a blocking socket: a file channel's transferTo into it is the kernel's sendfile. */
    public WritableByteChannel channel() {
        return sender;
    }

    /** Waits until the far end has read {@code bytes} in all since this connection opened. */
    public void awaitReceived(long bytes) {
        while (received.get() < bytes) {
            if (!drain.isAlive()) {
                throw new IllegalStateException("the benchmark's loopback connection closed after " + received.get()
                        + " of " + bytes + " bytes");
            }
            LockSupport.parkNanos(20_000);
        }
    }

    public long received() {
        return received.get();
    }

    private void drain() {
        ByteBuffer into = ByteBuffer.allocateDirect(1 << 20);
        try {
            int n;
            while ((n = receiver.read(into.clear())) >= 0) {
                received.addAndGet(n);
            }
        } catch (IOException e) {
            // closed: the benchmark is over
        }
    }

    @Override
    public void close() {
        try {
            sender.close();
            receiver.close();
        } catch (IOException e) {
            // nothing was waiting on them
        }
    }
}
