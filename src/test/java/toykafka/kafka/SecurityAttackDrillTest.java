package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import toykafka.testing.RunningBroker;
import toykafka.tools.ThrowawayCa;

/**
 * Attacks on the secured listeners (issue 77's drills): a TLS handshake that dribbles or stalls, garbage where a
 * ClientHello belongs, and a SCRAM client-final replayed on a second connection. Each gets its refusal, and each time
 * a well-behaved client is served meanwhile. {@code connections.max.idle.ms} is short here, so the stalled
 * handshake is dropped after Kafka's idle time within the test. The garbage drill first found the listener stopped:
 * a partial TLS record held during a handshake was taken for buffered application data and read as a frame.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityAttackDrillTest {

    private static final String PASSWORD = "course-secret";
    private static final long IDLE_MS = 3_000;

    private ThrowawayCa.Material certificates;
    private RunningBroker broker;

    @BeforeAll
    void start(@TempDir Path folder) throws Exception {
        certificates = ThrowawayCa.make(folder.resolve("certs"), "127.0.0.1", List.of(), PASSWORD);
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0");
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", certificates.brokerKeyStore().toString());
        settings.put("ssl.keystore.password", PASSWORD);
        settings.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
        settings.put("connections.max.idle.ms", "" + IDLE_MS);
        settings.put("request.arrival.timeout.ms", "60000"); // so Kafka's idle time is the rule that drops it
        broker = RunningBroker.overKafka(folder.resolve("data"), settings, false);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.front().bootstrapServers("PLAINTEXT")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                    new ScramCredentialInfo(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256, 4096),
                    "alice-secret"))).all().get();
        }
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A TLS client that trusts the throwaway CA, as a well-behaved client would be. */
    private SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(certificates.trustStore())) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Whether a TLS client completes its handshake with the SSL listener and gets ApiVersions answered. */
    private boolean servedOverTls() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", broker.front().port("SSL"));
             javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) trusting().getSocketFactory()
                     .createSocket(plain, "127.0.0.1", broker.front().port("SSL"), true)) {
            tls.setSoTimeout(15_000);
            tls.startHandshake();
            OutputStream out = tls.getOutputStream();
            // ApiVersions v0, correlation id 7, no client id: the smallest request there is
            out.write(ByteBuffer.allocate(14).putInt(10).putShort((short) 18).putShort((short) 0).putInt(7)
                    .putShort((short) -1).array());
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(tls.getInputStream());
            int size = in.readInt();
            return size > 4 && in.readInt() == 7;
        }
    }

    /** The bytes a TLS client opens with: its ClientHello. */
    private byte[] clientHello() throws Exception {
        SSLEngine engine = trusting().createSSLEngine("127.0.0.1", broker.front().port("SSL"));
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void a_tls_handshake_sent_a_byte_at_a_time_then_stalled_holds_up_nobody_and_is_dropped_after_the_idle_time()
            throws Exception {
        byte[] hello = clientHello();
        try (Socket slow = new Socket()) {
            slow.connect(new InetSocketAddress("127.0.0.1", broker.front().port("SSL")));
            long opened = System.nanoTime();
            slow.setTcpNoDelay(true);
            OutputStream out = slow.getOutputStream();
            for (int i = 0; i < hello.length / 2; i++) { // half a ClientHello, a byte at a time
                out.write(hello[i]);
                out.flush();
                if (i % 20 == 0) {
                    assertTrue(servedOverTls(), "a TLS client is served while the slow one dribbles");
                }
                Thread.sleep(2);
            }
            assertTrue(servedOverTls(), "and while it stalls");
            slow.setSoTimeout(60_000);
            byte[] before = slow.getInputStream().readAllBytes(); // at most TLS's alert, then the end of the stream
            assertTrue(before.length < 100, "the stalled handshake is dropped, not kept for ever: " + before.length);
            assertTrue(System.nanoTime() - opened >= TimeUnit.MILLISECONDS.toNanos(IDLE_MS),
                    "no sooner than connections.max.idle.ms");
        }
    }

    @Test
    void garbage_instead_of_a_client_hello_is_closed_with_a_line_and_no_stack_trace() throws Exception {
        Random random = new Random(77);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[1 + random.nextInt(2_000)];
            random.nextBytes(garbage);
            garbage[0] = (byte) (i % 2 == 0 ? 0x16 : garbage[0]); // half look like a TLS handshake record at first
            try (Socket socket = new Socket("127.0.0.1", broker.front().port("SSL"))) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(garbage);
                InputStream in = socket.getInputStream();
                byte[] answer = in.readNBytes(64 * 1024); // at most TLS's alert, then the close
                assertTrue(answer.length < 1_000, "garbage " + i + " got " + answer.length + " bytes");
            } catch (SocketTimeoutException hung) {
                throw new AssertionError("garbage " + i + " was neither refused nor closed: " + broker.log(), hung);
            } catch (IOException reset) {
                // closed by a reset: refused as well
            }
        }
        assertTrue(servedOverTls(), "a TLS client is served after the garbage");
        String log = broker.log();
        assertTrue(log.contains("its TLS handshake failed"), log);
        assertFalse(log.contains("\tat ") || log.contains("Exception in thread"), "no stack trace:\n" + log);
    }

    @Test
    void a_scram_client_final_replayed_on_a_second_connection_is_refused_for_its_nonce() throws Exception {
        ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_256);
        ScramMessages.ClientFirstMessage first = new ScramMessages.ClientFirstMessage("alice",
                formatter.secureRandomString(), Map.of());
        byte[] finalMessage;
        try (KafkaWire wire = scramConnection()) {
            ScramMessages.ServerFirstMessage serverFirst = new ScramMessages.ServerFirstMessage(
                    authenticate(wire, first.toBytes()).authBytes());
            ScramMessages.ClientFinalMessage clientFinal = new ScramMessages.ClientFinalMessage(
                    "n,,".getBytes(StandardCharsets.UTF_8), serverFirst.nonce());
            clientFinal.proof(formatter.clientProof(formatter.saltedPassword("alice-secret", serverFirst.salt(),
                    serverFirst.iterations()), first, serverFirst, clientFinal));
            finalMessage = clientFinal.toBytes();
            assertEquals(Errors.NONE.code(), authenticate(wire, finalMessage).errorCode(), "the honest login");
        }
        try (KafkaWire eavesdropper = scramConnection()) { // the same client-first, then the recorded final
            ScramMessages.ServerFirstMessage fresh = new ScramMessages.ServerFirstMessage(
                    authenticate(eavesdropper, first.toBytes()).authBytes());
            assertFalse(Arrays.equals(finalMessage, fresh.toBytes()));
            SaslAuthenticateResponseData replayed = authenticate(eavesdropper, finalMessage);
            assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), replayed.errorCode(), "a new server nonce");
            assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism"
                    + " SCRAM-SHA-256", replayed.errorMessage());
            assertTrue(eavesdropper.closedByBroker());
        }
        try (KafkaWire honest = scramConnection()) {
            assertEquals(Errors.NONE.code(), authenticate(honest, new ScramMessages.ClientFirstMessage("alice",
                    formatter.secureRandomString(), Map.of()).toBytes()).errorCode(), "others are still served");
        }
        assertFalse(broker.log().contains("alice-secret"), broker.log());
    }

    private KafkaWire scramConnection() {
        KafkaWire wire = new KafkaWire("127.0.0.1", broker.front().port("SASL_PLAINTEXT"));
        wire.send(new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-256"), 1);
        return wire;
    }

    private static SaslAuthenticateResponseData authenticate(KafkaWire wire, byte[] token) {
        return wire.send(new SaslAuthenticateRequestData().setAuthBytes(token), 2);
    }
}
