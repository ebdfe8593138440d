package toykafka.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a loopback port between Kafka clients and a broker's Kafka port, for tests. It forwards
 * every frame both ways, reading Kafka's framing as it goes (a 4-byte size, then a request whose first two
 * bytes are its api key, or a response whose first four are the correlation id it answers), so it can count
 * Produce requests and, when made with {@link #droppingFirstProduceResponse}, swallow the response to the
 * first one and close that connection: the network failing after the broker wrote a batch, which makes a
 * producer send the same batch again on a new connection. It counts the responses to each kind of request too (by
 * correlation id), so a test can wait for the broker to have answered, say, a group's heartbeat.
 *
 * <p>The broker advertises the proxy's port ({@code advertised.port}), so every connection a client opens,
 * not just the bootstrap one, comes through here. The broker it forwards to can change ({@link #target}):
 * a broker killed and started again on another port is still reached at the proxy's address, as a client
 * reaches a restarted Kafka broker at its advertised listener. Its threads are daemons that end when their
 * sockets close; {@link #close} closes them all.
 */
final class KafkaProxy implements AutoCloseable {

    private static final short PRODUCE = 0;
    /** A frame larger than this is not Kafka's (the broker's own limit is 100 MiB): the connection is dropped. */
    private static final int LARGEST_FRAME = 128 << 20;

    private final ServerSocket server;
    private final boolean dropFirstProduceResponse;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean dropChosen = new AtomicBoolean();
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final AtomicInteger produceRequests = new AtomicInteger();
    private final Map<Short, AtomicInteger> answered = new ConcurrentHashMap<>();
    private volatile int targetPort;

    private KafkaProxy(boolean dropFirstProduceResponse) throws IOException {
        this.dropFirstProduceResponse = dropFirstProduceResponse;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = daemon("kafka-proxy-accept", this::accept);
    }

    /** A proxy that forwards everything, once given a {@link #target}. */
    static KafkaProxy forwardingAll() throws IOException {
        return new KafkaProxy(false);
    }

    /** A proxy that forwards everything but the response to the first Produce request it sees. */
    static KafkaProxy droppingFirstProduceResponse() throws IOException {
        return new KafkaProxy(true);
    }

    /** The loopback port clients connect to: the broker's {@code advertised.port}. */
    int port() {
        return server.getLocalPort();
    }

    /** Where new connections go: the broker's Kafka port on loopback. Connections already open stay where they are. */
    void target(int brokerPort) {
        targetPort = brokerPort;
    }

    /** How many Produce requests clients sent through the proxy. */
    int produceRequests() {
        return produceRequests.get();
    }

    /** How many requests of the api key {@code apiKey} the broker has answered through the proxy. */
    int answered(short apiKey) {
        AtomicInteger count = answered.get(apiKey);
        return count == null ? 0 : count.get();
    }

    /** Whether the response to the first Produce request was swallowed. */
    boolean droppedAResponse() {
        return dropped.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            sockets.add(client);
            Socket broker = new Socket();
            try {
                broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
            } catch (IOException brokerDown) {
                closeQuietly(client); // as a broker that is down looks to a client: it connects again later
                closeQuietly(broker);
                continue;
            }
            sockets.add(broker);
            new Pipe(client, broker).start();
        }
    }

    /** One client connection and its connection to the broker, with a thread for each direction. */
    private final class Pipe {
        final Socket client;
        final Socket broker;
        /** The correlation id of the request whose response this connection swallows, if it is the chosen one. */
        volatile int droppedCorrelationId;
        volatile boolean dropsOne;
        /** The api key of each request sent on this connection and not yet answered, by correlation id. */
        final Map<Integer, Short> unanswered = new ConcurrentHashMap<>();

        Pipe(Socket client, Socket broker) {
            this.client = client;
            this.broker = broker;
        }

        void start() {
            daemon("kafka-proxy-requests", () -> forward(client, broker, this::request));
            daemon("kafka-proxy-responses", () -> forward(broker, client, this::response));
        }

        /** Notes each request's api key, and counts a Produce request; the first of all is marked before it is sent. */
        boolean request(ByteBuffer frame) {
            if (frame.remaining() >= 8) {
                unanswered.put(frame.getInt(4), frame.getShort(0)); // before it is sent: the response cannot outrun it
            }
            if (frame.remaining() >= 8 && frame.getShort(0) == PRODUCE) {
                produceRequests.incrementAndGet();
                if (dropFirstProduceResponse && dropChosen.compareAndSet(false, true)) {
                    droppedCorrelationId = frame.getInt(4);
                    dropsOne = true;
                }
            }
            return true;
        }

        /** Swallows the chosen response and closes both sides: the client never learns its batch was written. */
        boolean response(ByteBuffer frame) {
            Short apiKey = frame.remaining() >= 4 ? unanswered.remove(frame.getInt(0)) : null;
            if (dropsOne && frame.remaining() >= 4 && frame.getInt(0) == droppedCorrelationId) {
                dropped.set(true);
                closeQuietly(client);
                closeQuietly(broker);
                return false;
            }
            if (apiKey != null) {
                answered.computeIfAbsent(apiKey, key -> new AtomicInteger()).incrementAndGet();
            }
            return true;
        }

        /** Copies frames from one socket to the other until either closes; then closes both. */
        private void forward(Socket from, Socket to, FrameFilter filter) {
            try (Socket in = from; Socket out = to) {
                DataInputStream frames = new DataInputStream(in.getInputStream());
                DataOutputStream sink = new DataOutputStream(out.getOutputStream());
                while (true) {
                    int size = frames.readInt();
                    if (size < 0 || size > LARGEST_FRAME) {
                        return;
                    }
                    byte[] body = new byte[size];
                    frames.readFully(body);
                    if (!filter.passes(ByteBuffer.wrap(body))) {
                        return;
                    }
                    sink.writeInt(size);
                    sink.write(body);
                    sink.flush();
                }
            } catch (EOFException | SocketException closed) {
                // one side went away: closing both tells the other
            } catch (IOException e) {
                // the same, less politely
            } finally {
                sockets.remove(from);
                sockets.remove(to);
            }
        }
    }

    @FunctionalInterface
    private interface FrameFilter {
        /** Whether the frame goes on; false ends the connection. */
        boolean passes(ByteBuffer frame);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    /** Closes the port and every connection; the threads end as their sockets close. */
    @Override
    public void close() throws InterruptedException {
        try {
            server.close();
        } catch (IOException e) {
            // the port is closed either way
        }
        sockets.forEach(KafkaProxy::closeQuietly);
        acceptor.join(10_000);
    }
}
