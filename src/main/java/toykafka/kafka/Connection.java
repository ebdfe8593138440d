package toykafka.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import toykafka.lesson08.FileSlice;

/**
 * One client's connection, as the selector thread sees it: a frame being read (its 4-byte size, then that
 * many bytes), then the request handled while the connection reads nothing more, then the response being
 * written. One request at a time per connection, as Kafka's broker does, so responses go out in the order
 * the requests came in without any bookkeeping. Only the selector thread touches this object.
 */
final class Connection {

    enum State { READING, HANDLING, WRITING }

    /** The smallest frame that could hold a request header: key, version, correlation id, client id length. */
    static final int SMALLEST_REQUEST = 2 + 2 + 4 + 2;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final String peer;
    private final ByteBuffer size = ByteBuffer.allocate(4);
    private ByteBuffer frame;
    private final ArrayDeque<ProtocolWriter.Part> unsent = new ArrayDeque<>();
    private State state = State.READING;
    private long lastActiveNanos;

    Connection(SocketChannel channel, SelectionKey key, String peer, long now) {
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.lastActiveNanos = now;
    }

    String peer() {
        return peer;
    }

    State state() {
        return state;
    }

    long lastActiveNanos() {
        return lastActiveNanos;
    }

    /**
     * Reads what the socket has toward the next frame.
     *
     * @param maxFrameBytes the largest frame accepted ({@code socket.request.max.bytes})
     * @return the whole frame once it is in, else null
     * @throws FrameException for a size no request may have, before reading any of it
     * @throws IOException    when the client closed the connection or the socket failed
     */
    ByteBuffer read(int maxFrameBytes, long now) throws IOException {
        if (frame == null) {
            if (channel.read(size) < 0) {
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
            frame = ByteBuffer.allocate(length);
        }
        if (channel.read(frame) < 0) {
            throw new IOException("the client closed the connection in the middle of a request");
        }
        lastActiveNanos = now;
        if (frame.hasRemaining()) {
            return null;
        }
        ByteBuffer whole = frame.flip();
        frame = null;
        size.clear();
        state = State.HANDLING;
        key.interestOps(0); // nothing more is read until this request is answered
        return whole;
    }

    /** Queues a response's parts, the 4-byte size first, and starts writing them. */
    void respond(List<ProtocolWriter.Part> parts, long now) throws IOException {
        unsent.addAll(parts);
        state = State.WRITING;
        write(now);
    }

    /** A request that gets no response (a produce with acks=0): the next one may be read. */
    void noResponse() {
        state = State.READING;
        key.interestOps(SelectionKey.OP_READ);
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
            try {
                written = next.sendOnce(channel);
            } catch (FileSlice.SegmentClosedException | RuntimeException e) {
                throw new SendException(e);
            }
            if (written > 0) {
                lastActiveNanos = now;
            }
            if (!next.sent()) {
                key.interestOps(SelectionKey.OP_WRITE); // the socket is full: wait until it drains
                return;
            }
            unsent.poll();
        }
        state = State.READING;
        key.interestOps(SelectionKey.OP_READ);
    }
    // end::write[]

    /** A response that could not be sent whole because its records could not be read from the log. */
    static final class SendException extends IOException {
        SendException(Exception cause) {
            super("a response could not be sent whole: " + cause.getMessage(), cause);
        }
    }

    void close() {
        key.cancel();
        try {
            channel.close();
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
