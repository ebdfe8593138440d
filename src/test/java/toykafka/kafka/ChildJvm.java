package toykafka.kafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A main class run in a JVM of its own, on a class path the test chooses: the probe with the test's own class
 * path (kafka-clients 4.4), or with kafka-clients 3.9, which cannot share a class path with 4.4; Kafka's tools
 * with Apache Kafka's own jars, a Connect worker with Kafka Connect's. Run through {@link ChildProcess}: time limit, output captured, killed by process id.
 */
final class ChildJvm {

    /**
     * Long enough for a JVM on a busy two-core machine to start, connect and finish, and more than the minutes a
     * test may give a tool's own timeouts; a bound on a hang, not a figure, since a run ends when the JVM exits.
     */
    static final Duration TIME_LIMIT = Duration.ofMinutes(10);
    /** Where the build copies kafka-clients 3.9 and its runtime dependencies (the pom's maven-dependency-plugin). */
    static final String KAFKA_CLIENTS_3_9_FOLDER = "kafka-clients-3.9";
    /** C1 only and a small heap: these JVMs run for seconds, and start faster so. */
    private static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
            "-Djava.awt.headless=true");

    private ChildJvm() {
    }

    static ChildProcess.Result run(String classPath, String mainClass, List<String> args, String input) {
        return ChildProcess.run(command(classPath, mainClass, args), input, TIME_LIMIT);
    }

    /** Starts a main class in a JVM of its own and leaves it running until the test kills it (or the time limit). */
    static ChildProcess.Running start(String classPath, String mainClass, List<String> args) {
        return ChildProcess.start(command(classPath, mainClass, args), TIME_LIMIT);
    }

    private static List<String> command(String classPath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FLAGS);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(args);
        return command;
    }

    /**
     * The test's own class path: kafka-clients 4.4, Kafka Streams, our classes. The JVM opens jars lazily as it
     * looks for classes, so the ones a child never uses cost it nothing measurable.
     */
    static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    /** Our test classes (the probe) and the jars in target/kafka-clients-3.9: no 4.4 jar. */
    static String kafkaClients39ClassPath() {
        List<String> entries = new ArrayList<>(List.of(testClasses().toString()));
        entries.addAll(jarsIn(KAFKA_CLIENTS_3_9_FOLDER, "kafka-clients 3.9"));
        if (entries.stream().noneMatch(entry -> entry.contains("kafka-clients-3.9"))) {
            throw new IllegalStateException(KAFKA_CLIENTS_3_9_FOLDER + " holds no kafka-clients-3.9 jar; run `mvn"
                    + " test-compile` again");
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Our test classes (the probes) and Apache Kafka's own jars as Maven copies them to run a node
     * (target/apache-kafka): its tools and group coordinator, as its distribution ships them.
     */
    static String apacheKafkaClassPath() {
        List<String> entries = new ArrayList<>(List.of(testClasses().toString()));
        entries.addAll(jarsIn("apache-kafka", "Apache Kafka's jars"));
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Our test classes (the tests' own connectors and their manifests) and Kafka Connect's jars as Maven copies
     * them (target/kafka-connect), to run a Connect worker.
     */
    static String kafkaConnectClassPath() {
        List<String> entries = new ArrayList<>(List.of(testClasses().toString()));
        entries.addAll(jarsIn("kafka-connect", "Kafka Connect's jars"));
        return String.join(File.pathSeparator, entries);
    }

    /** The jars Maven copied to target/{@code folderName}, sorted; a missing folder says how to make it. */
    private static List<String> jarsIn(String folderName, String what) {
        Path folder = testClasses().resolveSibling(folderName);
        try (Stream<Path> jars = Files.list(folder)) {
            return jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().map(Path::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no " + folder + ": Maven copies " + what + " there in the "
                    + "generate-test-resources phase; run `mvn test-compile` (or `mvn verify`) first", e);
        }
    }

    /** target/test-classes, found from this class so that it holds whatever the working directory. */
    private static Path testClasses() {
        try {
            return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the test classes are", e);
        }
    }
}
