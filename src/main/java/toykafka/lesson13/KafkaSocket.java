package toykafka.lesson13;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A plain TCP connection to a broker's Kafka port that sends one request at a time and reads its response:
 * the frames as they travel, with no client library in between. Kafka's {@code NetworkClient} does the
 * same with several requests in flight per connection.
 */
public final class KafkaSocket implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private KafkaSocket(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(60_000); // a cap on a hung broker, not on a slow one
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /** Connects to {@code host:port}, as Kafka's {@code bootstrap.servers} names a broker. */
    public static KafkaSocket connect(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + hostAndPort + "' is not host:port, such as 127.0.0.1:9092");
        }
        try {
            return new KafkaSocket(new Socket(hostAndPort.substring(0, colon),
                    Integer.parseInt(hostAndPort.substring(colon + 1))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + hostAndPort + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends {@code request} (a header and a body) with its 4-byte size in front, and returns the response
     * without its size: the response header (the correlation id first) and the body.
     */
    public ByteBuffer exchange(ByteBuffer request) {
        send(request);
        try {
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return ByteBuffer.wrap(response);
        } catch (IOException e) {
            throw new UncheckedIOException("the broker sent no response: " + e.getMessage(), e);
        }
    }

    /** Sends {@code request} with its size in front and reads nothing back. */
    public void send(ByteBuffer request) {
        ByteBuffer bytes = request.duplicate();
        byte[] frame = new byte[4 + bytes.remaining()];
        ByteBuffer.wrap(frame).putInt(bytes.remaining()).put(bytes);
        sendRaw(frame);
    }

    /** Sends bytes exactly as given, size and all: for frames that are not Kafka's. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send to the broker: " + e.getMessage(), e);
        }
    }

    /** Whether the broker closes the connection, sending nothing, within a minute. */
    public boolean closedByBroker() {
        try {
            return in.read() < 0;
        } catch (EOFException | SocketTimeoutException e) {
            return e instanceof EOFException;
        } catch (IOException e) {
            return true; // reset by the broker
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }

    @Override
    public String toString() {
        return "KafkaSocket[connected to " + socket.getInetAddress().getHostAddress() + "]"; // the port changes run to run
    }
}
