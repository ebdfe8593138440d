package toykafka.apachekafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * One to five Apache Kafka nodes started together as one cluster: each a combined KRaft node (broker and
 * controller) in a JVM of its own, in a folder {@code node-N} of the cluster's folder, on ports counted up in
 * twos from the first node's. The layout is written to {@code cluster.properties} there, so a later command
 * finds every node. A cluster of more than one node replicates everything three ways (or as many ways as it
 * has nodes) and acknowledges acks=all once two replicas hold a record.
 */
public final class KafkaCluster {

    public static final int MAX_NODES = 5;
    private static final String LAYOUT_FILE = "cluster.properties";
    /** How long a topic creation or an election may take: a busy machine's controller can be slow to answer. */
    private static final Duration WRITE_LIMIT = Duration.ofSeconds(60);

    /**
     * Where the cluster lives and how it is laid out: node N listens on {@code port + 2 (N - 1)} and its
     * controller on {@code controllerPort + 2 (N - 1)}. {@code overrides} are broker settings every node takes
     * on top of the cluster's own (a test's quick log cleaner, say); they are not written to
     * {@code cluster.properties}, so only the caller holding this layout starts or restarts nodes with them.
     */
    public record Layout(Path dataDir, int nodes, int port, int controllerPort, int heapMib,
                         Map<String, String> overrides) {

        public Layout(Path dataDir, int nodes, int port, int controllerPort, int heapMib) {
            this(dataDir, nodes, port, controllerPort, heapMib, Map.of());
        }

        public Layout {
            if (nodes < 1 || nodes > MAX_NODES) {
                throw new IllegalArgumentException("a cluster has from 1 to " + MAX_NODES + " nodes; asked for " + nodes);
            }
            dataDir = dataDir.toAbsolutePath().normalize();
            overrides = Map.copyOf(overrides);
            new KafkaNodeSettings(dataDir, port, controllerPort, heapMib, Map.of()); // the same bounds as one node's
            boolean meet = nodes > 1 && Math.abs(port - controllerPort) % 2 == 0
                    && Math.abs(port - controllerPort) < 2 * nodes;
            if (port + 2 * (nodes - 1) > 65535 || controllerPort + 2 * (nodes - 1) > 65535 || meet) {
                throw new IllegalArgumentException("the ports of " + nodes + " nodes, counted up in twos from " + port
                        + " and " + controllerPort + ", must stay under 65536 and never meet (make the two differ by an"
                        + " odd number, or by more than twice the nodes)");
            }
        }

        public KafkaNodeSettings node(int id) {
            if (id < 1 || id > nodes) {
                throw new IllegalArgumentException("the cluster in " + dataDir + " has nodes 1 to " + nodes + "; there is no"
                        + " node " + id);
            }
            List<String> voters = new ArrayList<>();
            for (int n = 1; n <= nodes; n++) {
                voters.add(n + "@" + KafkaNodeSettings.HOST + ":" + (controllerPort + 2 * (n - 1)));
            }
            Map<String, String> settings = new LinkedHashMap<>(replication());
            settings.putAll(overrides);
            return new KafkaNodeSettings(dataDir.resolve("node-" + id), id, port + 2 * (id - 1),
                    controllerPort + 2 * (id - 1), String.join(",", voters), heapMib, settings);
        }

        public String bootstrapServers() {
            List<String> addresses = new ArrayList<>();
            for (int id = 1; id <= nodes; id++) {
                addresses.add(node(id).bootstrapServers());
            }
            return String.join(",", addresses);
        }

        /** Three copies of everything, or as many as there are nodes; acks=all waits for two. */
        private Map<String, String> replication() {
            if (nodes == 1) {
                return Map.of();
            }
            String copies = String.valueOf(Math.min(3, nodes));
            String inSync = String.valueOf(Math.min(2, nodes));
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("default.replication.factor", copies);
            settings.put("min.insync.replicas", inSync);
            settings.put("offsets.topic.replication.factor", copies);
            settings.put("transaction.state.log.replication.factor", copies);
            settings.put("transaction.state.log.min.isr", inSync);
            settings.put("share.coordinator.state.topic.replication.factor", copies);
            settings.put("share.coordinator.state.topic.min.isr", inSync);
            return settings;
        }
    }

    private KafkaCluster() {
    }

    /**
     * Starts every node and returns once each answers. A new folder is formatted first, every node with the
     * same new cluster id; a cluster already formatted there starts again as it was laid out.
     */
    public static List<KafkaNode.Running> start(Layout asked, KafkaJars jars) {
        Layout layout = layout(asked.dataDir()).map(saved -> new Layout(saved.dataDir(), saved.nodes(), saved.port(),
                saved.controllerPort(), saved.heapMib(), asked.overrides())).orElse(asked);
        if (layout.nodes() != asked.nodes()) {
            throw new IllegalStateException(asked.dataDir() + " holds a cluster of " + layout.nodes() + " node(s); start it"
                    + " with --nodes " + layout.nodes() + ", give another --data-dir, or add --fresh to delete it and"
                    + " start " + asked.nodes() + " new node(s) there");
        }
        for (int id = 1; id <= layout.nodes(); id++) {
            KafkaNode.refuseToStart(layout.node(id));
        }
        long launched = System.nanoTime();
        writeLayout(layout);
        List<KafkaNodeSettings> nodes = new ArrayList<>();
        boolean formatted = false;
        String clusterId = Uuid.randomUuid().toString();
        for (int id = 1; id <= layout.nodes(); id++) {
            KafkaNodeSettings node = layout.node(id);
            nodes.add(node);
            if (!KafkaNode.isFormatted(node)) {
                KafkaNode.format(node, jars, clusterId);
                formatted = true;
            }
        }
        // Every node is launched before any is waited for: no controller can lead until a majority runs.
        List<Process> processes = new ArrayList<>();
        for (KafkaNodeSettings node : nodes) {
            processes.add(KafkaNode.launch(node, jars));
        }
        List<KafkaNode.Running> running = new ArrayList<>();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                String id = KafkaNode.awaitReady(nodes.get(i), processes.get(i));
                running.add(new KafkaNode.Running(processes.get(i).pid(), nodes.get(i).bootstrapServers(), id,
                        layout.nodes(), Duration.ofNanos(System.nanoTime() - launched),
                        KafkaNode.residentBytes(processes.get(i).pid()), formatted, jars.version()));
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < nodes.size(); i++) {
                processes.get(i).destroyForcibly();
                KafkaNode.forgetPid(nodes.get(i).dataDir());
            }
            throw e;
        }
        return running;
    }

    /**
     * Deletes the cluster a start laid out in {@code dataDir}, data and all, so the next start formats a new one;
     * refused while any of its nodes runs, and for a folder no start laid out.
     */
    public static void delete(Path dataDir) {
        Path folder = dataDir.toAbsolutePath().normalize();
        if (!Files.exists(folder)) {
            return;
        }
        Layout layout = layout(folder).orElseThrow(() -> new IllegalStateException(folder + " holds no cluster that"
                + " ./toykafka kafka start laid out (no " + LAYOUT_FILE + "), so it is not deleted"));
        List<Integer> running = processes(layout).entrySet().stream().filter(node -> node.getValue().isPresent())
                .map(Map.Entry::getKey).toList();
        if (!running.isEmpty()) {
            throw new IllegalStateException("node(s) " + running + " still run from " + folder
                    + "; ./toykafka kafka stop stops them first");
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates a topic of {@code partitions} with the cluster's replication (three copies on three nodes or more);
     * false if it existed already, as {@code kafka-topics.sh --create --if-not-exists} leaves it.
     */
    public static boolean createTopic(Layout layout, String name, int partitions) {
        try (Admin admin = admin(layout, WRITE_LIMIT)) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()))).all()
                    .get(WRITE_LIMIT.toSeconds() + 5, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("the cluster at " + layout.bootstrapServers() + " did not create " + name
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster at " + layout.bootstrapServers() + " did not answer within " + WRITE_LIMIT.toSeconds() + " s"
                    + " creating " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + name, e);
        }
    }

    /**
     * Gives each partition back to its preferred replica (the first of its replicas) where that one is in sync
     * and does not lead: what the controller does on its own every {@code leader.imbalance.check.interval.seconds}
     * (300), and {@code kafka-leader-election.sh --election-type PREFERRED --all-topic-partitions} does now.
     * Returns the partitions whose leader changed, as {@code topic-partition}.
     */
    public static List<String> electPreferredLeaders(Layout layout) {
        try (Admin admin = admin(layout, WRITE_LIMIT)) {
            Map<TopicPartition, Optional<Throwable>> outcomes = admin.electLeaders(ElectionType.PREFERRED, null)
                    .partitions().get(WRITE_LIMIT.toSeconds() + 5, TimeUnit.SECONDS);
            List<TopicPartition> moved = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            outcomes.forEach((partition, error) -> {
                if (error.isEmpty()) {
                    moved.add(partition);
                } else if (!(error.get() instanceof ElectionNotNeededException)) {
                    failed.add(partition + " (" + error.get().getMessage() + ")");
                }
            });
            if (!failed.isEmpty()) {
                throw new IllegalStateException("the preferred replica could not take over " + String.join(", ", failed)
                        + (moved.isEmpty() ? "" : "; it did take over " + moved));
            }
            return moved.stream().map(TopicPartition::toString).sorted().toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the cluster at " + layout.bootstrapServers() + " refused the election: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster at " + layout.bootstrapServers() + " did not answer within " + WRITE_LIMIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking " + layout.bootstrapServers(), e);
        }
    }

    /** The layout a start wrote in {@code dataDir}, if one did. */
    public static Optional<Layout> layout(Path dataDir) {
        Path file = dataDir.resolve(LAYOUT_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties saved = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            saved.load(in);
            return Optional.of(new Layout(dataDir, Integer.parseInt(saved.getProperty("nodes")),
                    Integer.parseInt(saved.getProperty("port")), Integer.parseInt(saved.getProperty("controller.port")),
                    Integer.parseInt(saved.getProperty("heap.mib"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is not a cluster layout this command wrote: " + e.getMessage(), e);
        }
    }

    /** Each node's process, if it runs, by node id. */
    public static Map<Integer, Optional<ProcessHandle>> processes(Layout layout) {
        Map<Integer, Optional<ProcessHandle>> processes = new TreeMap<>();
        for (int id = 1; id <= layout.nodes(); id++) {
            processes.put(id, KafkaNode.process(layout.node(id).dataDir()));
        }
        return processes;
    }

    /**
     * Stops every node that runs, each as Ctrl-C would, all at once: each gets SIGTERM before any is waited for,
     * then {@code grace} to finish, the highest id waited for first. Returns their process ids, in that order.
     *
     * <p>Not one after another: a broker's controlled shutdown needs the controllers' quorum to answer, and the
     * last node left of three has no quorum, so it asks until its grace runs out and is killed (30 s of nothing on
     * every stop). Signalled together, the brokers shut down while every controller still answers.
     */
    public static List<Long> stop(Layout layout, Duration grace) {
        Map<Integer, ProcessHandle> signalled = new TreeMap<>(Comparator.reverseOrder());
        for (int id = layout.nodes(); id >= 1; id--) {
            int node = id;
            KafkaNode.process(layout.node(id).dataDir()).ifPresent(process -> {
                process.destroy();
                signalled.put(node, process);
            });
        }
        long deadline = System.nanoTime() + grace.toNanos();
        List<Long> stopped = new ArrayList<>();
        signalled.forEach((id, process) -> {
            KafkaNode.awaitExit(process, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            KafkaNode.forgetPid(layout.node(id).dataDir());
            stopped.add(process.pid());
        });
        return stopped;
    }

    /** Kills node {@code id} at once, as {@code kill -9}. */
    public static Optional<Long> kill(Layout layout, int id) {
        return KafkaNode.kill(layout.node(id).dataDir());
    }

    /** Starts node {@code id} again, as it was, and returns once it answers. */
    public static KafkaNode.Running restart(Layout layout, int id, KafkaJars jars) {
        KafkaNodeSettings node = layout.node(id);
        KafkaNode.refuseToStart(node);
        long launched = System.nanoTime();
        Process process = KafkaNode.launch(node, jars);
        try {
            String clusterId = KafkaNode.awaitReady(node, process);
            return new KafkaNode.Running(process.pid(), node.bootstrapServers(), clusterId, layout.nodes(),
                    Duration.ofNanos(System.nanoTime() - launched), KafkaNode.residentBytes(process.pid()), false,
                    jars.version());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            KafkaNode.forgetPid(node.dataDir());
            throw e;
        }
    }

    /**
     * Every partition of every topic as one line: its leader, its replicas and its in-sync replicas, as the
     * cluster's metadata has them now; an internal topic gets one line for all its partitions.
     */
    public static List<String> partitions(Layout layout) {
        try (Admin admin = admin(layout, Duration.ofSeconds(10))) {
            Collection<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(10, TimeUnit.SECONDS);
            Map<String, TopicDescription> topics = new TreeMap<>(admin.describeTopics(names).allTopicNames()
                    .get(10, TimeUnit.SECONDS));
            List<String> lines = new ArrayList<>();
            topics.forEach((name, topic) -> {
                if (topic.isInternal()) { // fifty partitions of __consumer_offsets would bury the learner's topics
                    long behind = topic.partitions().stream().filter(p -> p.isr().size() < p.replicas().size()).count();
                    lines.add(name + ": " + topic.partitions().size() + " partitions, " + (behind == 0 ? "every one"
                            : (topic.partitions().size() - behind) + " of them") + " with all its replicas in sync");
                    return;
                }
                for (TopicPartitionInfo partition : topic.partitions()) {
                    lines.add(name + "-" + partition.partition() + ": leader " + (partition.leader() == null
                            || partition.leader().id() < 0 ? "none" : partition.leader().id()) + ", replicas "
                            + ids(partition.replicas()) + ", in sync " + ids(partition.isr()));
                }
            });
            return lines;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the cluster at " + layout.bootstrapServers() + " does not describe its topics: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking " + layout.bootstrapServers(), e);
        }
    }

    /** An Admin client of the cluster whose calls give up after {@code apiTimeout}. */
    private static Admin admin(Layout layout, Duration apiTimeout) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) apiTimeout.toMillis()));
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(node -> String.valueOf(node.id())).collect(Collectors.joining(",", "[", "]"));
    }

    private static void writeLayout(Layout layout) {
        Properties saved = new Properties();
        saved.setProperty("nodes", String.valueOf(layout.nodes()));
        saved.setProperty("port", String.valueOf(layout.port()));
        saved.setProperty("controller.port", String.valueOf(layout.controllerPort()));
        saved.setProperty("heap.mib", String.valueOf(layout.heapMib()));
        try {
            Files.createDirectories(layout.dataDir());
            try (Writer out = Files.newBufferedWriter(layout.dataDir().resolve(LAYOUT_FILE), StandardCharsets.UTF_8)) {
                saved.store(out, "Apache Kafka as ./toykafka kafka start laid it out");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + layout.dataDir().resolve(LAYOUT_FILE) + ": " + e.getMessage(), e);
        }
    }
}
