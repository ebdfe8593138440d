package toykafka.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.SslEngineFactory;
import toykafka.broker.security.SslPrincipalMapper;

/**
 * TLS as one listener serves it (SSL or SASL_SSL): the engines its settings make, and who a client is once the
 * handshake is done. On SSL the client certificate's subject, mapped by {@code ssl.principal.mapping.rules}, is the
 * principal, or {@code User:ANONYMOUS} without one, as Kafka's {@code DefaultKafkaPrincipalBuilder} decides; on
 * SASL_SSL SASL decides after the handshake, and the certificate only proves the channel.
 */
record ListenerTls(SslEngineFactory engines, SslPrincipalMapper mapper, boolean principalFromCertificate) {

    /** A new connection's TLS, on the server's side of its handshake. */
    SslTransportLayer transport(SocketChannel channel) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
        return new SslTransportLayer(channel, engines.createServerEngine(peer.getAddress().getHostAddress(),
                peer.getPort()));
    }

    /**
     * Who the handshake says the client is, on SSL: its certificate's mapped name, or User:ANONYMOUS when it sent none.
     *
     * @throws IllegalArgumentException when no mapping rule applies to the certificate's name: Kafka refuses it
     */
    KafkaPrincipal principalOf(SSLSession session) {
        try {
            return session.getPeerPrincipal() instanceof X500Principal subject
                    ? mapper.principalOf(subject.getName()) : KafkaPrincipal.ANONYMOUS;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return KafkaPrincipal.ANONYMOUS;
        }
    }
}
