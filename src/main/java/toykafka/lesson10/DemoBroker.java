package toykafka.lesson10;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.Directories;
import toykafka.kafka.KafkaFrontEnd;

/**
 * The broker a lesson's demo starts in this process, from this lesson on: on a data folder of the demo's own,
 * on any free port and without the statistics timer, so that every run tells the same story. From lesson 13
 * the demos speak Kafka's protocol to it, and stop its front end and then the broker together.
 */
public record DemoBroker(Broker broker, KafkaFrontEnd front) implements AutoCloseable {

    /** The settings every demo's broker shares, then the demo's own, keeping its data under {@code data}. */
    public static BrokerConfig config(Path data, Map<String, String> settings) {
        Map<String, String> all = new TreeMap<>(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS,
                "0"));
        all.putAll(settings);
        return BrokerConfig.of(all).with(BrokerConfig.DATA_DIR, data.toAbsolutePath());
    }

    /** A broker on {@code data}, emptied first, that answers Kafka's protocol on any free port. */
    public static DemoBroker speakingKafka(Path data, Map<String, String> settings) throws IOException {
        Directories.deleteTree(data);
        Map<String, String> withKafkaPort = new TreeMap<>(settings);
        withKafkaPort.put(BrokerConfig.KAFKA_PORT, "0");
        Broker broker = Broker.start(config(data, withKafkaPort));
        try {
            return new DemoBroker(broker, KafkaFrontEnd.start(broker, false, new PrintStream(System.err, true)));
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return front.bootstrapServers();
    }

    /** The front end first, so that no request reaches a broker that is stopping. */
    @Override
    public void close() {
        try {
            front.close();
        } finally {
            broker.close();
        }
    }
}
