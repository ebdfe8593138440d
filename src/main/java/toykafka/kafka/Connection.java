package toykafka.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.lesson08.FileSlice;

/**
 * One client's connection, as the selector thread sees it: a frame being read (its 4-byte size, then that
 * many bytes), then the request handled while the connection reads nothing more, then the response being
 * written. One request at a time per connection, as Kafka's broker does, so responses go out in the order
 * the requests came in without any bookkeeping. Only the selector thread touches this object.
 *
 * <p>A response's leading buffers go out in one gathering write, and with them a copy of the first {@value
 * #LEADING_RECORD_BYTES} bytes of the records that follow (a fetch's batches); the rest of the records go from
 * the segment file by {@code sendfile}, uncopied: a fetch copies at most that many bytes of each partition's
 * records. The copy is for a client with a tiny receive buffer (kafka-clients' {@code
 * receive.buffer.bytes=1024}). Linux sets such a receiver's largest window from the payload-to-memory ratio of
 * the first segment longer than 536 bytes it gets, and does not revisit it while our segments stay that size.
 * When that first segment was one MSS cut from a large queued write, its ratio was poor and the window came out
 * just below our MSS (half the largest window the client ever offered: 495 bytes against 576), so our side sent
 * only zero-window probes, a few hundred bytes each 200 ms, and the fetch timed out (7 runs in 11). A write of
 * the head and some hundreds of bytes that fits the window goes out whole and sets a ratio that keeps the window
 * above the MSS. Kafka's broker gets the same by chance: its ApiVersions answer, the first on every connection,
 * is large. Copying every record, or sending them in smaller sendfile calls, did not help.
 */
final class Connection {

    enum State { READING, HANDLING, WRITING }

    /** The smallest frame that could hold a request header: key, version, correlation id, client id length. */
    static final int SMALLEST_REQUEST = 2 + 2 + 4 + 2;

    /**
     * How many bytes of a response's records are copied into the write of the bytes before them (see the
     * class comment); the rest go by sendfile.
     */
    static final int LEADING_RECORD_BYTES = 800;

    /** A frame's first buffer; it doubles as the bytes come in, up to the size the frame announced. */
    static final int FIRST_BUFFER_BYTES = 512;

    private static final short API_VERSIONS = 18;

    /** Numbers the connections, so that no two ever share an id, even from a port used again. */
    private static final AtomicLong OPENED = new AtomicLong();

    private final SocketChannel channel;
    private final SelectionKey key;
    private final java.net.InetAddress address;
    private final String peer;
    private final String id;
    private final RequestMemory memory;
    private final ByteBuffer size = ByteBuffer.allocate(4);
    /** The size the frame being read announced, or -1 while its 4-byte size is still arriving. */
    private int announced = -1;
    private ByteBuffer frame;
    /** Bytes of the frame arriving held within the connection's allowance ({@link RequestMemory}). */
    private int withinAllowance;
    /** Bytes {@link RequestMemory} granted a large frame arriving beyond the allowance; 0 until then. */
    private long granted;
    /** When the frame arriving was granted memory beyond its allowance. */
    private long grantedAtNanos;
    /** Bytes of the request in hand, held until it is answered. */
    private long inHand;
    /** Heap bytes of the answer being written, held until it is out whole (records sent from files are not). */
    private long answerBytes;
    private boolean muted;
    /** Until when reading waits after the answer is out, for a quota the client went over; 0 when it does not. */
    private long throttledUntilNanos;
    private final long openedNanos;
    /** Whether a whole request ever arrived: a connection must send one soon after it opens. */
    private boolean spoken;
    /** Whether it ever asked for more than ApiVersions, the handshake every client sends first. */
    private boolean worked;
    private final ArrayDeque<ProtocolWriter.Part> unsent = new ArrayDeque<>();
    private State state = State.READING;
    private long lastActiveNanos;
    /** The listener it came in on. */
    private final Listener listener;
    /** Its SASL authentication, the step before it is served; null on a listener without SASL. */
    private final SaslServerAuthenticator sasl;
    /** Its listener's TLS and its own, the first step of all; both null on a listener without TLS. */
    private final ListenerTls tlsSettings;
    private final SslTransportLayer tls;
    /** What frames are read from and answers written to: the socket, or the TLS over it. */
    private final ByteChannel io;
    /** Who the client's certificate says it is, on an SSL listener once the handshake is done. */
    private volatile KafkaPrincipal certificatePrincipal;

    Connection(SocketChannel channel, SelectionKey key, java.net.InetAddress address, String peer, RequestMemory memory,
               long now, Listener listener, SaslServerAuthenticator sasl, ListenerTls tlsSettings,
               SslTransportLayer tls) {
        this.channel = channel;
        this.tlsSettings = tlsSettings;
        this.tls = tls;
        this.io = tls != null ? tls : channel;
        this.listener = listener;
        this.sasl = sasl;
        this.address = address;
        this.key = key;
        this.peer = peer;
        this.id = peer + "-" + OPENED.incrementAndGet();
        this.memory = memory;
        this.lastActiveNanos = now;
        this.openedNanos = now;
    }

    /** The address a socket comes from, as max.connections.per.ip counts it. */
    static java.net.InetAddress addressOf(SocketChannel channel) {
        try {
            return ((java.net.InetSocketAddress) channel.getRemoteAddress()).getAddress();
        } catch (IOException | RuntimeException e) {
            return java.net.InetAddress.getLoopbackAddress(); // gone already: it is closed at its first read
        }
    }

    /** Closes a socket no connection was made of (refused, or gone already); null for none. */
    static void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // refusing it anyway
        }
    }

    /** The address and port a socket comes from, host:port, for the log. */
    static String peerOf(SocketChannel channel) {
        try {
            java.net.InetSocketAddress address = (java.net.InetSocketAddress) channel.getRemoteAddress();
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        } catch (IOException | RuntimeException e) {
            return "an unknown peer";
        }
    }

    /** The client's address, as max.connections.per.ip counts it. */
    java.net.InetAddress address() {
        return address;
    }

    String peer() {
        return peer;
    }

    /**
     * Who the connection authenticated as: the SASL user once SASL completes, the certificate's name on SSL, else
     * {@code User:ANONYMOUS}.
     */
    KafkaPrincipal principal() {
        if (sasl != null) {
            return sasl.principal();
        }
        KafkaPrincipal certified = certificatePrincipal;
        return certified != null ? certified : KafkaPrincipal.ANONYMOUS;
    }

    /** Whether its TLS handshake is still going: nothing else is read or written until it ends. */
    boolean handshaking() {
        return tls != null && !tls.handshakeDone();
    }

    /**
     * Takes the TLS handshake as far as the socket allows; once it is done, the certificate's principal is known
     * and frames are read.
     *
     * @return whether the handshake is done
     * @throws IOException when it failed: the client speaks no TLS, sent no certificate where one is required, or
     *                     one no mapping rule names; the connection must close
     */
    boolean handshake(long now) throws IOException {
        if (!tls.handshake()) {
            key.interestOps(tls.handshakeWantsWrite() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            return false;
        }
        if (tlsSettings.principalFromCertificate()) {
            try {
                certificatePrincipal = tlsSettings.principalOf(tls.session());
            } catch (IllegalArgumentException e) {
                throw new javax.net.ssl.SSLException("the client's certificate maps to no principal: " + e.getMessage());
            }
        }
        lastActiveNanos = now;
        key.interestOps(SelectionKey.OP_READ);
        return true;
    }

    /**
     * Whether bytes the TLS layer already took from the socket wait to be read while the connection reads: the
     * selector will not announce them, so the front end reads them itself.
     */
    boolean hasBufferedReads() {
        // not while the handshake goes on: a partial record it holds then is the handshake's, not a frame's
        return tls != null && tls.handshakeDone() && state == State.READING && key.isValid()
                && (key.interestOps() & SelectionKey.OP_READ) != 0 && tls.hasBufferedReads();
    }

    Listener listener() {
        return listener;
    }

    SaslServerAuthenticator sasl() {
        return sasl;
    }

    /** Whether its authentication failed: it closes once the answer saying so is out. */
    boolean authenticationFailed() {
        return sasl != null && sasl.failed();
    }

    /** Kafka's connection id: what the share sessions opened on it are kept by, to end with it. */
    String id() {
        return id;
    }

    State state() {
        return state;
    }

    long lastActiveNanos() {
        return lastActiveNanos;
    }

    long openedNanos() {
        return openedNanos;
    }

    /** Whether a whole request ever arrived on this connection. */
    boolean spoken() {
        return spoken;
    }

    /** Whether it ever sent a request other than ApiVersions. */
    boolean worked() {
        return worked;
    }

    /**
     * When the large frame arriving was granted memory beyond its allowance, if it was and is still arriving:
     * it then holds memory other connections may be waiting for.
     */
    java.util.OptionalLong grantedSince() {
        return granted > 0 && state == State.READING ? java.util.OptionalLong.of(grantedAtNanos) : java.util.OptionalLong.empty();
    }

    /** Bytes of the frame arriving held now (within the allowance and granted beyond it). */
    long holding() {
        return withinAllowance + granted;
    }

    /** Whether reading waits for {@link RequestMemory} to have room for this connection's frame. */
    boolean muted() {
        return muted;
    }

    /**
     * Reads what the socket has toward the next frame. The frame's buffer grows as its bytes arrive, so a
     * client holds heap for what it sent, not for what it announced; a frame larger than the connection's
     * allowance is granted its whole size by {@link RequestMemory} before it grows past it, and until then
     * the connection is muted (nothing is read) and waits to be woken.
     *
     * @param maxFrameBytes the largest frame accepted ({@code socket.request.max.bytes})
     * @return the whole frame once it is in, else null
     * @throws FrameException for a size no request may have, before reading any of it
     * @throws IOException    when the client closed the connection or the socket failed
     */
    ByteBuffer read(int maxFrameBytes, long now) throws IOException {
        if (announced < 0) {
            if (io.read(size) < 0) {
                throw new IOException("the client closed the connection");
            }
            lastActiveNanos = now;
            if (size.hasRemaining()) {
                return null;
            }
            int length = size.getInt(0);
            if (length < SMALLEST_REQUEST || length > maxFrameBytes) {
                throw new FrameException(length, size.array().clone());
            }
            announced = length;
        }
        while (true) {
            if ((frame == null || !frame.hasRemaining()) && !grow(now)) {
                return null;
            }
            int read = io.read(frame);
            if (read < 0) {
                throw new IOException("the client closed the connection in the middle of a request");
            }
            if (read > 0) {
                lastActiveNanos = now;
            }
            if (frame.position() == announced) {
                return whole();
            }
            if (frame.hasRemaining()) {
                return null; // the socket has nothing more for now
            }
        }
    }

    /**
     * Doubles the frame's buffer (or makes its first): within the connection's allowance as it likes, past it
     * only once the frame's whole size is granted; else mutes the connection.
     */
    private boolean grow(long now) {
        int capacity = frame == null ? 0 : frame.capacity();
        int wanted = (int) Math.min(announced, Math.max(FIRST_BUFFER_BYTES, 2L * capacity));
        int allowance = memory.allowance();
        if (granted == 0 && wanted > allowance) {
            if (capacity < allowance) {
                wanted = allowance; // the whole allowance first: a stuck frame holds no more than that
            } else if (memory.grant(this, announced - withinAllowance)) {
                granted = announced - withinAllowance;
                grantedAtNanos = now;
            } else {
                muted = true;
                key.interestOps(0);
                return false;
            }
        }
        if (granted == 0) {
            memory.takeAllowance(wanted - capacity);
            withinAllowance += wanted - capacity;
        }
        ByteBuffer bigger = ByteBuffer.allocate(wanted);
        if (frame != null) {
            bigger.put(frame.flip());
        }
        frame = bigger;
        return true;
    }

    private ByteBuffer whole() {
        ByteBuffer whole = frame.flip();
        frame = null;
        announced = -1;
        size.clear();
        memory.frameComplete(withinAllowance, granted);
        inHand = withinAllowance + granted;
        withinAllowance = 0;
        granted = 0;
        spoken = true;
        worked |= whole.remaining() < 2 || whole.getShort(whole.position()) != API_VERSIONS;
        state = State.HANDLING;
        key.interestOps(0); // nothing more is read until this request is answered
        return whole;
    }

    /** Memory may have room now: reading resumes (the caller reads at once, since the socket may not signal again). */
    void unmute(long now) {
        muted = false;
        lastActiveNanos = now; // the wait was the broker's, not the client's
        if (key.isValid()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /**
     * The client went over a quota: from when its answer is out until {@code untilNanos}, nothing more is read
     * (Kafka mutes the channel, KIP-219), while other connections are served.
     */
    void throttleUntil(long untilNanos) {
        throttledUntilNanos = untilNanos;
    }

    /** When reading resumes after a throttle, if one holds at {@code now}. */
    java.util.OptionalLong throttledUntil(long now) {
        return throttledUntilNanos != 0 && throttledUntilNanos - now > 0 ? java.util.OptionalLong.of(throttledUntilNanos)
                : java.util.OptionalLong.empty();
    }

    /** The throttle time passed: reading resumes once the answer is out (at once if it is). */
    void endThrottle(long now) {
        throttledUntilNanos = 0;
        if (state == State.READING && !muted && key.isValid()) {
            lastActiveNanos = now; // the wait was the broker's, not the client's
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Back to reading the next request, unless a throttle holds it back. */
    private void readNext(long now) {
        state = State.READING;
        key.interestOps(throttledUntil(now).isPresent() ? 0 : SelectionKey.OP_READ);
    }

    /** The request in hand is answered: its bytes go back to {@link RequestMemory}. */
    private void requestDone() {
        memory.requestDone(inHand);
        inHand = 0;
    }

    /** Queues a response's parts, the 4-byte size first, and starts writing them. */
    void respond(List<ProtocolWriter.Part> parts, long now) throws IOException {
        requestDone();
        unsent.addAll(parts);
        answerBytes = parts.stream().filter(ProtocolWriter.BytesPart.class::isInstance).mapToLong(ProtocolWriter.Part::size)
                .sum();
        memory.answerQueued(answerBytes);
        state = State.WRITING;
        lastActiveNanos = now; // the answer's wait for its client starts now
        write(now);
    }

    /** Heap bytes of the answer the client has not taken whole yet; 0 when none is being written. */
    long answerBytes() {
        return answerBytes;
    }

    /** A request that gets no response (a produce with acks=0): the next one may be read. */
    void noResponse(long now) {
        requestDone();
        readNext(now);
    }

    // tag::write[]
    /**
     * Writes as much of the response as the socket takes, buffers by {@code write} and the log's batches
     * from their files by {@code sendfile}; when the socket is full, waits for it to drain (OP_WRITE) and
     * goes on from there. Back to reading once all of it is out.
     *
     * @throws SendException when batches could not be sent from the log (their segment was deleted first):
     *                       the response cannot be finished, so the connection must close
     */
    void write(long now) throws IOException {
        while (!unsent.isEmpty()) {
            ProtocolWriter.Part next = unsent.peek();
            long written;
            boolean full;
            try {
                if (next instanceof ProtocolWriter.BytesPart) {
                    written = writeLeading();
                    while (!unsent.isEmpty() && unsent.peek().sent()) {
                        unsent.poll();
                    }
                    full = !unsent.isEmpty() && unsent.peek() instanceof ProtocolWriter.BytesPart;
                } else {
                    written = next.sendOnce(io);
                    full = !next.sent();
                    if (!full) {
                        unsent.poll();
                    }
                }
            } catch (FileSlice.SegmentClosedException | RuntimeException e) {
                throw new SendException(e);
            }
            if (written > 0) {
                lastActiveNanos = now;
            }
            if (full) {
                key.interestOps(SelectionKey.OP_WRITE); // the socket is full: wait until it drains
                return;
            }
        }
        if (tls != null && !tls.flushPending()) {
            key.interestOps(SelectionKey.OP_WRITE); // the answer is encrypted, not all of it sent
            return;
        }
        memory.answerSent(answerBytes);
        answerBytes = 0;
        readNext(now);
    }

    /**
     * Writes the buffers at the head of the response in one gathering write, and with them a copy of the
     * first {@link #LEADING_RECORD_BYTES} of the records that follow them, if none of those is sent yet.
     */
    private long writeLeading() throws IOException {
        List<ByteBuffer> buffers = new ArrayList<>();
        ProtocolWriter.FilePart records = null;
        for (ProtocolWriter.Part part : unsent) {
            if (part instanceof ProtocolWriter.BytesPart bytes) {
                buffers.add(bytes.bytes());
                continue;
            }
            if (part instanceof ProtocolWriter.FilePart file && file.unstarted()) {
                records = file;
            }
            break;
        }
        ByteBuffer lead = records == null ? null : records.lead(LEADING_RECORD_BYTES);
        if (lead != null) {
            buffers.add(lead);
        }
        long written = ((GatheringByteChannel) io).write(buffers.toArray(ByteBuffer[]::new));
        if (lead != null) {
            records.leadSent(lead.position());
        }
        return written;
    }

    // end::write[]

    /** A response that could not be sent whole because its records could not be read from the log. */
    static final class SendException extends IOException {
        SendException(Exception cause) {
            super("a response could not be sent whole: " + cause.getMessage(), cause);
        }
    }

    void close() {
        memory.closed(this, withinAllowance, granted, inHand, answerBytes);
        withinAllowance = 0;
        granted = 0;
        inHand = 0;
        answerBytes = 0;
        frame = null;
        key.cancel();
        try {
            io.close(); // over TLS, with close_notify if the socket takes it at once
        } catch (IOException ignored) {
            // closing a socket that failed: nothing more to do
        }
    }

    /** A frame size no request may have; the four bytes are kept so the log can say what they looked like. */
    static final class FrameException extends IOException {
        final int length;
        final byte[] sizeBytes;

        FrameException(int length, byte[] sizeBytes) {
            super("a frame of " + length + " bytes");
            this.length = length;
            this.sizeBytes = sizeBytes;
        }
    }
}
