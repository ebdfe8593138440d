package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import toykafka.testing.RunningBroker;

/**
 * A test's connection to the Kafka front end that lets Kafka's own generated message classes do the
 * encoding: a request is a {@code *RequestData} written by Kafka's code, and the response bytes are read
 * by Kafka's {@code *ResponseData}. {@link #send} also checks that Kafka's classes, writing what they
 * read, give back exactly the bytes the broker sent: the oracle for our codec, byte for byte.
 */
final class KafkaWire implements AutoCloseable {

    /** How long a test waits for the broker to close a connection: long, so a busy machine only makes it slower. */
    private static final int CLOSE_WAIT_MILLIS = 60_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    KafkaWire(String host, int port) {
        this(host, port, 0);
    }

    /**
     * A connection whose socket takes at most about {@code receiveBufferBytes} before the test reads it (0:
     * the system's default): a slow consumer, whose broker must wait for room to send more.
     */
    KafkaWire(String host, int port, int receiveBufferBytes) {
        try {
            socket = new Socket();
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes); // before connecting, so the window is small from the start
            }
            socket.connect(new InetSocketAddress(host, port));
            socket.setSoTimeout(15_000);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KafkaWire(RunningBroker broker) {
        this(broker.host(), broker.port());
    }

    /** Sends {@code request} at {@code version}, and returns the response as Kafka's classes read it. */
    <T extends ApiMessage> T send(ApiMessage request, int version) {
        return read(request, sendForBody(request, version), version);
    }

    /** The size of the next response frame: waits until the broker begins to answer. */
    int readSize() {
        try {
            return in.readInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rest of a response frame of {@code size} bytes whose size {@link #readSize} read, the answer to
     * the last request {@link #sendOnly} sent, {@code request}, as Kafka's classes read it.
     */
    <T extends ApiMessage> T receiveRest(ApiMessage request, int version, int size) {
        try {
            byte[] bytes = new byte[size];
            in.readFully(bytes);
            ByteBuffer response = ByteBuffer.wrap(bytes);
            ApiKeys key = ApiKeys.forId(request.apiKey());
            ResponseHeader header = ResponseHeader.parse(response, key.responseHeaderVersion((short) version));
            assertEquals(correlationId, header.correlationId(), "the response's correlation id");
            return read(request, response, version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T read(ApiMessage request, ByteBuffer body, int version) {
        ApiMessage response = ApiMessageType.fromApiKey(request.apiKey()).newResponse();
        ByteBuffer original = body.duplicate();
        response.read(new ByteBufferAccessor(body), (short) version);
        assertEquals(0, body.remaining(), "bytes left over after Kafka's " + response.getClass().getSimpleName()
                + " v" + version + " read the response");
        ByteBuffer rewritten = MessageUtil.toByteBufferAccessor(response, (short) version).buffer();
        assertEquals(original, rewritten, "Kafka's " + response.getClass().getSimpleName() + " v" + version
                + " writes what it read differently from the broker's bytes");
        return (T) response;
    }

    /** Sends a request Kafka's classes encode and returns the response body's bytes, header read and checked. */
    ByteBuffer sendForBody(ApiMessage request, int version) {
        ApiKeys key = ApiKeys.forId(request.apiKey());
        RequestHeader header = new RequestHeader(key, (short) version, "toykafka-test", ++correlationId);
        ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), request, (short) version);
        ByteBuffer response = exchange(frame);
        ResponseHeader responseHeader = ResponseHeader.parse(response, key.responseHeaderVersion((short) version));
        assertEquals(correlationId, responseHeader.correlationId(), "the response's correlation id");
        return response;
    }

    /** Sends a request Kafka's classes encode and reads nothing: for a request that gets no response (acks=0). */
    void sendOnly(ApiMessage request, int version) {
        RequestHeader header = new RequestHeader(ApiKeys.forId(request.apiKey()), (short) version, "toykafka-test",
                ++correlationId);
        ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), request, (short) version);
        byte[] bytes = new byte[4 + frame.remaining()];
        ByteBuffer.wrap(bytes).putInt(frame.remaining()).put(frame);
        write(bytes);
    }

    /** Sends a frame's bytes after their size, and reads one response frame. */
    ByteBuffer exchange(ByteBuffer frame) {
        try {
            byte[] size = ByteBuffer.allocate(4).putInt(frame.remaining()).array();
            out.write(size);
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            out.write(bytes);
            out.flush();
            return readFrame();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes raw bytes, exactly as given (a size is not added). */
    void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response frame, without its size. */
    ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    /** How many bytes the broker sent that were not read yet: 0 while it has not answered. */
    int available() {
        try {
            return in.available();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the broker sends until it closes the connection. */
    byte[] readAll() {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the broker closes the connection (or resets it) rather than answering or keeping silent. */
    boolean closedByBroker() {
        try {
            socket.setSoTimeout(CLOSE_WAIT_MILLIS);
            return in.read() < 0;
        } catch (SocketTimeoutException silent) {
            return false; // neither an answer nor a close: a broker that hangs must fail the test, not pass it
        } catch (IOException e) {
            return true; // reset by the broker
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the test is done with it
        }
    }
}
