package toykafka.apachekafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Apache Kafka's command-line tools without a Kafka download: each {@code bin/NAME.sh} of a Kafka distribution
 * is {@code kafka-run-class.sh MAIN_CLASS "$@"}, and the main classes are in the jars Maven copies to run Kafka
 * ({@link KafkaJars}). A tool runs here as the script runs it: its main class in a JVM of its own, Kafka's jars
 * its class path, its arguments untouched, warnings and errors alone logged to standard error (Kafka's
 * {@code tools-log4j2.yaml} does the same).
 */
public final class KafkaTools {

    /**
     * One tool: the script's name without {@code .sh}, the main class its script runs in Kafka 4.4, what it does,
     * and whether it measures speed, which gets Kafka's own JVM settings rather than the quick-start ones.
     */
    public record Tool(String name, String mainClass, String does, boolean measures) {
    }

    /** The tools a learner of this course reaches for, in the order {@code --help} lists them. */
    public static final List<Tool> ALL = List.of(
            new Tool("kafka-topics", "org.apache.kafka.tools.TopicCommand",
                    "creates, lists, describes and deletes topics", false),
            new Tool("kafka-console-producer", "org.apache.kafka.tools.ConsoleProducer",
                    "sends each line it reads as a record", false),
            new Tool("kafka-console-consumer", "org.apache.kafka.tools.consumer.ConsoleConsumer",
                    "prints a topic's records", false),
            new Tool("kafka-console-share-consumer", "org.apache.kafka.tools.consumer.ConsoleShareConsumer",
                    "reads a topic as a member of a share group", false),
            new Tool("kafka-consumer-groups", "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
                    "consumer groups: members, offsets, lag; resets", false),
            new Tool("kafka-transactions", "org.apache.kafka.tools.TransactionsCommand",
                    "transactions and producers; aborts a hanging one", false),
            new Tool("kafka-configs", "org.apache.kafka.tools.ConfigCommand",
                    "describes and alters topic, broker, group configs", false),
            new Tool("kafka-features", "org.apache.kafka.tools.FeatureCommand",
                    "describes and upgrades feature versions", false),
            new Tool("kafka-acls", "org.apache.kafka.tools.AclCommand",
                    "lists, adds and removes access control lists", false),
            new Tool("kafka-producer-perf-test", "org.apache.kafka.tools.ProducerPerformance",
                    "produces at a set rate; reports throughput, latency", true),
            new Tool("kafka-consumer-perf-test", "org.apache.kafka.tools.ConsumerPerformance",
                    "consumes flat out; reports throughput", true),
            new Tool("kafka-dump-log", "org.apache.kafka.tools.DumpLogSegments",
                    "prints the batches of segment and index files", false),
            new Tool("kafka-get-offsets", "org.apache.kafka.tools.GetOffsetShell",
                    "prints offsets: earliest, latest or at a time", false),
            new Tool("kafka-delete-records", "org.apache.kafka.tools.DeleteRecordsCommand",
                    "deletes a partition's records below an offset", false),
            new Tool("kafka-log-dirs", "org.apache.kafka.tools.LogDirsCommand",
                    "describes log folders and partition sizes", false),
            new Tool("kafka-cluster", "org.apache.kafka.tools.ClusterTool",
                    "prints the cluster's id", false),
            new Tool("kafka-broker-api-versions", "org.apache.kafka.tools.BrokerApiVersionsCommand",
                    "prints the request versions brokers accept", false),
            new Tool("kafka-leader-election", "org.apache.kafka.tools.LeaderElectionCommand",
                    "elects partitions' leaders", false),
            new Tool("kafka-metadata-quorum", "org.apache.kafka.tools.MetadataQuorumCommand",
                    "describes the KRaft controllers' quorum", false),
            new Tool("kafka-groups", "org.apache.kafka.tools.GroupsCommand",
                    "lists groups of every kind", false),
            new Tool("kafka-share-groups", "org.apache.kafka.tools.consumer.group.ShareGroupCommand",
                    "share groups: describes, resets, deletes", false),
            new Tool("kafka-streams-groups", "org.apache.kafka.tools.streams.StreamsGroupCommand",
                    "lists and describes streams groups", false));

    /** Every tool's heap but a speed test's, as {@code kafka-run-class.sh} sets it. */
    private static final int HEAP_MIB = 256;
    /** A speed test's heap, as {@code kafka-producer-perf-test.sh} sets it. */
    private static final int MEASURING_HEAP_MIB = 512;
    /**
     * A tool that runs for seconds starts in half the processor time with the quick compiler alone and the serial
     * collector; a speed test keeps the JVM's defaults, so what it measures is what a real client gets.
     */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private KafkaTools() {
    }

    /** The tool of this name; {@code kafka-topics.sh} is taken for {@code kafka-topics}, as a learner may copy it. */
    public static Optional<Tool> named(String name) {
        String bare = name.endsWith(".sh") ? name.substring(0, name.length() - 3) : name;
        return ALL.stream().filter(tool -> tool.name().equals(bare)).findFirst();
    }

    /** Every tool's name, in {@link #ALL}'s order. */
    public static List<String> names() {
        return ALL.stream().map(Tool::name).toList();
    }

    /** The command that runs the tool with these arguments from Kafka's jars: java, its settings, class path, main class. */
    public static List<String> command(Tool tool, KafkaJars jars, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + (tool.measures() ? MEASURING_HEAP_MIB : HEAP_MIB) + "m");
        if (!tool.measures()) {
            command.addAll(QUICK_START);
        }
        command.add("-Djava.awt.headless=true");
        // Kafka's jars log through slf4j-simple, which writes INFO and up to standard error: a tool's Admin client
        // would print its whole configuration before the answer.
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.addAll(List.of("-cp", jars.classPath(), tool.mainClass()));
        command.addAll(args);
        return command;
    }
}
