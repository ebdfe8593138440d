package toykafka.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import toykafka.apachekafka.KafkaCluster;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;
import toykafka.apachekafka.KafkaNodeSettings;

/**
 * {@code toykafka kafka start|stop|status|kill|restart|elect}: Apache Kafka itself from Maven's jars, one KRaft node or a
 * cluster of up to {@value KafkaCluster#MAX_NODES}, beside the course's broker, to compare with and to graduate to;
 * {@code toykafka kafka tool NAME}: Kafka's command-line tools from the same jars.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Starts, stops or shows Apache Kafka itself: one KRaft node (broker and controller in one JVM),"
                + " or a cluster of them, from the jars Maven fetched, on loopback, in the background; or runs one of"
                + " Kafka's command-line tools from them.",
        subcommands = {KafkaCommand.Start.class, KafkaCommand.Stop.class, KafkaCommand.Status.class,
            KafkaCommand.Kill.class, KafkaCommand.Restart.class, KafkaCommand.Elect.class, KafkaToolCommand.class})
final class KafkaCommand implements Runnable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "choose start, stop, status, kill, restart, elect or tool");
    }

    /** The folder of the node or the cluster, shared by every subcommand. */
    static final class Folder {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "the node's folder, or the cluster's with a folder a node: settings, log, process id and"
                        + " data (default: data/apache-kafka)")
        Path dataDir = KafkaNodeSettings.DEFAULT_DATA_DIR;

        Path path() {
            return DumpCommand.typed(dataDir).toAbsolutePath().normalize();
        }

        /** The option as a command that means this folder needs it: nothing for the default, else " --data-dir D". */
        String asTyped() {
            if (dataDir.equals(KafkaNodeSettings.DEFAULT_DATA_DIR)) {
                return "";
            }
            String typed = dataDir.toString();
            return " --data-dir " + (typed.matches("[\\w./@%+=:,-]+") ? typed : "'" + typed.replace("'", "'\\''") + "'");
        }

        /** The node or cluster started from the folder, if one was. */
        Optional<KafkaCluster.Layout> layout() {
            return KafkaCluster.layout(path());
        }

        /** The node or cluster started from the folder, or a refusal that says how to start one. */
        KafkaCluster.Layout started() {
            return layout().orElseThrow(() -> new IllegalStateException(nothingRuns("was started")));
        }

        String nothingRuns(String how) {
            return "no Apache Kafka " + how + " from " + path() + "; ./toykafka kafka start starts one";
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the node, or a cluster of nodes, in the background (formatting the folder on the"
                    + " first start) and returns once Kafka's Admin client sees every node.")
    static final class Start implements Runnable {

        @Mixin
        Folder folder;

        @Option(names = "--nodes", paramLabel = "N", description = "nodes in the cluster, from 1 to "
                + KafkaCluster.MAX_NODES + "; more than one replicate every partition three ways (default: 1)")
        int nodes = 1;

        @Option(names = "--port", paramLabel = "PORT", description = "the first node's port, the bootstrap address;"
                + " node N listens 2 (N - 1) above it (default: " + KafkaNodeSettings.DEFAULT_PORT + ")")
        int port = KafkaNodeSettings.DEFAULT_PORT;

        @Option(names = "--controller-port", paramLabel = "PORT", description = "the first node's KRaft controller"
                + " port, counted up in twos as well (default: " + KafkaNodeSettings.DEFAULT_CONTROLLER_PORT + ")")
        int controllerPort = KafkaNodeSettings.DEFAULT_CONTROLLER_PORT;

        @Option(names = "--heap-mib", paramLabel = "MIB",
                description = "each node's heap, as KAFKA_HEAP_OPTS sets it (default: " + KafkaNodeSettings.DEFAULT_HEAP_MIB
                        + ", or 512 for more than one node)")
        Integer heapMib;

        @Option(names = "--topic", paramLabel = "NAME", description = "once the nodes are up, also create this topic of"
                + " one partition (with the cluster's replicas), unless it exists: something for status to show")
        String topic;

        @Option(names = "--fresh", description = "delete what an earlier start left in the folder first, data and all"
                + " (refused while a node of it runs), and format a new cluster there")
        boolean fresh;

        @Override
        public void run() {
            int heap = heapMib != null ? heapMib : nodes > 1 ? 512 : KafkaNodeSettings.DEFAULT_HEAP_MIB;
            KafkaCluster.Layout layout = new KafkaCluster.Layout(folder.path(), nodes, port, controllerPort, heap);
            if (fresh) { // only once the settings are known to be good: a typo must not cost the old cluster
                KafkaCluster.delete(folder.path());
            }
            List<KafkaNode.Running> started = KafkaCluster.start(layout, KafkaJars.inProject());
            KafkaNode.Running first = started.get(0);
            PrintStream out = Main.out();
            List<String> pids = started.stream().map(node -> String.valueOf(node.pid())).toList();
            out.printf("Apache Kafka %s is up at %s (process%s %s)%n", first.version(), layout.bootstrapServers(),
                    pids.size() == 1 ? "" : "es", String.join(", ", pids));
            out.printf("  started in %.1f s%s, resident memory %s, heap %d MiB%s%n",
                    started.get(started.size() - 1).startup().toMillis() / 1000.0,
                    first.formatted() ? " (formatted a new cluster " + first.clusterId() + ")" : "",
                    String.join(" + ", started.stream().map(node -> mebibytes(node.residentBytes())).toList()), heap,
                    started.size() == 1 ? "" : " each");
            if (nodes > 1) {
                out.printf("  %d copies of every partition; acks=all waits for %d of them (min.insync.replicas)%n",
                        Math.min(3, nodes), Math.min(2, nodes));
            }
            out.println("  its folder: " + layout.dataDir() + " (a log per node: node-N/node.log)");
            if (topic != null) {
                boolean created = KafkaCluster.createTopic(layout, topic, 1);
                out.println("  topic " + topic + (created ? ": created, one partition" : ": there already"));
            }
            out.println("  try: ./toykafka kafka tool kafka-topics --bootstrap-server " + first.bootstrapServers() + " --list");
            out.println("  stop it with ./toykafka kafka stop" + folder.asTyped());
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops every node as Ctrl-C would: a controlled shutdown that closes every log cleanly.")
    static final class Stop implements Runnable {

        @Mixin
        Folder folder;

        @Override
        public void run() {
            List<Long> stopped = folder.layout().map(found -> KafkaCluster.stop(found, STOP_GRACE)).orElse(List.of());
            Main.out().println(stopped.isEmpty() ? "no Apache Kafka runs from " + folder.path()
                    : "stopped Apache Kafka (process" + (stopped.size() == 1 ? " " : "es ")
                            + String.join(", ", stopped.stream().map(String::valueOf).toList()) + ")");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Says which nodes run, and where; for a cluster, which node leads each partition and which"
                    + " replicas are in sync.")
    static final class Status implements java.util.concurrent.Callable<Integer> {

        @Mixin
        Folder folder;

        @Override
        public Integer call() {
            PrintStream out = Main.out();
            Optional<KafkaCluster.Layout> found = folder.layout();
            Map<Integer, Optional<ProcessHandle>> processes = found.map(KafkaCluster::processes).orElse(Map.of());
            Optional<Integer> up = processes.entrySet().stream().filter(node -> node.getValue().isPresent())
                    .map(Map.Entry::getKey).findFirst();
            if (up.isEmpty()) {
                out.println(folder.nothingRuns("runs"));
                return 3;
            }
            KafkaCluster.Layout layout = found.get();
            KafkaNode.Running running = KafkaNode.status(layout.node(up.get()).dataDir(), KafkaJars.inProject())
                    .orElseThrow();
            out.printf("Apache Kafka %s runs at %s (process %d): cluster %s, %d broker%s, up %s, resident memory %s%n",
                    running.version(), layout.nodes() == 1 ? running.bootstrapServers() : layout.bootstrapServers(),
                    running.pid(), running.clusterId(), running.brokers(), running.brokers() == 1 ? "" : "s",
                    uptime(running.startup()), mebibytes(running.residentBytes()));
            if (layout.nodes() > 1) {
                processes.forEach((id, process) -> out.println("  node " + id + " at " + layout.node(id).bootstrapServers()
                        + ": " + process.map(handle -> "running, process " + handle.pid()).orElse("not running")));
                List<String> partitions = KafkaCluster.partitions(layout);
                partitions.forEach(line -> out.println("  " + line));
                if (partitions.stream().allMatch(line -> line.startsWith("__"))) {
                    out.println("  no topics of yours yet: ./toykafka kafka start --topic NAME creates one, as any"
                            + " producer does while auto.create.topics.enable is true");
                }
            }
            return 0;
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true,
            description = "Kills node N at once, as kill -9: nothing is closed, and the others carry on without it.")
    static final class Kill implements Runnable {

        @Mixin
        OneNode node;

        @Override
        public void run() {
            Optional<Long> killed = KafkaCluster.kill(node.layout(), node.id);
            Main.out().println(killed.map(pid -> "killed node " + node.id + " (process " + pid + "), as kill -9 would")
                    .orElse("node " + node.id + " was not running"));
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Starts node N again, as it was, and returns once it answers.")
    static final class Restart implements Runnable {

        @Mixin
        OneNode node;

        @Override
        public void run() {
            KafkaNode.Running running = KafkaCluster.restart(node.layout(), node.id, KafkaJars.inProject());
            Main.out().printf("node %d is up again at %s (process %d) in %.1f s%n", node.id, running.bootstrapServers(),
                    running.pid(), running.startup().toMillis() / 1000.0);
        }
    }

    @Command(name = "elect", mixinStandardHelpOptions = true,
            description = "Gives each partition back to its preferred replica now, where that one is in sync, as"
                    + " kafka-leader-election.sh --election-type PREFERRED --all-topic-partitions does; the controller"
                    + " does it by itself every leader.imbalance.check.interval.seconds (300).")
    static final class Elect implements Runnable {

        @Mixin
        Folder folder;

        @Override
        public void run() {
            List<String> moved = KafkaCluster.electPreferredLeaders(folder.started());
            Main.out().println(moved.isEmpty() ? "every partition is led by its preferred replica already"
                    : "the preferred replica leads again: " + String.join(", ", moved));
        }
    }

    /** One node of a cluster already started, for kill and restart: its folder and its id. */
    static final class OneNode {

        @Mixin
        Folder folder;

        @CommandLine.Parameters(paramLabel = "N", description = "the node's id, from 1")
        int id;

        KafkaCluster.Layout layout() {
            return folder.started();
        }
    }

    static String mebibytes(long bytes) {
        return bytes < 0 ? "unknown" : (bytes >> 20) + " MiB";
    }

    private static String uptime(Duration up) {
        long seconds = up.toSeconds();
        return seconds < 60 ? seconds + " s" : seconds < 3600 ? seconds / 60 + " min" : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
