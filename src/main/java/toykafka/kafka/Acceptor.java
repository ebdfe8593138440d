package toykafka.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import toykafka.broker.Broker;
import toykafka.broker.config.ListenerEndpoints;
import toykafka.broker.security.SaslMechanisms;

/**
 * One listener's listening socket, registered with the front end's one selector: where it listens, what clients
 * that come in on it are told ({@link Listener}), the SASL mechanisms its connections authenticate with (null
 * on a listener without SASL) and how long their sessions last ({@code connections.max.reauth.ms}), and its TLS
 * (null on a listener without). Kafka's {@code Acceptor}, one per listener; Kafka gives each its own thread, this
 * broker's single selector serves them all.
 */
record Acceptor(ListenerEndpoints.EndPoint endPoint, ServerSocketChannel server, SelectionKey key, Listener listener,
                SaslMechanisms sasl, ListenerTls tls, long maxReauthMs) {

    /**
     * Binds the listener's socket and registers it with {@code selector}, the acceptor attached to its key.
     *
     * @param receiveBufferBytes SO_RCVBUF of the listening socket, so the window it offers starts there; 0 or less
     *                           for the system's own
     */
    static Acceptor open(Broker broker, ListenerEndpoints.EndPoint endPoint, SaslMechanisms sasl, ListenerTls tls,
                         Selector selector, int receiveBufferBytes) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            if (receiveBufferBytes > 0) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            server.bind(endPoint.host().isEmpty() ? new InetSocketAddress(endPoint.port())
                    : new InetSocketAddress(endPoint.host(), endPoint.port()), 128);
            server.configureBlocking(false);
            int bound = ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
            Listener listener = new Listener(endPoint.name(), endPoint.securityProtocol(), broker.nodeId(),
                    broker.clusterId(), ListenerSecurity.advertisedHost(endPoint),
                    endPoint.advertisedPort() == 0 ? bound : endPoint.advertisedPort());
            SelectionKey key = server.register(selector, SelectionKey.OP_ACCEPT);
            Acceptor acceptor = new Acceptor(endPoint, server, key, listener, sasl, tls,
                    Long.parseLong(broker.config().get(ListenerEndpoints.CONNECTIONS_MAX_REAUTH_MS)));
            key.attach(acceptor);
            return acceptor;
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen for Kafka's protocol on " + endPoint + ": " + e.getMessage(), e);
        }
    }

    /** The port it listens on: the one asked for, or the one picked when that was 0. */
    int boundPort() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    /**
     * The address clients reach it at, host:port, as Kafka's {@code bootstrap.servers} takes it: the host it listens
     * on, or for a listener on every address the host it advertises.
     */
    String bootstrapServers() {
        return (endPoint.host().isEmpty() ? listener.host() : endPoint.host()) + ":" + boundPort();
    }

    /** A new connection's SASL authentication, or null on a listener without SASL. */
    SaslServerAuthenticator authenticator() {
        return sasl == null ? null : new SaslServerAuthenticator(sasl, maxReauthMs);
    }

    /**
     * A connection accepted on this listener, non-blocking and registered with {@code selector} to read, with this
     * listener's TLS layer and SASL authentication; null if its client went away before its TLS layer was made.
     *
     * @param sendBufferBytes SO_SNDBUF of the socket; 0 or less for the system's own
     */
    Connection connect(SocketChannel channel, InetAddress address, Selector selector, RequestMemory memory,
                       int sendBufferBytes) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (sendBufferBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
        }
        SslTransportLayer transport;
        try {
            transport = tls == null ? null : tls.transport(channel);
        } catch (IOException goneAlready) {
            Connection.closeQuietly(channel);
            return null;
        }
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        Connection connection = new Connection(channel, key, address, Connection.peerOf(channel), memory,
                System.nanoTime(), listener, authenticator(), tls, transport);
        key.attach(connection);
        return connection;
    }
}
