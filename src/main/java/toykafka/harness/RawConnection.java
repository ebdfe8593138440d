package toykafka.harness;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A plain blocking socket to a broker speaking Kafka's framing, a 4-byte size, then a request header and body
 * written by Kafka's own classes; answers are read in the order the requests went, by Kafka's classes too. What
 * a light client stands on: the group benchmark's raw members, and the head-to-head's fetch-only consumer. One
 * thread may send while another receives, so requests can be pipelined.
 */
public final class RawConnection implements AutoCloseable {

    /** How long an answer may take before the broker is called stuck. */
    private static final Duration STALL = Duration.ofSeconds(30);

    private record Sent(ApiKeys key, short version, int correlationId) {
    }

    private final String clientId;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Queue<Sent> awaiting = new ConcurrentLinkedQueue<>();
    private int correlationId;

    /** Connects to the broker on the loopback port, as {@code clientId}. */
    public RawConnection(int port, String clientId) {
        this.clientId = clientId;
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout((int) STALL.toMillis());
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to the broker on port " + port, e);
        }
    }

    public void send(ApiKeys key, short version, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, version, clientId, ++correlationId);
        ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
        byte[] bytes = new byte[4 + frame.remaining()];
        ByteBuffer.wrap(bytes).putInt(frame.remaining()).put(frame);
        awaiting.add(new Sent(key, version, correlationId)); // before the write: its answer may come at once
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + key + " to the broker", e);
        }
    }

    /** How many requests sent are not answered yet. */
    public int unanswered() {
        return awaiting.size();
    }

    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T receive() {
        Sent sent = awaiting.remove();
        try {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            ByteBuffer frame = ByteBuffer.wrap(bytes);
            ResponseHeader header = ResponseHeader.parse(frame, sent.key().responseHeaderVersion(sent.version()));
            if (header.correlationId() != sent.correlationId()) {
                throw new IllegalStateException("the answer to " + sent.key() + " #" + sent.correlationId()
                        + " came with correlation id " + header.correlationId());
            }
            ApiMessage response = ApiMessageType.fromApiKey(sent.key().id).newResponse();
            response.read(new ByteBufferAccessor(frame), sent.version());
            return (T) response;
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + sent.key() + " from the broker", e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the run is over with it
        }
    }
}
