package toykafka.kafka;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS under a connection's frames, on a non-blocking socket: the handshake first, then every byte read is
 * decrypted and every byte written encrypted by the JDK's {@code SSLEngine}. Kafka's {@code SslTransportLayer}.
 * It is a channel like the socket itself, so the connection reads and writes frames through it unchanged, and a
 * fetch's records sent from a segment by {@code FileChannel.transferTo} pass through it too: the JDK then reads the
 * file into a buffer and hands it here to encrypt, which is why TLS ends Kafka's zero-copy sends.
 *
 * <p>Two things the selector cannot see are told by this class: ciphertext written to it but not yet to the socket
 * ({@link #hasPendingWrites()}: keep waiting for OP_WRITE), and bytes already read from the socket and not yet read
 * from here ({@link #hasBufferedReads()}: read again now, for no OP_READ will come for them). The delegated tasks of
 * the handshake run on the calling thread, as Kafka runs them on its network threads.
 */
final class SslTransportLayer implements ByteChannel, GatheringByteChannel {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel socket;
    private final SSLEngine engine;
    /** Ciphertext read from the socket and not yet decrypted; in write mode. */
    private ByteBuffer netIn;
    /** Ciphertext made and not yet written to the socket; in read mode. */
    private ByteBuffer netOut;
    /** Plaintext decrypted and not yet read; in read mode. */
    private ByteBuffer appIn;
    private boolean handshakeDone;
    private boolean open = true;

    SslTransportLayer(SocketChannel socket, SSLEngine engine) throws SSLException {
        this.socket = socket;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize()).flip();
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
        engine.beginHandshake();
    }

    /**
     * Takes the handshake as far as the socket allows now.
     *
     * @return whether it is complete; if not, call again when the socket is ready for what {@link #handshakeWantsWrite()}
     *         says
     * @throws SSLException when the peer does not speak TLS, or its certificate is refused
     * @throws EOFException when the peer closed the connection before the handshake ended
     */
    boolean handshake() throws IOException {
        try {
            return handshakeStep();
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    /** Tells the peer why the handshake failed, as Kafka does, in what the socket takes at once. */
    private void sendAlert() {
        try {
            if (!netOut.hasRemaining()) {
                wrap(EMPTY); // the engine holds the alert of its failure
            }
            flush();
        } catch (IOException | RuntimeException alreadyBroken) {
            // the peer may be gone: it learns of the failure when the socket closes
        }
    }

    private boolean handshakeStep() throws IOException {
        while (!handshakeDone) {
            if (!flush()) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runDelegatedTasks();
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapFromSocket()) {
                        return false;
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> handshakeDone = true;
            }
        }
        return flush();
    }

    /** Whether the handshake waits for the socket to take bytes (OP_WRITE) rather than to bring some (OP_READ). */
    boolean handshakeWantsWrite() {
        return netOut.hasRemaining();
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** The TLS session: its peer's certificates, once the handshake is done. */
    SSLSession session() {
        return engine.getSession();
    }

    /** Ciphertext this layer holds that the socket has not taken yet. */
    boolean hasPendingWrites() {
        return netOut.hasRemaining();
    }

    /** Writes the ciphertext held, as far as the socket takes it; whether none is left. */
    boolean flushPending() throws IOException {
        return flush();
    }

    /** Bytes read from the socket that wait here: the selector will not announce them again. */
    boolean hasBufferedReads() {
        return appIn.hasRemaining() || netIn.position() > 0;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        requireHandshake();
        while (!appIn.hasRemaining()) {
            if (netIn.position() == 0 || !unwrap()) {
                int read = socket.read(netIn);
                if (read < 0) {
                    return -1;
                }
                if (read == 0) {
                    return 0;
                }
                continue;
            }
            if (engine.isInboundDone()) {
                return appIn.hasRemaining() ? copy(destination) : -1;
            }
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY); // a post-handshake message (TLS 1.3's key update) wants an answer
                flush();
            } else if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            }
        }
        return copy(destination);
    }

    private int copy(ByteBuffer destination) {
        int n = Math.min(destination.remaining(), appIn.remaining());
        ByteBuffer slice = appIn.slice();
        slice.limit(n);
        destination.put(slice);
        appIn.position(appIn.position() + n);
        return n;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        return (int) write(new ByteBuffer[] {source}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
        return write(sources, 0, sources.length);
    }

    /**
     * Encrypts what fits one TLS record and writes what the socket takes. The bytes returned are taken from
     * {@code sources} even when their ciphertext is still held here ({@link #hasPendingWrites()}); nothing is taken
     * while earlier ciphertext waits.
     */
    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        requireHandshake();
        if (!flush()) {
            return 0;
        }
        long taken = 0;
        while (netOut.remaining() == 0 && remaining(sources, offset, length) > 0) {
            SSLEngineResult result = wrap(sources, offset, length);
            taken += result.bytesConsumed();
            if (!flush()) {
                break;
            }
        }
        return taken;
    }

    private static long remaining(ByteBuffer[] buffers, int offset, int length) {
        long remaining = 0;
        for (int i = offset; i < offset + length; i++) {
            remaining += buffers[i].remaining();
        }
        return remaining;
    }

    @Override
    public boolean isOpen() {
        return open && socket.isOpen();
    }

    /** Says close_notify if the socket takes it at once, then closes the socket. */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        try {
            engine.closeOutbound();
            if (!netOut.hasRemaining()) {
                wrap(EMPTY);
                flush();
            }
        } catch (IOException | RuntimeException alreadyBroken) {
            // the peer is gone or the session failed: closing the socket is all that is left
        } finally {
            socket.close();
        }
    }

    private void requireHandshake() {
        if (!handshakeDone) {
            throw new IllegalStateException("the TLS handshake has not ended: no application data yet");
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Writes held ciphertext; whether all of it went. */
    private boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (socket.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    private SSLEngineResult wrap(ByteBuffer source) throws IOException {
        return wrap(new ByteBuffer[] {source}, 0, 1);
    }

    /** Encrypts into the (empty) outgoing buffer, growing it if the engine asks. */
    private SSLEngineResult wrap(ByteBuffer[] sources, int offset, int length) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult result;
            try {
                result = engine.wrap(sources, offset, length, netOut);
            } finally {
                netOut.flip(); // what it made, or nothing: never the buffer's stale bytes
            }
            switch (result.getStatus()) {
                case OK -> {
                    return result;
                }
                case BUFFER_OVERFLOW -> netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2,
                        engine.getSession().getPacketBufferSize())).flip();
                case CLOSED -> {
                    if (result.bytesProduced() > 0 || !handshakeDone) {
                        return result; // close_notify, or an alert the handshake ends with: still to be sent
                    }
                    throw new IOException("the TLS session is closed: nothing more can be written");
                }
                case BUFFER_UNDERFLOW -> throw new IllegalStateException("wrap cannot underflow");
            }
        }
    }

    /** One read from the socket for the handshake, then what it lets the engine decrypt; false when it must wait. */
    private boolean unwrapFromSocket() throws IOException {
        if (netIn.position() > 0 && unwrap()) {
            return true;
        }
        int read = socket.read(netIn);
        if (read < 0) {
            throw new EOFException("the peer closed the connection during the TLS handshake");
        }
        return read > 0 && unwrap();
    }

    /**
     * Decrypts from the ciphertext held; whether the engine moved on (false: it needs more bytes from the socket).
     */
    private boolean unwrap() throws IOException {
        while (true) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            switch (result.getStatus()) {
                case OK -> {
                    return true;
                }
                case CLOSED -> {
                    if (!handshakeDone && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        return true; // the alert to send back before failing
                    }
                    if (!handshakeDone) {
                        throw new EOFException("the peer closed the TLS session during the handshake");
                    }
                    return true;
                }
                case BUFFER_UNDERFLOW -> {
                    int needed = engine.getSession().getPacketBufferSize();
                    if (netIn.capacity() < needed) {
                        netIn = ByteBuffer.allocate(needed).put(netIn.flip());
                    }
                    return false;
                }
                case BUFFER_OVERFLOW -> {
                    ByteBuffer larger = ByteBuffer.allocate(appIn.remaining()
                            + engine.getSession().getApplicationBufferSize());
                    appIn = larger.put(appIn).flip();
                }
            }
        }
    }
}
