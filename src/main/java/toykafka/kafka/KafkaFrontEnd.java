package toykafka.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import toykafka.broker.Broker;
import toykafka.common.ThrottledLine;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.ListenerEndpoints;

// tag::front-end[]
/**
 * The broker's Kafka front end: Kafka's own binary protocol over TCP, so Kafka's clients and tools work
 * against it. One selector thread owns every socket and only moves bytes: it reads a frame (a 4-byte size,
 * then a request), hands it to the handler threads of a {@link KafkaRequestHandlerPool}, and writes the
 * response the pool hands back. A handler never makes the selector wait, and a fetch that waits for data
 * holds no thread at all: it completes from the broker's purgatory. Kafka's {@code SocketServer} (acceptor
 * and processors) and {@code KafkaRequestHandlerPool} split the work the same way, with more threads. It accepts
 * on each of the broker's listeners ({@link Acceptor}); a connection to a SASL_PLAINTEXT listener is served only
 * once it has authenticated ({@link SaslServerAuthenticator}).
 *
 * <p>A frame larger than {@code socket.request.max.bytes}, a header that cannot be read, an API key this
 * broker does not serve or a body that does not parse closes the connection with a line in the log, as
 * Kafka does: a client that sends such bytes is not speaking Kafka's protocol, so no answer would help.
 *
 * <p>Hostile or broken clients are bounded as Kafka bounds them: at most {@code max.connections} open at
 * once, and at most {@code max.connections.per.ip} from one address (or its {@code
 * max.connections.per.ip.overrides}); more are accepted and closed at once, unless a connection idle long
 * enough makes room ({@link ConnectionTimeouts}). At most {@code queued.max.request.bytes} is held for frames
 * still arriving, requests not yet answered and answers not yet taken ({@link RequestMemory}): past it the
 * broker stops reading large frames until memory frees, while small requests still go through. Beyond Kafka,
 * a connection must send its first whole request within {@code request.arrival.timeout.ms}, so silent
 * connections cannot hold the connection slots for the ten minutes of {@code connections.max.idle.ms}; a
 * large request holding memory others wait for must arrive whole within it too, and an answer its client
 * takes nothing of is dropped after it while memory runs short.
 */
public final class KafkaFrontEnd implements AutoCloseable {
    // end::front-end[]

    /**
     * How to listen, read from the broker's settings when it starts: the listeners ({@code listeners}, or {@code
     * host} and {@code kafka.port}), {@code socket.request.max.bytes}, {@code connections.max.idle.ms}, {@code
     * request.arrival.timeout.ms}, {@code queued.max.request.bytes}, {@code socket.send.buffer.bytes} and {@code
     * socket.receive.buffer.bytes} (each 0 or less for the system's own); whether to print each request and
     * response ({@code --trace}); and {@code connection.failed.authentication.delay.ms}.
     */
    private record Settings(List<ListenerEndpoints.EndPoint> endPoints, int maxRequestBytes, long idleMs, long arrivalMs,
                            long queuedMaxRequestBytes, int sendBufferBytes, int receiveBufferBytes, boolean trace,
                            long failedAuthenticationDelayMs) {
    }

    /** How long accepting pauses when the system refuses a socket (out of file descriptors, say). */
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Broker broker;
    private final Settings settings;
    private final ConnectionTimeouts timeouts;
    private volatile ConnectionLimits limits;
    private final Consumer<BrokerConfig> limitsChanged = this::changeConnectionLimits;
    private final PrintStream log;
    private final List<Acceptor> acceptors = new ArrayList<>();
    /** Whether any listener speaks TLS, whose layer may hold bytes the selector does not announce. */
    private final boolean tlsListeners;
    private final Selector selector;
    private final KafkaRequestHandlerPool handlers;
    /** Work for the selector thread, handed over by handler threads: responses to send, connections to close. */
    private final ConcurrentLinkedQueue<Runnable> forSelector = new ConcurrentLinkedQueue<>();
    private final OpenConnections connections = new OpenConnections();
    private final FailedAuthentications failedAuthentications;
    private final RequestMemory memory;
    /** The log lines a flood could repeat thousands of times a second: at most one every ten seconds each. */
    private final ThrottledLine refusedLine;
    private final ThrottledLine acceptFailedLine;
    private final ThrottledLine silentLine;
    private final ThrottledLine reclaimedLine;
    private final ThrottledLine unauthenticatedLine;
    /** When accepting resumes after the system refused a socket, or 0 while accepting. */
    private long acceptPausedUntil;
    private long lastIdleCheck = System.nanoTime();
    private final Thread selectorThread;
    private volatile boolean open = true;
    private final CompletableFuture<Throwable> stoppedListening = new CompletableFuture<>();

    private KafkaFrontEnd(Broker broker, Settings settings, ConnectionLimits limits, PrintStream log) throws IOException {
        this.broker = broker;
        this.settings = settings;
        this.limits = limits;
        this.timeouts = new ConnectionTimeouts(settings.idleMs(), settings.arrivalMs(), settings.queuedMaxRequestBytes(),
                settings.trace());
        this.log = log;
        this.selector = Selector.open();
        try {
            for (ListenerEndpoints.EndPoint endPoint : settings.endPoints()) {
                acceptors.add(Acceptor.open(broker, endPoint, ListenerSecurity.mechanisms(broker, endPoint),
                        ListenerSecurity.tls(broker, endPoint), selector, settings.receiveBufferBytes()));
            }
        } catch (IOException | RuntimeException e) {
            for (Acceptor acceptor : acceptors) {
                acceptor.server().close();
            }
            selector.close();
            throw e;
        }
        this.tlsListeners = acceptors.stream().anyMatch(acceptor -> acceptor.tls() != null);
        this.handlers = new KafkaRequestHandlerPool(new ApiTable(KafkaApis.forBroker(broker)),
                broker.access().quotas().request(), new SelectorRequestChannel(this), broker.delayedActions(), settings.trace(), log);
        this.memory = new RequestMemory(settings.queuedMaxRequestBytes(), limits.maxConnections());
        this.failedAuthentications = new FailedAuthentications(settings.failedAuthenticationDelayMs());
        this.refusedLine = new ThrottledLine(log, TimeUnit.SECONDS.toNanos(10));
        this.acceptFailedLine = new ThrottledLine(log, TimeUnit.SECONDS.toNanos(10));
        this.silentLine = new ThrottledLine(log, TimeUnit.SECONDS.toNanos(10));
        this.reclaimedLine = new ThrottledLine(log, TimeUnit.SECONDS.toNanos(10));
        this.unauthenticatedLine = new ThrottledLine(log, TimeUnit.SECONDS.toNanos(10));
        this.selectorThread = new Thread(this::run, "toykafka-kafka-selector");
        selectorThread.setDaemon(true);
    }

    /**
     * Starts listening as the broker's settings say; the ports are bound when this returns.
     *
     * @param trace whether to print a line for each request and response, for a learner to read
     * @param log   where refused connections and the trace go
     */
    public static KafkaFrontEnd start(Broker broker, boolean trace, PrintStream log) throws IOException {
        BrokerConfig config = Objects.requireNonNull(broker, "broker").config();
        Settings settings = new Settings(ListenerEndpoints.of(config), config.requestMaxBytes(),
                config.connectionsMaxIdleMs(), config.requestArrivalTimeoutMs(), config.queuedMaxRequestBytes(),
                config.socketSendBufferBytes(), config.socketReceiveBufferBytes(), trace,
                Long.parseLong(config.get(ListenerEndpoints.CONNECTION_FAILED_AUTHENTICATION_DELAY_MS)));
        ConnectionLimits limits;
        try {
            limits = ConnectionLimits.of(config);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        KafkaFrontEnd front = new KafkaFrontEnd(broker, settings, limits, log);
        broker.dynamicConfigs().whenChanged(front.limitsChanged);
        front.selectorThread.start();
        return front;
    }

    /** The broker's settings changed while it runs: connections accepted from now on meet the new limits. */
    private void changeConnectionLimits(BrokerConfig config) {
        ConnectionLimits changed = ConnectionLimits.of(config);
        onSelectorThread(() -> { // the selector thread alone uses the memory pool
            limits = changed;
            memory.maxConnections(changed.maxConnections());
        });
    }

    /** The port of the first listener: the one asked for, or the one picked when that was 0. */
    public int port() {
        return acceptors.get(0).boundPort();
    }

    /** The port of the listener of this name (PLAINTEXT, SASL_PLAINTEXT …). */
    public int port(String listenerName) {
        return acceptor(listenerName).boundPort();
    }

    /** The address clients connect to on the first listener, host:port, as Kafka's {@code bootstrap.servers} takes it. */
    public String bootstrapServers() {
        return bootstrapServers(acceptors.get(0).listener().name());
    }

    /** The address clients connect to on the listener of this name. */
    public String bootstrapServers(String listenerName) {
        return acceptor(listenerName).bootstrapServers();
    }

    /** The listeners' names, in the order {@code listeners} gives them. */
    public List<String> listenerNames() {
        return acceptors.stream().map(acceptor -> acceptor.listener().name()).toList();
    }

    private Acceptor acceptor(String listenerName) {
        return acceptors.stream().filter(acceptor -> acceptor.listener().name().equals(listenerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener named " + listenerName));
    }

    /**
     * Completes, with the reason, if the thread that owns every socket stops while this front end is open: no
     * client can reach the broker over Kafka's protocol any more, and whoever runs the broker should stop it so
     * it can be started again, rather than leave one that answers HTTP and looks healthy.
     */
    public CompletableFuture<Throwable> stoppedListening() {
        return stoppedListening;
    }

    /** Runs a task on the selector thread, between two selects: the one thread that touches the sockets. */
    void onSelectorThread(Runnable task) {
        forSelector.add(task);
        selector.wakeup();
    }

    /** Connections open now (for tests and statistics). */
    int openConnections() {
        return connections.count();
    }

    /** Connections open now from one client address (for tests). */
    int openConnectionsFrom(InetAddress address) {
        return connections.from(address);
    }

    /** Bytes held for frames still arriving and requests not yet answered, now and at most (queued.max.request.bytes). */
    RequestMemory requestMemory() {
        return memory;
    }

    // ---- the selector thread ----

    /** After close() the selector stops by design; before, whatever stopped it is fatal to the listener. */
    private void run() {
        try {
            select();
        } catch (Throwable e) { // an OutOfMemoryError too: the broker without its listener must not look healthy
            if (open) {
                log.println("kafka: the listener stopped: " + e); // first: whoever hears of it may stop the broker
                stoppedListening.complete(e);
            }
        }
    }

    private void select() throws IOException {
        long idleCheckEvery = timeouts.checkEveryMs();
        boolean readsWait = false;
        while (open) {
            if (readsWait) {
                selector.selectNow();
            } else {
                selector.select(failedAuthentications.untilNextDue(connections.untilNextThrottleEnds(idleCheckEvery),
                        System.nanoTime()));
            }
            Runnable task;
            while ((task = forSelector.poll()) != null) {
                task.run();
            }
            failedAuthentications.due(System.nanoTime()).forEach(this::answerAndClose);
            connections.endThrottles();
            for (SelectionKey key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept((Acceptor) key.attachment());
                } else {
                    Connection connection = (Connection) key.attachment();
                    if (connection.handshaking()) {
                        handshake(connection);
                    } else if (key.isReadable()) {
                        readFrom(connection);
                    } else if (key.isValid() && key.isWritable()) {
                        writeTo(connection);
                    }
                }
            }
            selector.selectedKeys().clear();
            readsWait = readWhatTlsHolds();
            wakeWaitingForMemory();
            resumeAccepting();
            closeIdle();
        }
    }

    /** A TLS handshake goes on as the socket allows; one that fails closes its connection, with a line that says why. */
    private void handshake(Connection connection) {
        try {
            if (connection.handshake(System.nanoTime()) && connection.hasBufferedReads()) {
                readFrom(connection);
            }
        } catch (IOException e) {
            unauthenticatedLine.println("kafka: closing the connection from " + connection.peer() + " on "
                    + connection.listener().name() + ": its TLS handshake failed: " + e.getMessage(), System.nanoTime());
            close(connection, null);
        }
    }

    /**
     * Reads the frames a TLS layer took from the socket with earlier bytes, which no selection will announce (Kafka's
     * keys with buffered reads); whether any connection still holds some, so the next select must not wait.
     */
    private boolean readWhatTlsHolds() {
        List<Connection> waiting = tlsListeners ? connections.withBufferedReads() : List.of();
        waiting.forEach(this::readFrom);
        return waiting.stream().anyMatch(Connection::hasBufferedReads);
    }

    private void accept(Acceptor acceptor) {
        SocketChannel channel = null;
        try {
            while ((channel = acceptor.server().accept()) != null) {
                InetAddress address = Connection.addressOf(channel);
                ConnectionLimits limits = this.limits;
                if (connections.count() >= limits.maxConnections() && !reclaimOne()) {
                    refuse(channel, "max.connections=" + limits.maxConnections() + " are open, none idle for "
                            + BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS + "=" + settings.arrivalMs());
                    continue;
                }
                int fromAddress = connections.from(address);
                if (fromAddress >= limits.maxConnectionsFrom(address)) {
                    refuse(channel, "it holds " + fromAddress + " connections, its max.connections.per.ip"
                            + (limits.perIpOverrides().containsKey(address) ? " (overridden)" : "") + "="
                            + limits.maxConnectionsFrom(address));
                    continue;
                }
                Connection connection = acceptor.connect(channel, address, selector, memory, settings.sendBufferBytes());
                if (connection != null) {
                    connections.add(connection);
                }
            }
        } catch (IOException e) {
            Connection.closeQuietly(channel);
            // out of file descriptors, say: the socket waits in the backlog, so accepting again at once would spin
            acceptFailedLine.println("kafka: cannot accept a connection: " + e.getMessage()
                    + "; accepting again in 100 ms", System.nanoTime());
            acceptors.forEach(paused -> paused.key().interestOps(0));
            acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
        }
    }

    /** Closes the connection idle longest, if one has been idle long enough, to make room for a new one. */
    private boolean reclaimOne() {
        long now = System.nanoTime();
        Connection idle = timeouts.toReclaim(connections.all(), now);
        if (idle == null) {
            return false;
        }
        reclaimedLine.println("kafka: closing the connection from " + idle.peer() + ", idle for "
                + TimeUnit.NANOSECONDS.toMillis(now - idle.lastActiveNanos()) + " ms" + (idle.worked() ? ""
                : " after only ApiVersions") + ", to make room for a new one: max.connections=" + limits.maxConnections()
                + " are open", now);
        close(idle, null);
        return true;
    }

    /** One connection too many: accepted, so the client is not left waiting in the backlog, and closed at once. */
    private void refuse(SocketChannel channel, String why) {
        refusedLine.println("kafka: refusing the connection from " + Connection.peerOf(channel) + ": " + why,
                System.nanoTime());
        Connection.closeQuietly(channel);
    }

    private void resumeAccepting() {
        if (acceptPausedUntil != 0 && System.nanoTime() - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            acceptors.forEach(resumed -> resumed.key().interestOps(SelectionKey.OP_ACCEPT));
        }
    }

    /** Answers and closed connections freed memory: muted connections try again, reading at once. */
    private void wakeWaitingForMemory() {
        for (Connection connection : memory.toWake()) {
            if (connections.contains(connection)) {
                connection.unmute(System.nanoTime());
                readFrom(connection);
            }
        }
    }

    private void readFrom(Connection connection) {
        ByteBuffer frame;
        try {
            frame = connection.read(maxFrameBytes(connection), System.nanoTime());
        } catch (Connection.FrameException e) {
            refuseFrame(connection, e);
            return;
        } catch (IOException e) {
            close(connection, null);
            return;
        }
        if (frame != null) {
            handlers.submit(connection, frame);
        }
    }

    private void writeTo(Connection connection) {
        try {
            connection.write(System.nanoTime());
        } catch (IOException e) {
            writeFailed(connection, e);
            return;
        }
        closeIfAuthenticationFailed(connection);
    }

    /** A connection whose SASL authentication failed closes once the answer saying so is out, as Kafka's does. */
    private void closeIfAuthenticationFailed(Connection connection) {
        if (connection.authenticationFailed() && connection.state() == Connection.State.READING) {
            unauthenticatedLine.println("kafka: closing the connection from " + connection.peer() + " on "
                    + connection.listener().name() + ": its SASL authentication failed", System.nanoTime());
            close(connection, null);
        }
    }

    /** A client that went away closes quietly; a response the broker could not send whole is logged. */
    private void writeFailed(Connection connection, IOException e) {
        close(connection, e instanceof Connection.SendException ? e.getMessage() : null);
    }

    // tag::refuse-frame[]
    /**
     * A size no request may have. Four printable letters such as "GET " or "POST" are an HTTP client on the
     * wrong port: it gets a short HTTP answer saying which port speaks HTTP, so curl shows something useful.
     */
    private void refuseFrame(Connection connection, Connection.FrameException e) {
        String method = HttpOnKafkaPort.method(e.sizeBytes);
        if (method != null) {
            log.println("kafka: " + connection.peer() + " sent HTTP (\"" + method + " ...\") to the Kafka port "
                    + port() + ", which speaks Kafka's binary protocol; HTTP is on port " + broker.config().httpPort());
            sendAndClose(connection, HttpOnKafkaPort.answer(port(), broker.config().httpPort()));
            return;
        }
        close(connection, "a frame of " + e.length + " bytes, outside 10 to " + (unauthenticated(connection)
                ? "sasl.server.max.receive.size=" : "socket.request.max.bytes=") + maxFrameBytes(connection));
    }

    /** The largest frame a connection may send: less before its SASL authentication, as Kafka bounds it. */
    private int maxFrameBytes(Connection connection) {
        return unauthenticated(connection) ? SaslServerAuthenticator.MAX_RECEIVE_SIZE : settings.maxRequestBytes();
    }

    private static boolean unauthenticated(Connection connection) {
        return connection.sasl() != null && !connection.sasl().complete();
    }
    // end::refuse-frame[]

    private void sendAndClose(Connection connection, ByteBuffer bytes) {
        try {
            connection.respond(List.of(new ProtocolWriter.BytesPart(bytes)), System.nanoTime());
        } catch (IOException ignored) {
            // the client went away first
        }
        close(connection, null);
    }

    void close(Connection connection, String why) {
        if (why != null) {
            log.println("kafka: closing the connection from " + connection.peer() + ": " + why);
        }
        connection.close();
        if (connections.remove(connection)) {
            // its share sessions end: after any a request opened, as none is closed mid-request, and on a handler
            // thread, as giving back what they held writes share state
            handlers.execute(() -> broker.sharePartitions().connectionClosed(connection.id()));
        }
    }

    /**
     * Closes connections that sent nothing for {@code connections.max.idle.ms}, unless a request is in hand;
     * those that sent no whole request within {@code request.arrival.timeout.ms} of opening; and a large
     * request that did not arrive whole within it while others wait for the memory it holds; what {@link
     * ConnectionTimeouts} says to, a tenth of the shorter timeout apart.
     */
    private void closeIdle() {
        long now = System.nanoTime();
        if (now - lastIdleCheck < TimeUnit.MILLISECONDS.toNanos(timeouts.checkEveryMs())) {
            return;
        }
        lastIdleCheck = now;
        timeouts.toClose(connections.all(), now, memory.anyWaiting(), memory.overBound()).forEach((connection, why) -> {
            if (why.throttled()) {
                silentLine.println("kafka: closing the connection from " + connection.peer() + ": " + why.why(), now);
            }
            close(connection, why.throttled() ? null : why.why());
        });
    }

    // ---- what the handlers hand back, carried out on the selector thread (SelectorRequestChannel) ----

    /**
     * Sends a handler's answer, then closes the connection if it told a failed authentication: after {@code
     * connection.failed.authentication.delay.ms}, as Kafka delays both ({@link FailedAuthentications}).
     */
    void respond(Connection connection, List<ProtocolWriter.Part> frame) {
        if (!connection.authenticationFailed() || !failedAuthentications.hold(connection, frame, System.nanoTime())) {
            answerAndClose(new FailedAuthentications.Held(connection, frame, 0));
        }
    }

    /** Sends an answer, if any, closing the connection if it told a failed authentication; a closed one is let be. */
    private void answerAndClose(FailedAuthentications.Held held) {
        Connection connection = held.connection();
        List<ProtocolWriter.Part> frame = held.answer();
        if (!connections.contains(connection) || frame == null) {
            close(connection, null);
            return;
        }
        try {
            connection.respond(frame, System.nanoTime());
        } catch (IOException e) {
            writeFailed(connection, e);
            return;
        }
        closeIfAuthenticationFailed(connection);
    }

    /** A client over a quota: once its answer is out, its connection reads nothing until {@code untilNanos}. */
    void throttle(Connection connection, long untilNanos) {
        connection.throttleUntil(untilNanos);
        connections.throttled(connection);
    }

    /** Closes a connection that sent what its SASL authentication does not allow, logged at most now and then. */
    void refuseUnauthenticated(Connection connection, String why) {
        unauthenticatedLine.println("kafka: closing the connection from " + connection.peer() + " on "
                + connection.listener().name() + ", not authenticated: " + why, System.nanoTime());
        if (!connection.authenticationFailed() || !failedAuthentications.hold(connection, null, System.nanoTime())) {
            close(connection, null);
        }
    }

    /** Where it listens, without the port, which changes from run to run when it was 0. */
    @Override
    public String toString() {
        List<ListenerEndpoints.EndPoint> endPoints = settings.endPoints();
        return "KafkaFrontEnd[listening on " + (endPoints.size() == 1 ? endPoints.get(0).host() : String.join(", ",
                endPoints.stream().map(endPoint -> endPoint.name() + " " + endPoint.host()).toList())) + "]";
    }

    /** Stops listening and closes every connection; requests in hand are dropped. */
    @Override
    public void close() {
        open = false;
        broker.dynamicConfigs().stopTelling(limitsChanged);
        try {
            selector.wakeup();
            selectorThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.close();
        for (Connection connection : connections.all()) {
            connection.close();
        }
        try {
            for (Acceptor acceptor : acceptors) {
                acceptor.server().close();
            }
            selector.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }
}
