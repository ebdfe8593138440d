package toykafka.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.console.ConsoleRoutes;
import toykafka.http.HttpFrontEnd;
import toykafka.kafka.KafkaFrontEnd;

/**
 * Our broker in the benchmark's own JVM, and the front ends a run asks for, stopped together. Its ports are
 * chosen free by the system and it writes no statistics topic, so nothing but the run's own work is measured.
 */
public final class BenchBroker implements AutoCloseable {

    private final Broker broker;
    private HttpFrontEnd http;
    private KafkaFrontEnd kafka;

    private BenchBroker(Broker broker) {
        this.broker = broker;
    }

    /** A benchmark broker's settings, its data in {@code dataDir}; add others with {@link BrokerConfig#with}. */
    public static BrokerConfig config(Path dataDir) {
        return BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.KAFKA_PORT, "0",
                BrokerConfig.STATS_INTERVAL_MS, "0")).with(BrokerConfig.DATA_DIR, dataDir);
    }

    /** The broker alone, no front end yet. */
    public static BenchBroker start(BrokerConfig config) {
        return new BenchBroker(Broker.start(config));
    }

    /** Adds the HTTP front end, with the console's routes as {@code toykafka broker} serves them. */
    public BenchBroker withHttp(PrintStream log) {
        try {
            http = HttpFrontEnd.start(broker, log, new ConsoleRoutes(broker));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start the broker's HTTP front end: " + e.getMessage(), e);
        }
        return this;
    }

    /** Adds the Kafka front end, without tracing requests. */
    public BenchBroker withKafka(PrintStream log) {
        try {
            kafka = KafkaFrontEnd.start(broker, false, log);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start the broker's Kafka front end: " + e.getMessage(), e);
        }
        return this;
    }

    public Broker broker() {
        return broker;
    }

    public HttpFrontEnd http() {
        if (http == null) {
            throw new IllegalStateException("the benchmark's broker was started without its HTTP front end");
        }
        return http;
    }

    public KafkaFrontEnd kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the benchmark's broker was started without its Kafka front end");
        }
        return kafka;
    }

    /** The front ends first, so no request is in flight when the broker closes its logs. */
    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
        }
        if (http != null) {
            http.close();
        }
        broker.close();
    }
}
