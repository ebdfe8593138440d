package toykafka.headtohead;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import toykafka.apachekafka.KafkaNodeSettings;
import toykafka.harness.KafkaFutures;
import toykafka.tools.ThrowawayCa;

/**
 * The SSL and SASL_SSL listeners both brokers open beside PLAINTEXT, with the same settings on each: TLS with a
 * broker certificate of one throwaway CA (no client certificate asked, Kafka's default {@code ssl.client.auth=none}),
 * and on SASL_SSL one SCRAM-SHA-512 user, made through each broker's PLAINTEXT listener as an operator makes one
 * ({@code kafka-configs --alter --add-config 'SCRAM-SHA-512=[…]' --entity-type users}). The clients trust the CA and
 * nothing else; the CA lives in the run's folder and goes with it.
 */
final class SecuredListeners {

    static final String SSL = "SSL";
    static final String SASL_SSL = "SASL_SSL";
    private static final String MECHANISM = "SCRAM-SHA-512";
    private static final String USER = "bench";
    /** The user's password and the stores', throwaway as the CA: keytool wants six characters at least. */
    private static final String PASSWORD = "bench-secret";
    /** Kafka's least for SCRAM-SHA-512, and what kafka-configs uses when no iterations are given. */
    private static final int ITERATIONS = 4096;
    /** How long a new SCRAM user may take to reach the listener: Kafka hands it on through its metadata log. */
    private static final Duration USER_KNOWN = Duration.ofSeconds(60);

    private final ThrowawayCa.Material certificates;

    private SecuredListeners(ThrowawayCa.Material certificates) {
        this.certificates = certificates;
    }

    /** A CA and a broker certificate for loopback, made in {@code folder}. */
    static SecuredListeners make(Path folder) {
        return new SecuredListeners(ThrowawayCa.make(folder, KafkaNodeSettings.HOST, List.of(), PASSWORD));
    }

    /** How a row names the protocol: SASL_SSL with its mechanism. */
    static String label(String protocol) {
        return protocol.equals(SASL_SSL) ? SASL_SSL + " (" + MECHANISM + ")" : protocol;
    }

    /** The settings of both brokers for the two listeners, by Kafka's names: TLS's stores and SASL_SSL's mechanism. */
    Map<String, String> brokerSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", certificates.brokerKeyStore().toString());
        settings.put("ssl.keystore.password", certificates.password());
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", certificates.trustStore().toString());
        settings.put("ssl.truststore.password", certificates.password());
        settings.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", MECHANISM);
        settings.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        return settings;
    }

    /** A client's settings for the listener of {@code protocol} at {@code bootstrap}: the CA trusted, and the user. */
    Map<String, Object> client(String protocol, String bootstrap) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.trustStore().toString());
        settings.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificates.password());
        if (protocol.equals(SASL_SSL)) {
            settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
            settings.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule"
                    + " required username=\"" + USER + "\" password=\"" + PASSWORD + "\";");
        }
        return settings;
    }

    /**
     * Makes the SCRAM user on a broker through its PLAINTEXT listener, then waits until the user logs in on
     * SASL_SSL: Kafka's broker learns the credential from its metadata log a moment after the answer.
     */
    void addUser(ContenderBroker broker) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            KafkaFutures.await(admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), PASSWORD))).all(), USER_KNOWN,
                    "make the SCRAM user " + USER + " on " + broker.name());
        }
        long deadline = System.nanoTime() + USER_KNOWN.toNanos();
        try (Admin admin = Admin.create(client(SASL_SSL, broker.bootstrapServers(SASL_SSL)))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(USER_KNOWN.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the SCRAM user " + USER + " cannot log in on " + broker.name()
                                + "'s SASL_SSL listener: " + e.getMessage(), e);
                    }
                    Thread.sleep(50); // a refused login closes the connection: the next try opens another
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the SCRAM user on " + broker.name(), e);
        }
    }
}
