package toykafka.client;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.http.HttpFrontEnd;
import toykafka.lesson04.BrokerSettings;

/**
 * Brokers started for one test, each with its HTTP front end on a free loopback port in a fresh
 * directory, and stopped after it. The client library never sees these: it gets only the address.
 */
final class Brokers {

    private final List<AutoCloseable> running = new ArrayList<>();

    /** Starts a broker whose topics follow {@code settings}, on {@code clock}; returns its address. */
    String start(Path parent, BrokerSettings settings, Clock clock) {
        return start(parent, settings, clock, Map.of());
    }

    /** As {@link #start(Path, BrokerSettings, Clock)}, with more of the broker's settings. */
    String start(Path parent, BrokerSettings settings, Clock clock, Map<String, String> more) {
        Map<String, String> wanted = new HashMap<>(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS, "0",
                BrokerConfig.AUTO_CREATE_TOPICS, String.valueOf(settings.autoCreateTopicsEnable()),
                BrokerConfig.NUM_PARTITIONS, String.valueOf(settings.numPartitions())));
        wanted.putAll(more);
        try {
            BrokerConfig config = BrokerConfig.of(wanted).with(BrokerConfig.DATA_DIR, Files.createTempDirectory(parent, "broker-"));
            Broker broker = Broker.start(config, clock, event -> { });
            HttpFrontEnd front = HttpFrontEnd.start(broker, new PrintStream(System.err, true));
            running.add(broker);
            running.add(front); // closed first: the list is closed from the end
            return front.address();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        running.clear();
    }
}
