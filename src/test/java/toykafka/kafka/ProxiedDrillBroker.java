package toykafka.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A kill -9 drill's broker as its clients see it: a {@link DrillChildBroker} behind a {@link KafkaProxy} whose port
 * it advertises, so that clients outlive a kill. Started again on the same data directory, the broker is a new
 * child, and the proxy forwards to it from then on. Closing kills the child and closes the proxy.
 */
final class ProxiedDrillBroker implements AutoCloseable {

    /**
     * A bound on a child broker's start and on any one wait of a drill (a client's call, its acknowledgements), not a
     * figure: each ends when it is done, and at load 50 a child broker's start alone may take a minute, and a
     * restarted broker took more than 5 s to answer InitProducerId.
     */
    static final Duration PATIENCE = Duration.ofMinutes(3);

    private final KafkaProxy proxy;
    private final Path dataDir;
    private final String topic;
    private final int partitions;
    private DrillChildBroker child;

    /** Starts the child broker on {@code dataDir}, with {@code topic} of {@code partitions}, behind a new proxy. */
    ProxiedDrillBroker(Path dataDir, String topic, int partitions) throws IOException, InterruptedException {
        this.proxy = KafkaProxy.forwardingAll();
        this.dataDir = dataDir;
        this.topic = topic;
        this.partitions = partitions;
        try {
            child = new DrillChildBroker(dataDir, topic, partitions, proxy, PATIENCE);
        } catch (InterruptedException | RuntimeException | Error e) {
            proxy.close();
            throw e;
        }
        proxy.target(child.port);
    }

    /** Where clients connect: the proxy, which outlives every child. */
    String bootstrap() {
        return "127.0.0.1:" + proxy.port();
    }

    /** The child broker running now; a kill or a restart leaves it the one that was. */
    DrillChildBroker child() {
        return child;
    }

    /** How many requests of the api key {@code apiKey} the brokers, this one and those before, have answered. */
    int answered(short apiKey) {
        return proxy.answered(apiKey);
    }

    /** Kills the child broker with SIGKILL. */
    void kill() {
        child.kill();
    }

    /** Starts the broker again on the same data directory after a kill, and forwards the proxy to it. */
    void restart() throws InterruptedException {
        restart(ends -> {
        });
    }

    /**
     * Starts the broker again on the same data directory after a kill, tells {@code recovered} each partition's end
     * offset after its recovery, and only then forwards the proxy to it: no client has written to it yet.
     */
    void restart(Consumer<long[]> recovered) throws InterruptedException {
        child = new DrillChildBroker(dataDir, topic, partitions, proxy, PATIENCE);
        recovered.accept(child.ends);
        proxy.target(child.port);
    }

    void assertNoFaults(String where) {
        child.assertNoFaults(where);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            child.kill();
        } finally {
            proxy.close();
        }
    }
}
