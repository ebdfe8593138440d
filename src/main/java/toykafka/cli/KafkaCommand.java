package toykafka.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;
import toykafka.apachekafka.KafkaNodeSettings;

/**
 * {@code toykafka kafka start|stop|status}: Apache Kafka itself, one KRaft node from Maven's jars, beside the
 * course's broker, to compare with and to graduate to.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Starts, stops or shows Apache Kafka itself: one KRaft node (broker and controller in one JVM),"
                + " from the jars Maven fetched, on loopback, in the background.",
        subcommands = {KafkaCommand.Start.class, KafkaCommand.Stop.class, KafkaCommand.Status.class})
final class KafkaCommand implements Runnable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose start, stop or status");
    }

    /** The node's folder, shared by the three commands. */
    static final class Folder {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "the node's folder: settings, log, process id and data (default: data/apache-kafka)")
        Path dataDir = KafkaNodeSettings.DEFAULT_DATA_DIR;

        Path path() {
            return DumpCommand.typed(dataDir).toAbsolutePath().normalize();
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the node in the background (formatting its folder on the first start) and returns"
                    + " once Kafka's Admin client sees it.")
    static final class Start implements Runnable {

        @Mixin
        Folder folder;

        @Option(names = "--port", paramLabel = "PORT", description = "the broker's port, the bootstrap address (default: "
                + KafkaNodeSettings.DEFAULT_PORT + ")")
        int port = KafkaNodeSettings.DEFAULT_PORT;

        @Option(names = "--controller-port", paramLabel = "PORT",
                description = "the KRaft controller's port (default: " + KafkaNodeSettings.DEFAULT_CONTROLLER_PORT + ")")
        int controllerPort = KafkaNodeSettings.DEFAULT_CONTROLLER_PORT;

        @Option(names = "--heap-mib", paramLabel = "MIB",
                description = "the JVM's heap, as KAFKA_HEAP_OPTS sets it (default: " + KafkaNodeSettings.DEFAULT_HEAP_MIB + ")")
        int heapMib = KafkaNodeSettings.DEFAULT_HEAP_MIB;

        @Override
        public void run() {
            KafkaNodeSettings settings = new KafkaNodeSettings(folder.path(), port, controllerPort, heapMib,
                    java.util.Map.of());
            KafkaNode.Running node = KafkaNode.start(settings, KafkaJars.inProject());
            PrintStream out = Main.out();
            out.printf("Apache Kafka %s is up at %s (process %d)%n", node.version(), node.bootstrapServers(), node.pid());
            out.printf("  started in %.1f s%s, resident memory %s, heap %d MiB%n", node.startup().toMillis() / 1000.0,
                    node.formatted() ? " (formatted a new cluster " + node.clusterId() + ")" : "",
                    mebibytes(node.residentBytes()), heapMib);
            out.println("  its folder: " + settings.dataDir() + " (log: node.log)");
            out.println("  try: kcat -b " + node.bootstrapServers() + " -L; stop it with ./toykafka kafka stop");
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops the node as Ctrl-C would: a controlled shutdown that closes every log cleanly.")
    static final class Stop implements Runnable {

        @Mixin
        Folder folder;

        @Override
        public void run() {
            Optional<Long> stopped = KafkaNode.stop(folder.path(), STOP_GRACE);
            Main.out().println(stopped.map(pid -> "stopped Apache Kafka (process " + pid + ")")
                    .orElse("no Apache Kafka runs from " + folder.path()));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Says whether the node runs, and where.")
    static final class Status implements java.util.concurrent.Callable<Integer> {

        @Mixin
        Folder folder;

        @Override
        public Integer call() {
            Optional<KafkaNode.Running> node = KafkaNode.status(folder.path(), KafkaJars.inProject());
            PrintStream out = Main.out();
            if (node.isEmpty()) {
                out.println("no Apache Kafka runs from " + folder.path() + "; ./toykafka kafka start starts one");
                return 3;
            }
            KafkaNode.Running running = node.get();
            out.printf("Apache Kafka %s runs at %s (process %d): cluster %s, %d broker, up %s, resident memory %s%n",
                    running.version(), running.bootstrapServers(), running.pid(), running.clusterId(), running.brokers(),
                    uptime(running.startup()), mebibytes(running.residentBytes()));
            return 0;
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
