package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Apache kafka-clients versions the Kafka front end is proven with, each running {@link ClientsProbe}:
 * 4.4 (the test class path's) in the test's own JVM or in a child JVM, and 3.9, the last 3.x, in a child JVM with
 * the jars Maven copied to target/kafka-clients-3.9. A parameterised test takes {@link #bothVersions()}.
 */
enum KafkaClients {

    V4_4_IN_PROCESS("4.4.0") {
        @Override
        ChildProcess.Result runProbe(List<String> args) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int exitCode;
            try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
                exitCode = ClientsProbe.run(args.toArray(String[]::new), out);
            }
            return new ChildProcess.Result(args, exitCode, false, printed.toString(StandardCharsets.UTF_8), "");
        }
    },
    V4_4_CHILD_JVM("4.4.0") {
        @Override
        ChildProcess.Result runProbe(List<String> args) {
            return ChildJvm.run(ChildJvm.testClassPath(), ClientsProbe.class.getName(), args, null);
        }
    },
    V3_9_CHILD_JVM("3.9.") {
        @Override
        ChildProcess.Result runProbe(List<String> args) {
            return ChildJvm.run(ChildJvm.kafkaClients39ClassPath(), ClientsProbe.class.getName(), args, null);
        }
    };

    /** The version the kafka-clients jar must report: in full, or a prefix where the pom picks the patch. */
    final String version;

    KafkaClients(String version) {
        this.version = version;
    }

    /** 4.4 in-process and 3.9 in a child JVM: both versions, one child JVM per action. */
    static Stream<KafkaClients> bothVersions() {
        return Stream.of(V4_4_IN_PROCESS, V3_9_CHILD_JVM);
    }

    abstract ChildProcess.Result runProbe(List<String> args);

    /** Runs the probe's command and returns its lines; fails the test, with all it printed, on an error. */
    List<ProbeLine> probe(String... args) {
        ChildProcess.Result result = runProbe(List.of(args));
        List<ProbeLine> lines = result.lines().stream().map(ProbeLine::parse).toList();
        for (ProbeLine error : only("error", lines)) {
            fail(this + " " + args[0] + ": " + error.get("type") + ": " + error.get("message") + "\n" + result.describe());
        }
        result.assertSucceeded();
        return lines;
    }

    /** Runs a command that must fail, and returns its error line. */
    ProbeLine probeFailing(String... args) {
        ChildProcess.Result result = runProbe(List.of(args));
        assertEquals(1, result.exitCode(), result.describe());
        return result.lines().stream().map(ProbeLine::parse).filter(line -> line.word().equals("error")).findFirst()
                .orElseThrow(() -> new AssertionError("no error line: " + result.describe()));
    }

    /** The lines that start with {@code word}. */
    static List<ProbeLine> only(String word, List<ProbeLine> lines) {
        return lines.stream().filter(line -> line.word().equals(word)).toList();
    }
}
