package toykafka.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.testing.TlsContexts;

/** The throwaway CA's stores are what TLS needs: a broker a client can verify by name, and clients it can tell apart. */
class ThrowawayCaTest {

    private static final String PASSWORD = "course-secret";

    @TempDir
    static Path folder;
    private static ThrowawayCa.Material material;

    @BeforeAll
    static void makeOnce() {
        material = ThrowawayCa.make(folder.resolve("certs"), "localhost", List.of("alice", "bob"), PASSWORD);
    }

    @Test
    void a_client_verifies_the_broker_by_name_and_the_broker_learns_which_client_it_is() throws Exception {
        assertEquals("CN=alice", handshake(material.clientKeyStores().get("alice")));
        assertEquals("CN=bob", handshake(material.clientKeyStores().get("bob")));
    }

    @Test
    void a_broker_that_asks_for_a_certificate_refuses_a_client_without_one() {
        assertThrows(IOException.class, () -> handshake(null));
    }

    @Test
    void the_pem_files_hold_the_chain_and_the_key_that_matches_it() throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain;
        try (InputStream in = Files.newInputStream(material.brokerCertificate())) {
            chain = x509.generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
        }
        assertEquals(2, chain.size(), "the broker's certificate, then the CA's");
        chain.get(0).verify(chain.get(1).getPublicKey());
        assertTrue(chain.get(0).getSubjectAlternativeNames().stream().anyMatch(name -> name.get(1).equals("127.0.0.1")));
        String key = Files.readString(material.brokerKey()).replaceAll("-----[A-Z ]+-----|\\s", "");
        var privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(key)));
        var signature = java.security.Signature.getInstance("SHA256withECDSA");
        signature.initSign(privateKey);
        signature.update(new byte[] {1, 2, 3});
        byte[] signed = signature.sign();
        signature.initVerify((ECPublicKey) chain.get(0).getPublicKey());
        signature.update(new byte[] {1, 2, 3});
        assertTrue(signature.verify(signed), "the key signs what the certificate's public key verifies");
    }

    @Test
    void each_client_gets_settings_kafka_clients_read() throws IOException {
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(material.clientProperties("alice"))) {
            settings.load(in);
        }
        assertEquals("SSL", settings.getProperty("security.protocol"));
        assertTrue(Files.isReadable(Path.of(settings.getProperty("ssl.keystore.location"))));
        assertTrue(Files.isReadable(Path.of(settings.getProperty("ssl.truststore.location"))));
        assertEquals(PASSWORD, settings.getProperty("ssl.keystore.password"));
    }

    @Test
    void bad_requests_are_refused_before_anything_is_written() {
        Path elsewhere = folder.resolve("refused");
        assertThrows(IllegalArgumentException.class,
                () -> ThrowawayCa.make(elsewhere, "localhost", List.of("../alice"), PASSWORD));
        assertThrows(IllegalArgumentException.class,
                () -> ThrowawayCa.make(elsewhere, "localhost", List.of("broker"), PASSWORD));
        assertThrows(IllegalArgumentException.class,
                () -> ThrowawayCa.make(elsewhere, "localhost", List.of("alice", "alice"), PASSWORD));
        assertThrows(IllegalArgumentException.class, () -> ThrowawayCa.make(elsewhere, "localhost", List.of(), "short"));
        assertTrue(Files.notExists(elsewhere));
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> ThrowawayCa.make(material.folder(), "localhost", List.of("carol"), PASSWORD));
        assertTrue(again.getMessage().contains("already holds a CA"), again.getMessage());
    }

    /**
     * One TLS handshake on loopback: the broker's store, asking for a client certificate; the client checks the
     * broker's name as kafka-clients do by default ({@code ssl.endpoint.identification.algorithm=https}). Returns
     * the client's name as the broker saw it.
     */
    private static String handshake(Path clientStore) throws Exception {
        SSLContext server = TlsContexts.of(material.brokerKeyStore(), material.trustStore(), PASSWORD);
        try (SSLServerSocket listening = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listening.setNeedClientAuth(true);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listening.accept()) {
                    accepted.startHandshake();
                    String name = accepted.getSession().getPeerPrincipal().getName();
                    accepted.getOutputStream().write(1);
                    return name;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) TlsContexts.of(clientStore, material.trustStore(), PASSWORD)
                    .getSocketFactory()
                    .createSocket("localhost", listening.getLocalPort())) {
                SSLParameters parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                client.startHandshake();
                if (client.getInputStream().read() != 1) {
                    throw new SSLHandshakeException("the broker closed the connection after the handshake");
                }
            }
            return seen.get(30, TimeUnit.SECONDS);
        }
    }

}
