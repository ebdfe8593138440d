package toykafka.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.BrokerConfig;

/**
 * A broker with its Kafka front end on a free loopback port, for tests: {@link #bootstrapServers()} is what
 * a Kafka client's {@code bootstrap.servers} takes, and {@link #log()} is what the front end logged.
 */
final class RunningKafkaBroker implements AutoCloseable {

    /** The cluster id the front end is given, as Metadata and Admin's describeCluster report it. */
    static final String CLUSTER_ID = "dG95a2Fma2EtdGVzdHMtMQ";

    private final BrokerConfig config;
    private final boolean trace;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private Broker broker;
    private KafkaFrontEnd front;

    RunningKafkaBroker(Path dataDir, Map<String, String> settings, boolean trace) {
        Map<String, String> all = new HashMap<>(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.KAFKA_PORT, "0",
                BrokerConfig.STATS_INTERVAL_MS, "0", BrokerConfig.CLUSTER_ID, CLUSTER_ID, BrokerConfig.DATA_DIR, dataDir.toString()));
        all.putAll(settings);
        this.config = BrokerConfig.of(all); // as flags, so DescribeConfigs sees them set rather than defaulted
        this.trace = trace;
        start();
    }

    RunningKafkaBroker(Path dataDir) {
        this(dataDir, Map.of(), false);
    }

    private void start() {
        broker = Broker.start(config);
        try {
            front = KafkaFrontEnd.start(broker, trace, new PrintStream(logged, true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            broker.close();
            throw new UncheckedIOException(e);
        }
    }

    /** Stops cleanly and starts again on the same data directory (and a new port). */
    void restart() {
        close();
        start();
    }

    Broker broker() {
        return broker;
    }

    KafkaFrontEnd front() {
        return front;
    }

    String host() {
        return config.host();
    }

    int port() {
        return front.port();
    }

    String bootstrapServers() {
        return front.bootstrapServers();
    }

    /** What the front end logged so far. */
    String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (front != null) {
            front.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
