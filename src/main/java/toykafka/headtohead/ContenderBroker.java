package toykafka.headtohead;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;
import toykafka.apachekafka.KafkaNodeSettings;

/**
 * One side of the head-to-head: our broker or Apache Kafka, each in a JVM of its own with the same heap and the
 * garbage collector settings of Kafka's start scripts, on a loopback port, data in a folder of the benchmark's.
 * Launched, killed ({@code kill -9}) and stopped by process id; nothing here waits for it to answer, so the
 * caller can time a start to the first produce accepted.
 */
final class ContenderBroker implements AutoCloseable {

    /** The heap of both brokers: the 1 GiB Kafka's start script gives its broker. */
    static final int HEAP_MIB = 1024;
    /**
     * Our broker's max.connections and max.connections.per.ip in the head-to-head: above the most connections a row
     * opens, as Kafka, which has no such limits by default, takes them all.
     */
    static final int MAX_CONNECTIONS = 2_000;

    private final String name;
    private final Path folder;
    private final int port;
    private final int controllerPort;
    private final KafkaJars jars;
    private final String commandLineMain;
    private Process process;
    /** How often consumer and share group members heartbeat on this broker; null for its default (5 s on both). */
    private final Duration heartbeat;
    /** The SSL and SASL_SSL listeners beside PLAINTEXT, or null for PLAINTEXT alone; then their ports. */
    private SecuredListeners secured;
    private int sslPort;
    private int saslSslPort;

    private ContenderBroker(String name, Path folder, int port, int controllerPort, KafkaJars jars, String commandLineMain,
                            Duration heartbeat) {
        this.name = name;
        this.heartbeat = heartbeat;
        this.commandLineMain = commandLineMain;
        this.folder = folder;
        this.port = port;
        this.controllerPort = controllerPort;
        this.jars = jars;
    }

    /**
     * Our broker, run by the course's own command line ({@code toykafka broker}) on this JVM's class path: the
     * command line's main class is given, since the head-to-head sits below the command line and never names it.
     */
    static ContenderBroker ours(Path folder, int port, String commandLineMain, Duration heartbeat) {
        return new ContenderBroker("toykafka", folder, port, 0, null, commandLineMain, heartbeat);
    }

    /**
     * Apache Kafka, one KRaft node from Maven's jars; its folder is formatted now, off every clock. Formatting reads
     * none of the listeners, so {@link #withSecuredListeners} may add some afterwards.
     */
    static ContenderBroker apacheKafka(Path folder, int port, int controllerPort, KafkaJars jars, Duration heartbeat) {
        ContenderBroker kafka = new ContenderBroker("Apache Kafka " + jars.version(), folder, port, controllerPort, jars,
                null, heartbeat);
        KafkaNode.format(kafka.kafkaSettings(), jars);
        return kafka;
    }

    String name() {
        return name;
    }

    String bootstrapServers() {
        return KafkaNodeSettings.HOST + ":" + port;
    }

    /** The address of the listener of a security protocol: PLAINTEXT, or SSL or SASL_SSL when it has them. */
    String bootstrapServers(String protocol) {
        int listening = switch (protocol) {
            case "PLAINTEXT" -> port;
            case SecuredListeners.SSL -> sslPort;
            case SecuredListeners.SASL_SSL -> saslSslPort;
            default -> 0;
        };
        if (listening == 0) {
            throw new IllegalArgumentException(name + " has no " + protocol + " listener");
        }
        return KafkaNodeSettings.HOST + ":" + listening;
    }

    /**
     * Opens an SSL listener on {@code firstPort} and a SASL_SSL one on the port after beside PLAINTEXT, from the next
     * launch on, with the settings {@code secured} gives both brokers.
     */
    ContenderBroker withSecuredListeners(SecuredListeners secured, int firstPort) {
        this.secured = secured;
        this.sslPort = firstPort;
        this.saslSslPort = firstPort + 1;
        return this;
    }

    int port() {
        return port;
    }

    Path folder() {
        return folder;
    }

    /** Starts the broker's JVM and returns {@link System#nanoTime()} just before it was asked to. */
    long launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (process " + process.pid() + ")");
        }
        long launched = System.nanoTime();
        if (jars != null) {
            process = KafkaNode.launch(kafkaSettings(), jars);
            return launched;
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + HEAP_MIB + "m", "-Xmx" + HEAP_MIB + "m"));
        command.addAll(KafkaNode.jvmOptions()); // the same settings as the Kafka it is measured against
        // This JVM's whole class path: the JVM opens a jar only when it looks for a class in it.
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), commandLineMain, "broker",
                "--data-dir=" + folder.resolve("data"), "--host=" + KafkaNodeSettings.HOST, "--kafka-port=" + port,
                "--http-port=0", "--max-connections=" + MAX_CONNECTIONS, "--max-connections-per-ip=" + MAX_CONNECTIONS));
        if (heartbeat != null) {
            command.addAll(List.of("--group-consumer-heartbeat-interval-ms=" + heartbeat.toMillis(),
                    "--group-share-heartbeat-interval-ms=" + heartbeat.toMillis()));
        }
        try {
            Files.createDirectories(folder);
            if (secured != null) { // TLS's settings hold passwords: a file, not flags a process list shows
                command.add("--config=" + securedProperties());
            }
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
        return launched;
    }

    /** Where the broker's JVM writes what it prints. */
    Path log() {
        return jars != null ? folder.resolve("node.log") : folder.resolve("broker.log");
    }

    /** Fails with the end of the broker's log if its JVM has exited. */
    void checkAlive() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name + " is not running" + (process == null ? "" : " (it exited with "
                    + process.exitValue() + ")") + "; its log is " + log());
        }
    }

    long pid() {
        checkAlive();
        return process.pid();
    }

    /** The processor time the broker's JVM has used since it was launched, as the system counts it. */
    Duration cpuTime() {
        checkAlive();
        return process.info().totalCpuDuration().orElseThrow(() ->
                new IllegalStateException("this system does not tell the processor time of " + name));
    }

    /** Kills the JVM at once, as {@code kill -9}: no log is closed, so the next launch recovers them. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process, 30);
        }
    }

    /** Stops the JVM as Ctrl-C would, and kills it if it is still running after 30 s. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(process, 30)) {
                process.destroyForcibly();
                waitFor(process, 30);
            }
        }
    }

    private static boolean waitFor(Process process, int seconds) {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for process " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for process " + process.pid(), e);
        }
    }

    /** Our broker's listeners and their settings, as Kafka names them, in a properties file of its folder. */
    private Path securedProperties() throws IOException {
        Properties settings = new Properties();
        settings.putAll(secured.brokerSettings());
        settings.put("listeners", "PLAINTEXT://" + KafkaNodeSettings.HOST + ":" + port + ",SSL://" + KafkaNodeSettings.HOST
                + ":" + sslPort + ",SASL_SSL://" + KafkaNodeSettings.HOST + ":" + saslSslPort);
        Path file = folder.resolve("secured.properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            settings.store(writer, "the head-to-head's listeners");
        }
        return file;
    }

    private KafkaNodeSettings kafkaSettings() {
        KafkaNodeSettings settings = new KafkaNodeSettings(folder, port, controllerPort, HEAP_MIB, Map.of());
        if (heartbeat != null) {
            String ms = String.valueOf(heartbeat.toMillis()); // Kafka's least heartbeat is 5 s unless lowered too
            settings = settings.withOverrides(Map.of(
                    "group.consumer.heartbeat.interval.ms", ms, "group.consumer.min.heartbeat.interval.ms", ms,
                    "group.share.heartbeat.interval.ms", ms, "group.share.min.heartbeat.interval.ms", ms));
        }
        return secured == null ? settings : settings.withSecuredListeners(sslPort, saslSslPort, secured.brokerSettings());
    }
}
