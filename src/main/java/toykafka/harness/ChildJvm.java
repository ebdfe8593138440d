package toykafka.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;

/** A client of a benchmark in a JVM of its own, so its threads and heap are not the benchmark's. */
public final class ChildJvm {

    private static final long TIME_LIMIT_SECONDS = 300;
    /** Kafka's jars log through slf4j-simple at INFO to standard error, which would land amid a tool's figures. */
    private static final String QUIET_KAFKA_LOG = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

    private ChildJvm() {
    }

    /**
     * Runs {@code mainClass} of this JVM's class path in a JVM of its own, with Kafka's JVM settings (as
     * kafka-run-class.sh gives Kafka's tools), to its exit; returns what it printed, kept in {@code workDir} as
     * {@code name.out}. A non-zero exit or a run over five minutes fails, quoting the output.
     */
    public static String run(String name, Path workDir, String mainClass, String... arguments) {
        return run(name, workDir, System.getProperty("java.class.path"), List.of(), mainClass, arguments);
    }

    /** Runs one of Apache Kafka's own tools as {@link #run} does, from the course's Apache Kafka jars. */
    public static String runKafkaTool(String name, Path workDir, String mainClass, String... arguments) {
        return run(name, workDir, KafkaJars.inProject().classPath(), List.of(QUIET_KAFKA_LOG), mainClass, arguments);
    }

    private static String run(String name, Path workDir, String classPath, List<String> properties, String mainClass,
            String... arguments) {
        Path output = workDir.resolve(name + ".out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(KafkaNode.jvmOptions());
        command.addAll(properties);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(List.of(arguments));
        try {
            Files.createDirectories(workDir);
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " ran over " + TIME_LIMIT_SECONDS + " s; its output is in " + output);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + printed.strip());
            }
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + name, e);
        }
    }
}
