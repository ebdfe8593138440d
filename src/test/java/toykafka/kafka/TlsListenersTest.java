package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import toykafka.testing.RunningBroker;
import toykafka.tools.ThrowawayCa;

/**
 * A broker with a PLAINTEXT, an SSL (client certificates required) and a SASL_SSL listener, driven by kafka-clients
 * 4.4 with the throwaway CA's stores: a client known by its certificate and a SCRAM user over TLS each produce and
 * consume, many records and large ones, sent by Metadata to the TLS port they came in on; a client without a
 * certificate, or one that does not trust the broker's, gets Kafka's SslAuthenticationException, not a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsListenersTest {

    private static final String PASSWORD = "course-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private ThrowawayCa.Material certificates;
    /** Another CA, which signed nothing of this broker's. */
    private ThrowawayCa.Material stranger;
    private RunningBroker broker;

    @BeforeAll
    void startWithThreeListeners(@TempDir Path folder) {
        certificates = ThrowawayCa.make(folder.resolve("certs"), "127.0.0.1", List.of("alice"), PASSWORD);
        stranger = ThrowawayCa.make(folder.resolve("stranger"), "127.0.0.1", List.of(), PASSWORD);
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0");
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", certificates.brokerKeyStore().toString());
        settings.put("ssl.keystore.password", PASSWORD);
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.location", certificates.caCertificate().toString());
        settings.put("listener.name.ssl.ssl.client.auth", "required");
        settings.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        settings.put("listener.name.sasl_ssl.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain"
                + ".PlainLoginModule required user_carol=\"carol-secret\";");
        broker = RunningBroker.overKafka(folder.resolve("data"), settings, false);
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private Map<String, Object> trusting(String listener) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.front().bootstrapServers(listener));
        settings.put("security.protocol", listener);
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", certificates.trustStore().toString());
        settings.put("ssl.truststore.password", PASSWORD);
        return settings;
    }

    private Map<String, Object> certified(String client) {
        Map<String, Object> settings = trusting("SSL");
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", certificates.clientKeyStores().get(client).toString());
        settings.put("ssl.keystore.password", PASSWORD);
        return settings;
    }

    @Test
    void a_client_known_by_its_certificate_produces_and_consumes_over_tls() throws Exception {
        Map<String, Object> alice = certified("alice");
        try (Admin admin = Admin.create(alice)) {
            List<Integer> ports = admin.describeCluster().nodes().get().stream().map(Node::port).toList();
            assertEquals(List.of(broker.front().port("SSL")), ports, "Metadata answers the listener asked");
        }
        assertEquals(2_000, produceAndConsume(alice, "over-tls", 2_000, 100));
        assertEquals(20, produceAndConsume(alice, "large-over-tls", 20, 900_000),
                "records larger than a TLS record cross whole, read from the segment and encrypted");
    }

    @Test
    void a_scram_user_produces_and_consumes_over_sasl_ssl() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.front().bootstrapServers("PLAINTEXT")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bob",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-secret"))).all().get();
        }
        Map<String, Object> bob = trusting("SASL_SSL");
        bob.put("sasl.mechanism", "SCRAM-SHA-512");
        bob.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"bob\" password=\"bob-secret\";");
        assertEquals(500, produceAndConsume(bob, "over-sasl-ssl", 500, 1_000));
    }

    /**
     * kcat (librdkafka 2.0.2, Debian's) reads over mutual TLS with alice's PEM files, and over SASL_SSL with PLAIN.
     * Its SCRAM is refused here as Kafka 4.4 refuses it: that librdkafka puts the client's nonce into its final
     * message twice, which Kafka 4's strict nonce check rejects (librdkafka 2.6.1 fixed it).
     */
    @Test
    void kcat_reads_over_mutual_tls_and_sasl_ssl_and_its_old_scram_is_refused_as_by_kafka() throws Exception {
        Kcat kcat = Kcat.require();
        String ca = "ssl.ca.location=" + certificates.caCertificate();
        kcat.run("over tls\n", "-b", broker.front().bootstrapServers("SSL"), "-X", "security.protocol=SSL", "-X", ca,
                "-X", "ssl.certificate.location=" + certificates.folder().resolve("alice.pem"), "-X",
                "ssl.key.location=" + certificates.folder().resolve("alice.key"), "-t", "kcat-tls", "-P")
                .assertSucceeded();
        String read = kcat.run(null, "-b", broker.front().bootstrapServers("SASL_SSL"), "-X",
                "security.protocol=SASL_SSL", "-X", ca, "-X", "sasl.mechanisms=PLAIN", "-X", "sasl.username=carol",
                "-X", "sasl.password=carol-secret", "-t", "kcat-tls", "-C", "-e", "-f", "%s\\n").assertSucceeded()
                .output();
        assertEquals("over tls", read.strip());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.front().bootstrapServers("PLAINTEXT")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("erin",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "erin-secret"))).all().get();
        }
        ChildProcess.Result scram = kcat.run(null, "-b", broker.front().bootstrapServers("SASL_SSL"), "-X",
                "security.protocol=SASL_SSL", "-X", ca, "-X", "sasl.mechanisms=SCRAM-SHA-512", "-X",
                "sasl.username=erin", "-X", "sasl.password=erin-secret", "-m", "5", "-L");
        String heard = scram.output() + scram.errors();
        assertTrue(heard.contains("Authentication failed during authentication due to invalid credentials with SASL"
                + " mechanism SCRAM-SHA-512"), scram.describe());
    }

    @Test
    void a_client_without_a_certificate_is_refused_with_kafkas_exception() {
        Map<String, Object> anonymous = trusting("SSL");
        anonymous.put("max.block.ms", "20000");
        assertRefusedByTls(anonymous);
    }

    @Test
    void a_client_that_does_not_trust_the_brokers_certificate_gives_up_with_kafkas_exception() {
        Map<String, Object> doubting = certified("alice");
        doubting.put("ssl.truststore.type", "PEM");
        doubting.put("ssl.truststore.location", stranger.caCertificate().toString());
        doubting.remove("ssl.truststore.password");
        doubting.put("max.block.ms", "20000");
        assertRefusedByTls(doubting);
    }

    private static void assertRefusedByTls(Map<String, Object> settings) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>("never", "x")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(SslAuthenticationException.class, refused.getCause(), refused.toString());
        } catch (org.apache.kafka.common.KafkaException refusedAtSend) {
            assertInstanceOf(SslAuthenticationException.class, refusedAtSend, refusedAtSend.toString());
        }
    }

    /** Writes {@code count} records of {@code size} bytes, reads them back from the start; how many came. */
    private static int produceAndConsume(Map<String, Object> settings, String topic, int count, int size)
            throws Exception {
        Map<String, Object> producing = new HashMap<>(settings);
        producing.put("max.request.size", "1048576");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producing, new StringSerializer(),
                new StringSerializer())) {
            String value = "x".repeat(size);
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, String.valueOf(i), value));
            }
            producer.flush();
        }
        Map<String, Object> consuming = new HashMap<>(settings);
        consuming.put("group.id", topic + "-readers");
        consuming.put("auto.offset.reset", "earliest");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consuming, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (keys.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(size, record.value().length());
                    keys.add(record.key());
                }
            }
        }
        assertTrue(keys.equals(keys.stream().sorted((a, b) -> Integer.parseInt(a) - Integer.parseInt(b)).toList()),
                "in order");
        return keys.size();
    }
}
