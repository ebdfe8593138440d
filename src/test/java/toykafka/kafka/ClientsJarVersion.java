package toykafka.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The probes' kafka-clients version, read from the resource the jar carries. The probes run on class paths
 * that hold our test classes and a kafka-clients jar but not our main classes, so they cannot use the
 * benchmarks' {@code toykafka.harness.KafkaClientsVersion}.
 */
final class ClientsJarVersion {

    private ClientsJarVersion() {
    }

    static String get() {
        try (InputStream in = KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
