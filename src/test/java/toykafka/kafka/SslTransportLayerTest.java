package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.SslEngineFactory;
import toykafka.broker.security.SslPrincipalMapper;
import toykafka.testing.TlsContexts;
import toykafka.tools.ThrowawayCa;

/**
 * The TLS layer on a non-blocking socket, driven by a selector as the front end drives it, against the JDK's own
 * blocking TLS client: the bytes arrive whole both ways, a segment sent by transferTo arrives encrypted and whole, a
 * client certificate names the principal, and a client that does not speak TLS gets a clear refusal, not a hang.
 */
class SslTransportLayerTest {

    private static final String PASSWORD = "course-secret";
    private static final long SECONDS = 60;

    @TempDir
    static Path folder;
    private static ThrowawayCa.Material certificates;

    @BeforeAll
    static void makeCertificates() {
        certificates = ThrowawayCa.make(folder.resolve("certs"), "localhost", List.of("alice"), PASSWORD);
    }

    @Test
    void bytes_cross_both_ways_whole_however_the_socket_cuts_them() throws Exception {
        byte[] sent = new byte[1 << 20];
        new Random(77).nextBytes(sent);
        try (Server server = new Server("none")) {
            CompletableFuture<byte[]> echoed;
            try (SSLSocket client = server.connect(null)) {
                echoed = CompletableFuture.supplyAsync(() -> readExactly(client, sent.length));
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeAll(client, sent));
                server.echo(sent.length);
                writing.get(SECONDS, TimeUnit.SECONDS);
                assertArrayEquals(sent, echoed.get(SECONDS, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void a_segment_sent_by_transfer_to_arrives_encrypted_and_whole() throws Exception {
        byte[] segment = new byte[300_000];
        new Random(78).nextBytes(segment);
        Path file = Files.write(folder.resolve("00000000000000000000.log"), segment);
        try (Server server = new Server("none"); SSLSocket client = server.connect(null);
             FileChannel log = FileChannel.open(file)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readExactly(client, segment.length));
            server.handshake();
            long position = 0;
            while (position < segment.length || server.transport.hasPendingWrites()) {
                position += log.transferTo(position, segment.length - position, server.transport);
                if (position < segment.length || server.transport.hasPendingWrites()) {
                    server.await(SelectionKey.OP_WRITE);
                    position += server.transport.write(ByteBuffer.allocate(0));
                }
            }
            assertArrayEquals(segment, received.get(SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void a_client_certificate_names_the_principal_by_the_mapping_rules() throws Exception {
        try (Server server = new Server("required"); SSLSocket client = server.connect(certificates.clientKeyStores()
                .get("alice"))) {
            CompletableFuture.runAsync(() -> writeAll(client, new byte[] {1}));
            server.handshake();
            String subject = server.transport.session().getPeerPrincipal().getName();
            assertEquals(KafkaPrincipal.user("CN=alice"), SslPrincipalMapper.fromRules(null).principalOf(subject));
            assertEquals(KafkaPrincipal.user("alice"),
                    SslPrincipalMapper.fromRules("RULE:^CN=(.*?)$/$1/L,DEFAULT").principalOf(subject));
        }
    }

    @Test
    void a_client_without_a_certificate_is_refused_when_one_is_required_and_told_why() throws Exception {
        try (Server server = new Server("required"); SSLSocket client = server.connect(null)) {
            CompletableFuture<String> told = CompletableFuture.supplyAsync(() -> {
                try {
                    client.startHandshake();
                    return "read " + client.getInputStream().read();
                } catch (IOException refused) {
                    return refused.getMessage();
                }
            });
            assertThrows(SSLException.class, server::handshake);
            String heard = told.get(SECONDS, TimeUnit.SECONDS);
            assertTrue(heard.contains("bad_certificate"), "the client hears TLS's alert, as from Kafka: " + heard);
        }
    }

    @Test
    void a_client_that_speaks_no_tls_gets_a_clear_refusal() throws Exception {
        try (Server server = new Server("none"); Socket plain = new Socket(InetAddress.getLoopbackAddress(),
                server.port())) {
            plain.getOutputStream().write(new byte[] {0, 0, 0, 20, 0, 18, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0});
            server.accept();
            SSLException refused = assertThrows(SSLException.class, server::handshake);
            assertTrue(refused.getMessage().toLowerCase().contains("unrecognized")
                    || refused.getMessage().toLowerCase().contains("unsupported"), refused.getMessage());
        }
    }

    @Test
    void a_client_that_hangs_up_in_the_handshake_ends_it_with_an_end_of_stream() throws Exception {
        try (Server server = new Server("none")) {
            new Socket(InetAddress.getLoopbackAddress(), server.port()).close();
            server.accept();
            assertThrows(IOException.class, server::handshake);
        }
    }

    /** One connection's server side: a non-blocking socket under the layer, waited on by a selector. */
    private static final class Server implements AutoCloseable {
        final ServerSocketChannel listening;
        final Selector selector;
        final SslEngineFactory engines;
        SocketChannel channel;
        SelectionKey key;
        SslTransportLayer transport;

        Server(String clientAuth) throws IOException {
            listening = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            selector = Selector.open();
            engines = SslEngineFactory.configure(Map.of(
                    "ssl.keystore.type", "PKCS12",
                    "ssl.keystore.location", certificates.brokerKeyStore().toString(),
                    "ssl.keystore.password", PASSWORD,
                    "ssl.truststore.type", "PEM",
                    "ssl.truststore.location", certificates.caCertificate().toString(),
                    "ssl.client.auth", clientAuth));
        }

        int port() {
            return listening.socket().getLocalPort();
        }

        SSLSocket connect(Path keyStore) throws Exception {
            SSLSocket client = (SSLSocket) TlsContexts.of(keyStore, certificates.trustStore(), PASSWORD)
                    .getSocketFactory().createSocket("localhost", port());
            SSLParameters parameters = client.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            client.setSSLParameters(parameters);
            accept();
            return client;
        }

        void accept() throws IOException {
            channel = listening.accept();
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_READ);
            transport = new SslTransportLayer(channel, engines.createServerEngine("127.0.0.1", 0));
        }

        void handshake() throws IOException {
            while (!transport.handshake()) {
                await(transport.handshakeWantsWrite() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        }

        /** Reads and writes back {@code total} bytes, as a selector loop would, reading only what is there. */
        void echo(int total) throws IOException {
            handshake();
            ByteBuffer buffer = ByteBuffer.allocate(7_000);
            int echoed = 0;
            while (echoed < total) {
                int read = transport.hasBufferedReads() ? transport.read(buffer) : 0;
                if (read == 0) {
                    await(SelectionKey.OP_READ);
                    read = transport.read(buffer);
                }
                if (read < 0) {
                    throw new IOException("the client hung up after " + echoed + " bytes");
                }
                buffer.flip();
                while (buffer.hasRemaining() || transport.hasPendingWrites()) {
                    transport.write(buffer);
                    if (buffer.hasRemaining() || transport.hasPendingWrites()) {
                        await(SelectionKey.OP_WRITE);
                    }
                }
                echoed += read;
                buffer.clear();
            }
        }

        /** Waits until the socket is ready for {@code operation}; no clock: the test's own timeout bounds it. */
        void await(int operation) throws IOException {
            key.interestOps(operation);
            while (true) {
                selector.select(1_000);
                if (selector.selectedKeys().remove(key) && (key.readyOps() & operation) != 0) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (transport != null) {
                transport.close();
            }
            selector.close();
            listening.close();
        }
    }

    private static void writeAll(SSLSocket client, byte[] bytes) {
        try {
            OutputStream out = client.getOutputStream();
            for (int at = 0; at < bytes.length; at += 10_007) {
                out.write(bytes, at, Math.min(10_007, bytes.length - at));
            }
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readExactly(SSLSocket client, int length) {
        try {
            return client.getInputStream().readNBytes(length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
