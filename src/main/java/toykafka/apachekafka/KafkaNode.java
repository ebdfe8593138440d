package toykafka.apachekafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * Starts, watches and stops one Apache Kafka node, from its jars, in a JVM of its own that outlives the
 * command that started it. What ties a later {@code stop} or {@code status} to the node is its folder: the
 * process id is written there, and a process is taken for the node only if its command line names that
 * folder's settings file.
 */
public final class KafkaNode {

    /** The JVM settings Kafka's start scripts use, but for the heap, which the settings give. */
    public static final List<String> JVM_OPTIONS = List.of("-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true");
    /** The variable Kafka's start scripts read in place of {@link #JVM_OPTIONS}, as ours does. */
    public static final String JVM_OPTIONS_VARIABLE = "KAFKA_JVM_PERFORMANCE_OPTS";
    /** Each line of node.log starts with its time, so a slow start can be read off it. */
    private static final List<String> LOG_TIMES = List.of("-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    /**
     * Caps on a node that hangs, not on a slow one: the waits end when the node answers, and three nodes starting
     * on a busy two-core machine took more than 90 s.
     */
    private static final Duration START_LIMIT = Duration.ofMinutes(5);
    private static final Duration FORMAT_LIMIT = Duration.ofMinutes(3);
    /** How long status waits for a running node to describe its cluster. */
    private static final Duration STATUS_LIMIT = Duration.ofSeconds(15);

    /** A node that answers: its process, address, cluster, and what it took to start. */
    public record Running(long pid, String bootstrapServers, String clusterId, int brokers, Duration startup,
            long residentBytes, boolean formatted, String version) {
    }

    private KafkaNode() {
    }

    /**
     * Starts the node and returns once Kafka's Admin client sees it in the cluster. The first start formats
     * the data folder with a new cluster id, as {@code kafka-storage.sh format} does.
     *
     * @throws IllegalStateException if a node already runs from this folder, a port is taken, or the node
     *     exits or stays silent while starting; the message quotes the end of its log
     */
    public static Running start(KafkaNodeSettings settings, KafkaJars jars) {
        refuseToStart(settings);
        long launched = System.nanoTime();
        boolean formatted = !isFormatted(settings);
        if (formatted) {
            format(settings, jars);
        }
        Process process = launch(settings, jars);
        try {
            String clusterId = awaitReady(settings, process);
            return new Running(process.pid(), settings.bootstrapServers(), clusterId, 1,
                    Duration.ofNanos(System.nanoTime() - launched), residentBytes(process.pid()), formatted, jars.version());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            forgetPid(settings.dataDir());
            throw e;
        }
    }

    /** Refuses a start if a node already runs from the folder, or a port it needs is taken. */
    static void refuseToStart(KafkaNodeSettings settings) {
        Optional<ProcessHandle> already = process(settings.dataDir());
        if (already.isPresent()) {
            throw new IllegalStateException("Apache Kafka already runs from " + settings.dataDir() + " (process "
                    + already.get().pid() + "); `./toykafka kafka stop` stops it");
        }
        for (int port : List.of(settings.port(), settings.controllerPort())) {
            if (listening(port)) {
                throw new IllegalStateException("port " + port + " on " + KafkaNodeSettings.HOST + " is taken by another"
                        + " program; choose free ports with --port and --controller-port");
            }
        }
    }

    /**
     * The JVM settings a node starts with: {@value #JVM_OPTIONS_VARIABLE} when it is set, as in Kafka's
     * {@code kafka-run-class.sh}, else {@link #JVM_OPTIONS}. The test suite sets it to compile with C1 alone, which
     * halves the processor time a short-lived node spends starting.
     */
    public static List<String> jvmOptions() {
        String set = System.getenv(JVM_OPTIONS_VARIABLE);
        return set == null || set.isBlank() ? JVM_OPTIONS : List.of(set.trim().split("\\s+"));
    }

    /** Whether the node's folder holds a formatted log directory. */
    public static boolean isFormatted(KafkaNodeSettings settings) {
        return Files.exists(settings.logDir().resolve("meta.properties"));
    }

    /**
     * Launches the node's JVM and returns at once, its process id written to the folder: for a caller that times
     * the start itself. The folder must be formatted first.
     */
    public static Process launch(KafkaNodeSettings settings, KafkaJars jars) {
        try {
            writeProperties(settings);
            List<String> command = new ArrayList<>(List.of(java(), "-Xms" + settings.heapMib() + "m",
                    "-Xmx" + settings.heapMib() + "m"));
            command.addAll(jvmOptions());
            command.addAll(LOG_TIMES);
            command.addAll(List.of("-cp", jars.classPath(), "kafka.Kafka", settings.propertiesFile().toString()));
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(settings.nodeLog().toFile()))
                    .start();
            Files.writeString(settings.pidFile(), process.pid() + "\n", StandardCharsets.UTF_8);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Apache Kafka in " + settings.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private static void writeProperties(KafkaNodeSettings settings) throws IOException {
        Files.createDirectories(settings.dataDir());
        Files.write(settings.propertiesFile(), settings.serverProperties().entrySet().stream()
                .map(setting -> setting.getKey() + "=" + setting.getValue()).toList(), StandardCharsets.UTF_8);
    }

    /** What a running node says of itself, or empty if no node runs from {@code dataDir}. */
    public static Optional<Running> status(Path dataDir, KafkaJars jars) {
        Optional<ProcessHandle> process = process(dataDir);
        if (process.isEmpty()) {
            return Optional.empty();
        }
        String bootstrap = bootstrapOf(dataDir);
        Duration up = process.get().info().startInstant()
                .map(started -> Duration.between(started, java.time.Instant.now())).orElse(Duration.ZERO);
        try (Admin admin = admin(bootstrap)) {
            DescribeClusterResult cluster = admin.describeCluster();
            String clusterId = cluster.clusterId().get(STATUS_LIMIT.toSeconds(), TimeUnit.SECONDS);
            Collection<Node> nodes = cluster.nodes().get(STATUS_LIMIT.toSeconds(), TimeUnit.SECONDS);
            return Optional.of(new Running(process.get().pid(), bootstrap, clusterId, nodes.size(), up,
                    residentBytes(process.get().pid()), false, jars.version()));
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof ExecutionException ? e.getCause().getMessage()
                    : "no answer within " + STATUS_LIMIT.toSeconds() + " s (a node still starting, or a busy machine)";
            throw new IllegalStateException("Apache Kafka runs from " + dataDir + " (process " + process.get().pid()
                    + ") but does not answer at " + bootstrap + ": " + why + "; its log is "
                    + dataDir.resolve("node.log"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking " + bootstrap, e);
        }
    }

    /**
     * Stops the node as Ctrl-C would (SIGTERM, a controlled shutdown that closes every log cleanly), and
     * kills it if it is still running after {@code grace}.
     *
     * @return the process id stopped, or empty if no node ran from {@code dataDir}
     */
    public static Optional<Long> stop(Path dataDir, Duration grace) {
        Optional<ProcessHandle> process = process(dataDir);
        process.ifPresent(node -> {
            node.destroy();
            awaitExit(node, grace);
        });
        forgetPid(dataDir);
        return process.map(ProcessHandle::pid);
    }

    /** Waits up to {@code grace} for a node already sent SIGTERM to exit, and kills it if it has not. */
    static void awaitExit(ProcessHandle node, Duration grace) {
        try {
            node.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            node.destroyForcibly();
            node.onExit().join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for process " + node.pid() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted stopping process " + node.pid(), e);
        }
    }

    /** Kills the node at once (SIGKILL, as {@code kill -9}): no log is closed, so its next start recovers them. */
    public static Optional<Long> kill(Path dataDir) {
        Optional<ProcessHandle> process = process(dataDir);
        process.ifPresent(node -> {
            node.destroyForcibly();
            node.onExit().join();
        });
        forgetPid(dataDir);
        return process.map(ProcessHandle::pid);
    }

    /** The node's process, if the folder names one that is alive and is that folder's Kafka. */
    static Optional<ProcessHandle> process(Path dataDir) {
        Path pidFile = dataDir.resolve("node.pid");
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        String settingsFile = dataDir.resolve("server.properties").toString();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> handle.info().commandLine()
                .map(line -> line.contains("kafka.Kafka") && line.contains(settingsFile)).orElse(false));
    }

    static void forgetPid(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve("node.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dataDir.resolve("node.pid") + ": " + e.getMessage(), e);
        }
    }

    private static String bootstrapOf(Path dataDir) {
        try {
            for (String line : Files.readAllLines(dataDir.resolve("server.properties"), StandardCharsets.UTF_8)) {
                if (line.startsWith("advertised.listeners=PLAINTEXT://")) {
                    return line.substring("advertised.listeners=PLAINTEXT://".length()).split(",")[0];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataDir.resolve("server.properties") + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException(dataDir.resolve("server.properties") + " names no PLAINTEXT listener");
    }

    /** Formats the data folder as {@code kafka-storage.sh format -t <new id> -c server.properties} does. */
    public static void format(KafkaNodeSettings settings, KafkaJars jars) {
        format(settings, jars, Uuid.randomUuid().toString());
    }

    /** Formats the data folder for the cluster {@code clusterId}, as every node of one cluster must be. */
    public static void format(KafkaNodeSettings settings, KafkaJars jars, String clusterId) {
        Path output = settings.dataDir().resolve("format.log");
        Process format;
        try {
            writeProperties(settings);
            // A tool that runs for a second: C1 alone and the serial collector cost it the least processor time.
            format = new ProcessBuilder(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", jars.classPath(),
                    "kafka.tools.StorageTool", "format",
                    "--cluster-id", clusterId, "--config", settings.propertiesFile().toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format " + settings.logDir() + ": " + e.getMessage(), e);
        }
        try {
            if (!format.waitFor(FORMAT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting " + settings.logDir() + " took over " + FORMAT_LIMIT.toSeconds()
                        + " s; its output is in " + output);
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted formatting " + settings.logDir(), e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("kafka-storage format exited with " + format.exitValue() + ":\n"
                    + tail(output, 15));
        }
    }

    /** Waits for the broker's port, then for Admin to see the node; returns the cluster id. */
    static String awaitReady(KafkaNodeSettings settings, Process process) {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (!listening(settings.port())) {
            checkAlive(settings, process, deadline);
            pause();
        }
        try (Admin admin = admin(settings.bootstrapServers())) {
            while (true) {
                checkAlive(settings, process, deadline);
                try {
                    DescribeClusterResult cluster = admin.describeCluster();
                    if (!cluster.nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return cluster.clusterId().get(5, TimeUnit.SECONDS);
                    }
                } catch (ExecutionException | TimeoutException e) {
                    pause(); // still starting: asked again until the deadline
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for Apache Kafka to start", e);
        }
    }

    private static void checkAlive(KafkaNodeSettings settings, Process process, long deadline) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Apache Kafka exited with " + process.exitValue() + " while starting; the end"
                    + " of " + settings.nodeLog() + ":\n" + tail(settings.nodeLog(), 15));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Apache Kafka did not answer at " + settings.bootstrapServers() + " within "
                    + START_LIMIT.toSeconds() + " s; the end of " + settings.nodeLog() + ":\n" + tail(settings.nodeLog(), 15));
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) STATUS_LIMIT.toMillis()));
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(KafkaNodeSettings.HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The process's resident memory from Linux's /proc, or -1 where there is none. */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for Apache Kafka", e);
        }
    }
}
