package toykafka.broker.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.tools.ThrowawayCa;

/** Kafka's ssl.* settings make a server's engines from every store type, and a wrong setting is named, not traced. */
class SslEngineFactoryTest {

    private static final String PASSWORD = "course-secret";

    @TempDir
    static Path folder;
    private static ThrowawayCa.Material certificates;

    @BeforeAll
    static void makeCertificates() {
        certificates = ThrowawayCa.make(folder.resolve("certs"), "localhost", List.of("alice"), PASSWORD);
    }

    private static Map<String, String> pkcs12() {
        Map<String, String> settings = new HashMap<>();
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", certificates.brokerKeyStore().toString());
        settings.put("ssl.keystore.password", PASSWORD);
        return settings;
    }

    @Test
    void engines_follow_client_auth_and_the_enabled_protocols() {
        Map<String, String> settings = pkcs12();
        settings.put("ssl.client.auth", "required");
        settings.put("ssl.enabled.protocols", "TLSv1.3");
        SSLEngine engine = SslEngineFactory.configure(settings).createServerEngine("127.0.0.1", 1);
        assertFalse(engine.getUseClientMode());
        assertTrue(engine.getNeedClientAuth());
        assertArrayEquals(new String[] {"TLSv1.3"}, engine.getEnabledProtocols());
        settings.put("ssl.client.auth", "requested");
        assertTrue(SslEngineFactory.configure(settings).createServerEngine("127.0.0.1", 1).getWantClientAuth());
    }

    @Test
    void a_pem_key_store_is_read_from_a_file_or_from_the_settings_themselves() throws IOException {
        String pem = Files.readString(certificates.brokerKey()) + Files.readString(certificates.brokerCertificate());
        Path file = Files.writeString(folder.resolve("broker-with-key.pem"), pem);
        SslEngineFactory.configure(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", file.toString(),
                "ssl.truststore.type", "PEM", "ssl.truststore.location", certificates.caCertificate().toString()));
        SslEngineFactory.configure(Map.of("ssl.keystore.type", "PEM",
                "ssl.keystore.key", Files.readString(certificates.brokerKey()),
                "ssl.keystore.certificate.chain", Files.readString(certificates.brokerCertificate()),
                "ssl.truststore.type", "PEM", "ssl.truststore.certificates",
                Files.readString(certificates.caCertificate())));
    }

    @Test
    void each_wrong_setting_is_named() {
        assertNamed("ssl.client.auth", Map.of("ssl.client.auth", "always"));
        assertNamed("ssl.keystore.location", Map.of());
        Map<String, String> wrongPassword = pkcs12();
        wrongPassword.put("ssl.keystore.password", "not-the-password");
        assertNamed("ssl.keystore.password", wrongPassword);
        Map<String, String> missing = pkcs12();
        missing.put("ssl.keystore.location", folder.resolve("none.p12").toString());
        assertNamed("ssl.keystore.location", missing);
        Map<String, String> pemWithPassword = pkcs12();
        pemWithPassword.put("ssl.keystore.type", "PEM");
        assertNamed("ssl.keystore.password", pemWithPassword);
        Map<String, String> unknownType = pkcs12();
        unknownType.put("ssl.keystore.type", "PKCS13");
        assertNamed("ssl.keystore.type", unknownType);
    }

    private static void assertNamed(String setting, Map<String, String> settings) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SslEngineFactory.configure(settings));
        assertTrue(refused.getMessage().contains(setting), refused.getMessage());
        assertFalse(refused.getMessage().contains(PASSWORD), "no password in a message: " + refused.getMessage());
    }
}
