package toykafka.apachekafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Apache Kafka node in KRaft mode, broker and controller in one process, on loopback: where its files go,
 * its two ports, its heap, and any broker setting to change.
 *
 * @param dataDir   the node's folder: its settings, its log (node.log), its process id, and its data under kafka-logs
 * @param nodeId    its {@code node.id}, the same for its broker and its controller
 * @param port      the broker's listener, the bootstrap address clients use
 * @param controllerPort the KRaft controller's listener, which only the cluster's nodes use
 * @param quorumVoters {@code controller.quorum.voters}: every controller of the cluster, as id@host:port
 * @param heapMib   the JVM's heap, fixed as Kafka's start script fixes it (-Xms = -Xmx; the script's default is 1 GiB)
 * @param overrides broker settings that replace or add to the one-node settings below, by Kafka's names
 */
public record KafkaNodeSettings(Path dataDir, int nodeId, int port, int controllerPort, String quorumVoters, int heapMib,
                                Map<String, String> overrides) {

    public static final String HOST = "127.0.0.1";
    public static final Path DEFAULT_DATA_DIR = Path.of("data", "apache-kafka");
    /** Beside our broker's 9092, so both can run at once. */
    public static final int DEFAULT_PORT = 9192;
    public static final int DEFAULT_CONTROLLER_PORT = 9193;
    public static final int DEFAULT_HEAP_MIB = 1024;

    public KafkaNodeSettings {
        if (port < 1 || port > 65535 || controllerPort < 1 || controllerPort > 65535 || port == controllerPort) {
            throw new IllegalArgumentException("the broker and controller ports must be two different ports from 1 to"
                    + " 65535; were " + port + " and " + controllerPort);
        }
        if (heapMib < 128 || heapMib > 32768) {
            throw new IllegalArgumentException("the heap must be from 128 to 32768 MiB; was " + heapMib);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        overrides = Map.copyOf(overrides);
    }

    /** A node that is a cluster of its own: node 1, its own controller the only voter. */
    public KafkaNodeSettings(Path dataDir, int port, int controllerPort, int heapMib, Map<String, String> overrides) {
        this(dataDir, 1, port, controllerPort, "1@" + HOST + ":" + controllerPort, heapMib, overrides);
    }

    public static KafkaNodeSettings defaults() {
        return new KafkaNodeSettings(DEFAULT_DATA_DIR, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT, DEFAULT_HEAP_MIB, Map.of());
    }

    public KafkaNodeSettings withOverrides(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(more);
        return new KafkaNodeSettings(dataDir, nodeId, port, controllerPort, quorumVoters, heapMib, all);
    }

    /**
     * The same node with an SSL and a SASL_SSL listener beside PLAINTEXT, each on a port of its own, and {@code
     * security} for them (Kafka's {@code ssl.*} and {@code listener.name.*} settings). PLAINTEXT stays first, the
     * listener the node's broker and controller speak to each other on.
     */
    public KafkaNodeSettings withSecuredListeners(int sslPort, int saslSslPort, Map<String, String> security) {
        String secured = ",SSL://" + HOST + ":" + sslPort + ",SASL_SSL://" + HOST + ":" + saslSslPort;
        Map<String, String> more = new LinkedHashMap<>(security);
        more.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort + secured);
        more.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port + secured);
        more.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL");
        return withOverrides(more);
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    Path propertiesFile() {
        return dataDir.resolve("server.properties");
    }

    public Path logDir() {
        return dataDir.resolve("kafka-logs");
    }

    Path nodeLog() {
        return dataDir.resolve("node.log");
    }

    Path pidFile() {
        return dataDir.resolve("node.pid");
    }

    /**
     * The broker's settings: a combined KRaft node, and the internal topics at replication factor 1, as one
     * broker can hold them (a cluster's nodes override these). {@code group.initial.rebalance.delay.ms=0} lets a
     * group's first member start at once, as Kafka's own single-node quick start does. Everything else is
     * Kafka's default.
     */
    public Map<String, String> serverProperties() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", String.valueOf(nodeId));
        settings.put("controller.quorum.voters", quorumVoters);
        settings.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        settings.put("log.dirs", logDir().toString());
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.putAll(overrides);
        return settings;
    }
}
