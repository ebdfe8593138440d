package toykafka.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import toykafka.apachekafka.KafkaNodeSettings;
import toykafka.tools.ThrowawayCa;

/**
 * A Kafka 4.4 node secured as {@link SecurityProbe} expects: SASL_SSL with SCRAM-SHA-512 and PLAIN (carol), SSL
 * that requires a client certificate, and StandardAuthorizer with admin as super user. Its PLAINTEXT listener is
 * the administrator's door, where User:ANONYMOUS is a super user too: the controller and the broker in one process
 * speak to each other there, and the probe makes its first SCRAM users through it, as an operator would before
 * closing it.
 */
final class SecuredKafkaNode {

    private SecuredKafkaNode() {
    }

    static KafkaNodeSettings settings(Path folder, int firstPort, ThrowawayCa.Material certificates) {
        int plain = firstPort;
        int controller = firstPort + 1;
        int saslSsl = firstPort + 2;
        int ssl = firstPort + 3;
        String host = KafkaNodeSettings.HOST;
        Map<String, String> secured = new LinkedHashMap<>();
        secured.put("listeners", "PLAINTEXT://" + host + ":" + plain + ",CONTROLLER://" + host + ":" + controller
                + ",SASL_SSL://" + host + ":" + saslSsl + ",SSL://" + host + ":" + ssl);
        secured.put("advertised.listeners", "PLAINTEXT://" + host + ":" + plain + ",SASL_SSL://" + host + ":" + saslSsl
                + ",SSL://" + host + ":" + ssl);
        secured.put("listener.security.protocol.map",
                "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL");
        secured.putAll(security(certificates));
        return new KafkaNodeSettings(folder, plain, controller, 512, secured);
    }

    /** The settings both brokers share: TLS, SASL's mechanisms and PLAIN's user, the authorizer and its super users. */
    private static Map<String, String> security(ThrowawayCa.Material certificates) {
        Map<String, String> secured = new LinkedHashMap<>();
        secured.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        secured.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        secured.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_carol=\"carol-secret\";");
        secured.put("listener.name.ssl.ssl.client.auth", "required");
        secured.put("ssl.keystore.type", "PKCS12");
        secured.put("ssl.keystore.location", certificates.brokerKeyStore().toString());
        secured.put("ssl.keystore.password", certificates.password());
        secured.put("ssl.truststore.type", "PKCS12");
        secured.put("ssl.truststore.location", certificates.trustStore().toString());
        secured.put("ssl.truststore.password", certificates.password());
        secured.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        secured.put("super.users", "User:ANONYMOUS;User:admin");
        return secured;
    }

    /** Our broker, secured the same way, its listeners on ports the system picks. */
    static Map<String, String> ours(ThrowawayCa.Material certificates) {
        Map<String, String> secured = new LinkedHashMap<>(security(certificates));
        secured.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0,SSL://127.0.0.1:0");
        return secured;
    }

    static SecurityProbe.Doors doors(toykafka.testing.RunningBroker broker, ThrowawayCa.Material certificates) {
        return new SecurityProbe.Doors(broker.front().bootstrapServers("PLAINTEXT"),
                broker.front().bootstrapServers("SASL_SSL"), broker.front().bootstrapServers("SSL"), certificates);
    }

    static SecurityProbe.Doors doors(KafkaNodeSettings settings, ThrowawayCa.Material certificates) {
        String host = KafkaNodeSettings.HOST;
        return new SecurityProbe.Doors(host + ":" + settings.port(), host + ":" + (settings.port() + 2),
                host + ":" + (settings.port() + 3), certificates);
    }
}
