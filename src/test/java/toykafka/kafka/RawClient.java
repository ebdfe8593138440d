package toykafka.kafka;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import toykafka.testing.RunningBroker;

/**
 * A socket to the Kafka front end for bytes no well-behaved client sends: what it writes is sent as given,
 * and {@link #outcome()} says whether the broker answered, closed the connection, or said nothing before
 * the socket's read timeout.
 */
final class RawClient implements AutoCloseable {

    enum Outcome { ANSWERED, CLOSED, SILENT }

    private final Socket socket;
    private final DataInputStream in;
    private ByteBuffer lastResponse;

    RawClient(RunningBroker broker, int readTimeoutMs) {
        try {
            socket = new Socket(broker.host(), broker.port());
            socket.setSoTimeout(readTimeoutMs);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request as Kafka's classes write it, its 4-byte size first. */
    static byte[] frame(ApiMessage request, int version, int correlationId) {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        RequestHeader header = new RequestHeader(key, (short) version, "toykafka-fuzz", correlationId);
        ByteBuffer body = RequestUtils.serialize(header.data(), header.headerVersion(), request, (short) version);
        return sized(body);
    }

    /** A header Kafka's classes may not write (an api key or version that does not exist), with this body. */
    static byte[] frame(short apiKey, short version, boolean headerV2, byte[] body) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(apiKey).setRequestApiVersion(version)
                .setCorrelationId(1).setClientId(null);
        ByteBuffer head = ByteBuffer.allocate(2 + 2 + 4 + 2 + (headerV2 ? 1 : 0));
        head.putShort(header.requestApiKey()).putShort(header.requestApiVersion()).putInt(header.correlationId())
                .putShort((short) -1);
        if (headerV2) {
            head.put((byte) 0);
        }
        return sized(ByteBuffer.allocate(head.capacity() + body.length).put(head.flip()).put(body).flip());
    }

    static byte[] sized(ByteBuffer body) {
        return ByteBuffer.allocate(4 + body.remaining()).putInt(body.remaining()).put(body).array();
    }

    /** Writes the bytes; false when the broker already closed the connection. */
    boolean write(byte[] bytes) {
        return write(bytes, 0, bytes.length);
    }

    boolean write(byte[] bytes, int offset, int length) {
        try {
            socket.getOutputStream().write(bytes, offset, length);
            socket.getOutputStream().flush();
            return true;
        } catch (SocketException e) {
            return false; // reset or broken pipe: the broker closed first
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells the broker nothing more will come (it then closes once it has answered). */
    void finishWriting() {
        try {
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // already closed by the broker
        }
    }

    /** One response frame, the broker closing, or silence until the read timeout. */
    Outcome outcome() {
        try {
            int size = in.readInt();
            byte[] body = new byte[size];
            in.readFully(body);
            lastResponse = ByteBuffer.wrap(body);
            return Outcome.ANSWERED;
        } catch (SocketTimeoutException e) {
            return Outcome.SILENT;
        } catch (EOFException | SocketException e) {
            return Outcome.CLOSED;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #outcome()}, with the socket's read timeout set to {@code readTimeoutMs} from now on. */
    Outcome outcomeWaitingUpTo(int readTimeoutMs) {
        try {
            socket.setSoTimeout(readTimeoutMs);
        } catch (SocketException e) {
            return Outcome.CLOSED;
        }
        return outcome();
    }

    /** The response {@link #outcome()} read last, from its correlation id on. */
    ByteBuffer lastResponse() {
        return lastResponse;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // done with it
        }
    }
}
