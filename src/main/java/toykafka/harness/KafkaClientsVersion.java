package toykafka.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The kafka-clients version on the class path, as its jar records it in a resource of its own: the class that
 * used to report it is internal from kafka-clients 4.3 on.
 */
public final class KafkaClientsVersion {

    private static final String RESOURCE = "/kafka/kafka-version.properties";

    private KafkaClientsVersion() {
    }

    public static String get() {
        try (InputStream in = KafkaProducer.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }
}
