package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.apachekafka.KafkaJars;
import toykafka.broker.security.PlainJaasConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A broker with a PLAINTEXT and a SASL_PLAINTEXT listener, driven by kafka-clients 4.4: SCRAM users made through
 * Admin on the plaintext port, then producers and consumers that authenticate with SCRAM-SHA-512 and PLAIN and are
 * sent by Metadata to the SASL port they came in on; a wrong password gets Kafka's SaslAuthenticationException, and
 * a client that does not authenticate is closed, not left hanging.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SaslListenersTest {

    private static final String SASL = "SASL_PLAINTEXT";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
            @StartedBroker.Setting(name = "listeners", value = "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0"),
            @StartedBroker.Setting(name = "listener.name.sasl_plaintext.sasl.enabled.mechanisms",
                    value = "SCRAM-SHA-512,PLAIN,SCRAM-SHA-256"),
            @StartedBroker.Setting(name = "connection.failed.authentication.delay.ms", value = "0"), // a thousand fail
            @StartedBroker.Setting(name = "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    value = "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " user_bob=\"bob-secret\" user_carol=\"carol-secret\";")})
    RunningBroker broker;

    @Test
    void a_scram_user_made_through_admin_produces_and_consumes_over_sasl_and_metadata_names_the_sasl_port()
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.front().bootstrapServers("PLAINTEXT")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "alice-secret"))).all().get();
            UserScramCredentialsDescription alice = admin.describeUserScramCredentials(List.of("alice")).all().get()
                    .get("alice");
            assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)), alice.credentialInfos());
            assertEquals(List.of(broker.front().port("PLAINTEXT")), ports(admin));
        }
        Map<String, Object> sasl = sasl("SCRAM-SHA-512", SCRAM_LOGIN, "alice", "alice-secret");
        try (Admin admin = Admin.create(sasl)) {
            assertEquals(List.of(broker.front().port(SASL)), ports(admin), "Metadata answers the listener asked");
        }
        assertEquals(List.of("one", "two", "three"), produceAndConsume(sasl, "scrammed"));
    }

    /**
     * kafka-configs sets a SCRAM credential through AlterUserScramCredentials alone, and its --describe of users asks
     * DescribeClientQuotas, then DescribeUserScramCredentials, and prints the credential as against Kafka.
     */
    @Test
    void kafka_configs_adds_a_scram_credential_with_which_a_client_logs_in() throws Exception {
        ChildProcess.Result run = ChildJvm.run(KafkaJars.inProject().classPath(), "org.apache.kafka.tools.ConfigCommand",
                List.of("--bootstrap-server", broker.front().bootstrapServers("PLAINTEXT"), "--alter", "--add-config",
                        "SCRAM-SHA-512=[iterations=8192,password=frank-secret]", "--entity-type", "users",
                        "--entity-name", "frank"), null).assertSucceeded();
        assertTrue(run.lines().contains("Completed updating config for user frank."), run.describe());
        ChildProcess.Result described = ChildJvm.run(KafkaJars.inProject().classPath(),
                "org.apache.kafka.tools.ConfigCommand", List.of("--bootstrap-server",
                        broker.front().bootstrapServers("PLAINTEXT"), "--describe", "--entity-type", "users",
                        "--entity-name", "frank"), null).assertSucceeded();
        assertTrue(described.lines().contains("SCRAM credential configs for user-principal 'frank' are"
                + " SCRAM-SHA-512=iterations=8192"), described.describe());
        try (Admin admin = Admin.create(sasl("SCRAM-SHA-512", SCRAM_LOGIN, "frank", "frank-secret"))) {
            assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)),
                    admin.describeUserScramCredentials(List.of("frank")).all().get().get("frank").credentialInfos());
        }
    }

    @Test
    void a_plain_user_of_the_jaas_line_produces_and_consumes_over_sasl() throws Exception {
        assertEquals(List.of("one", "two", "three"), produceAndConsume(
                sasl("PLAIN", PlainJaasConfig.PLAIN_LOGIN_MODULE, "bob", "bob-secret"), "plained"));
    }

    @Test
    void a_wrong_password_gets_kafkas_sasl_authentication_exception_at_once() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.front().bootstrapServers("PLAINTEXT")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("dave",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "dave-secret"))).all().get();
        }
        assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism"
                + " SCRAM-SHA-256", refusal(sasl("SCRAM-SHA-256", SCRAM_LOGIN, "dave", "not-dave")));
        assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism"
                + " SCRAM-SHA-512", refusal(sasl("SCRAM-SHA-512", SCRAM_LOGIN, "nobody", "x")));
        assertEquals("Authentication failed: Invalid username or password",
                refusal(sasl("PLAIN", PlainJaasConfig.PLAIN_LOGIN_MODULE, "carol", "bob-secret")));
        assertTrue(!broker.log().contains("bob-secret") && !broker.log().contains("not-dave"), broker.log());
    }

    @Test
    void before_authentication_only_api_versions_and_the_handshake_are_answered_and_anything_else_closes() {
        try (KafkaWire wire = new KafkaWire(broker.host(), broker.front().port(SASL))) {
            ApiVersionsResponseData versions = wire.send(new ApiVersionsRequestData(), 3);
            assertEquals(Errors.NONE.code(), versions.errorCode());
            assertEquals(1, versions.apiKeys().find((short) 17).maxVersion(), "SaslHandshake v0-1, as Kafka 4.4");
            assertEquals(2, versions.apiKeys().find((short) 36).maxVersion(), "SaslAuthenticate v0-2, as Kafka 4.4");
            wire.sendOnly(new MetadataRequestData(), 12);
            assertTrue(wire.closedByBroker(), "a plaintext client on the SASL port is closed, not left hanging");
        }
        assertTrue(broker.log().contains("not authenticated: Unexpected Kafka request of type Metadata during SASL"
                + " handshake."), broker.log());
        try (KafkaWire wire = new KafkaWire(broker.host(), broker.front().port(SASL))) {
            SaslHandshakeResponseData handshake = wire.send(new SaslHandshakeRequestData().setMechanism("GSSAPI"), 1);
            assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM.code(), handshake.errorCode());
            assertEquals(List.of("SCRAM-SHA-512", "PLAIN", "SCRAM-SHA-256"), handshake.mechanisms());
            assertTrue(wire.closedByBroker());
        }
        try (KafkaWire wire = new KafkaWire(broker.host(), broker.front().port(SASL))) {
            wire.send(new SaslHandshakeRequestData().setMechanism("PLAIN"), 1);
            SaslAuthenticateResponseData answer = wire.send(new SaslAuthenticateRequestData().setAuthBytes(
                    "\u0000bob\u0000bob-secret".getBytes(StandardCharsets.UTF_8)), 2);
            assertEquals(Errors.NONE.code(), answer.errorCode());
            assertEquals("", answer.errorMessage(), "Kafka's default message, empty rather than null");
            MetadataResponseData metadata = wire.send(new MetadataRequestData(), 12);
            assertEquals(broker.front().port(SASL), metadata.brokers().iterator().next().port(), "served once authenticated");
        }
        try (KafkaWire wire = new KafkaWire(broker.host(), broker.front().port("PLAINTEXT"))) {
            SaslHandshakeResponseData handshake = wire.send(new SaslHandshakeRequestData().setMechanism("PLAIN"), 1);
            assertEquals(Errors.ILLEGAL_SASL_STATE.code(), handshake.errorCode(), "no SASL on a plaintext listener");
        }
        try (KafkaWire wire = new KafkaWire(broker.host(), broker.front().port(SASL))) {
            wire.write(java.nio.ByteBuffer.allocate(4).putInt(524_289).array());
            assertTrue(wire.closedByBroker(), "before authentication a frame may be at most 512 KiB, as in Kafka");
        }
        assertTrue(broker.log().contains("sasl.server.max.receive.size=524288"), broker.log());
    }

    @Test
    void a_thousand_failed_logins_each_get_their_answer_and_leave_the_broker_serving_others() throws Exception {
        for (int i = 0; i < 1000; i++) {
            try (KafkaWire wire = new KafkaWire(broker.host(), broker.front().port(SASL))) {
                assertEquals(Errors.NONE.code(), ((SaslHandshakeResponseData) wire.send(
                        new SaslHandshakeRequestData().setMechanism("PLAIN"), 1)).errorCode());
                SaslAuthenticateResponseData answer = wire.send(new SaslAuthenticateRequestData().setAuthBytes(
                        ("\u0000carol\u0000guess-" + i).getBytes(StandardCharsets.UTF_8)), 2);
                assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), answer.errorCode());
                assertTrue(wire.closedByBroker(), "login " + i);
            }
        }
        assertEquals(List.of("one", "two", "three"), produceAndConsume(
                sasl("PLAIN", PlainJaasConfig.PLAIN_LOGIN_MODULE, "carol", "carol-secret"), "after-the-storm"));
        assertTrue(broker.log().lines().count() < 20, "failed logins are logged now and then, not each:\n" + broker.log());
    }

    @Test
    void scram_credentials_survive_a_restart_and_are_kept_without_the_password() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.front().bootstrapServers("PLAINTEXT")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("erin",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "erin-secret"))).all().get();
        }
        broker.restart();
        Path file = broker.dataDir().resolve("scram-credentials.properties");
        Properties kept = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            kept.load(reader);
        }
        assertTrue(kept.getProperty("SCRAM-SHA-512.erin").matches("salt=[^,]+,stored_key=[^,]+,server_key=[^,]+,"
                + "iterations=4096"), kept.toString());
        assertTrue(!Files.readString(file).contains("erin-secret"));
        try (Admin admin = Admin.create(sasl("SCRAM-SHA-512", SCRAM_LOGIN, "erin", "erin-secret"))) {
            assertEquals(List.of(broker.front().port(SASL)), ports(admin));
        }
    }

    @Test
    void metadata_find_coordinator_and_describe_cluster_name_the_advertised_address_of_the_listener_asked(
            @TempDir Path dataDir) {
        RunningBroker twoDoors = RunningBroker.overKafka(dataDir, Map.of("listeners",
                "PLAINTEXT://127.0.0.1:0,OUTSIDE://127.0.0.1:0", "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,OUTSIDE:PLAINTEXT", "advertised.listeners", "OUTSIDE://kafka.example:19093"), false);
        try {
            for (String listener : List.of("PLAINTEXT", "OUTSIDE")) {
                String expected = listener.equals("OUTSIDE") ? "kafka.example:19093"
                        : "127.0.0.1:" + twoDoors.front().port("PLAINTEXT");
                try (KafkaWire wire = new KafkaWire("127.0.0.1", twoDoors.front().port(listener))) {
                    MetadataResponseData.MetadataResponseBroker node = ((MetadataResponseData) wire.send(
                            new MetadataRequestData(), 12)).brokers().iterator().next();
                    assertEquals(expected, node.host() + ":" + node.port(), "Metadata on " + listener);
                    FindCoordinatorResponseData.Coordinator coordinator = ((FindCoordinatorResponseData) wire.send(
                            new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("g")), 6))
                            .coordinators().get(0);
                    assertEquals(expected, coordinator.host() + ":" + coordinator.port(), "FindCoordinator on " + listener);
                    DescribeClusterResponseData.DescribeClusterBroker broker = ((DescribeClusterResponseData) wire.send(
                            new DescribeClusterRequestData(), 1)).brokers().iterator().next();
                    assertEquals(expected, broker.host() + ":" + broker.port(), "DescribeCluster on " + listener);
                }
            }
        } finally {
            twoDoors.close();
        }
    }

    @Test
    void listeners_this_broker_cannot_serve_are_refused_at_start_naming_the_setting(@TempDir Path dataDir) {
        String noKeyStore = startRefusal(dataDir, Map.of("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0"));
        assertTrue(noKeyStore.contains("SSL://127.0.0.1:0") && noKeyStore.contains("ssl.keystore.location"), noKeyStore);
        assertTrue(startRefusal(dataDir, Map.of("listeners", "SASL_PLAINTEXT://127.0.0.1:0"))
                .contains("the SASL mechanisms [GSSAPI] are not served"), "Kafka's default mechanism, Kerberos");
        String badJaas = startRefusal(dataDir, Map.of("listeners", "SASL_PLAINTEXT://127.0.0.1:0",
                "sasl.enabled.mechanisms", "PLAIN", "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                PlainJaasConfig.PLAIN_LOGIN_MODULE + " required user_a=\"a-secret\""));
        assertTrue(badJaas.contains("listener.name.sasl_plaintext.plain.sasl.jaas.config")
                && badJaas.contains("JAAS config entry not terminated by semi-colon") && !badJaas.contains("a-secret"), badJaas);
        assertTrue(startRefusal(dataDir, Map.of("listeners", "SASL_PLAINTEXT://127.0.0.1:0",
                "sasl.enabled.mechanisms", "PLAIN")).contains("PLAIN is enabled but no users are given"));
    }

    private static String startRefusal(Path dataDir, Map<String, String> settings) {
        return assertThrows(UncheckedIOException.class, () -> RunningBroker.overKafka(dataDir, settings, false))
                .getMessage();
    }

    private String refusal(Map<String, Object> settings) {
        Map<String, Object> quick = new HashMap<>(settings);
        quick.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000); // an answer, not the timeout, must end it
        try (Admin admin = Admin.create(quick)) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get());
            return assertInstanceOf(SaslAuthenticationException.class, failed.getCause()).getMessage();
        }
    }

    private static List<Integer> ports(Admin admin) throws Exception {
        return admin.describeCluster().nodes().get().stream().map(Node::port).toList();
    }

    private Map<String, Object> sasl(String mechanism, String loginModule, String user, String password) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.front().bootstrapServers(SASL));
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SASL);
        settings.put(SaslConfigs.SASL_MECHANISM, mechanism);
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, loginModule + " required username=\"" + user + "\" password=\""
                + password + "\";");
        return settings;
    }

    /** Three records produced and read back over the SASL listener with these client settings. */
    private static List<String> produceAndConsume(Map<String, Object> sasl, String topic) throws Exception {
        Map<String, Object> producing = new HashMap<>(sasl);
        producing.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producing.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producing)) {
            for (String value : List.of("one", "two", "three")) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
        Map<String, Object> consuming = new HashMap<>(sasl);
        consuming.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consuming.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consuming)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(record.value());
                }
            }
        }
        return read;
    }
}
