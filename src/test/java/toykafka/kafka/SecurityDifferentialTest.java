package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.apachekafka.FreePorts;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;
import toykafka.apachekafka.KafkaNodeSettings;
import toykafka.testing.RunningBroker;
import toykafka.tools.ThrowawayCa;

/**
 * Who may do what, asked of our broker and of a Kafka 4.4 node secured alike (SASL_SSL with SCRAM-SHA-512 and
 * PLAIN, SSL with client certificates, StandardAuthorizer): the same {@link SecurityProbe} steps by five principals
 * print the same lines on both.
 */
class SecurityDifferentialTest {

    @Test
    void principals_are_allowed_and_refused_alike_on_our_broker_and_on_kafka(@TempDir Path folder) throws Exception {
        ThrowawayCa.Material certificates = ThrowawayCa.make(folder.resolve("certs"), "127.0.0.1", List.of("dave"),
                "course-secret");
        KafkaNodeSettings kafka = SecuredKafkaNode.settings(folder.resolve("kafka"), FreePorts.run(4), certificates);
        List<String> fromKafka;
        KafkaNode.start(kafka, KafkaJars.inProject());
        try {
            fromKafka = SecurityProbe.run(SecuredKafkaNode.doors(kafka, certificates));
        } finally {
            KafkaNode.kill(kafka.dataDir());
        }
        List<String> fromOurs;
        try (RunningBroker ours = RunningBroker.overKafka(folder.resolve("ours"), SecuredKafkaNode.ours(certificates),
                false)) {
            fromOurs = SecurityProbe.run(SecuredKafkaNode.doors(ours, certificates));
        }
        assertTrue(fromKafka.size() >= 40, "every step wrote its line: " + String.join("\n", fromKafka));
        assertTrue(fromKafka.contains("bob reads payments, denied to him alone: TopicAuthorizationException"),
                "Kafka itself let a DENY win: " + String.join("\n", fromKafka));
        assertEquals(String.join("\n", fromKafka), String.join("\n", fromOurs));
    }
}
